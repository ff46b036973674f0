package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads real blocks from ElectrumX's test data, kept in the test resources
 * ({@code vectors/electrumx-blocks}, see its NOTICE.md).
 */
public final class Vectors {

  private static final HexFormat HEX = HexFormat.of();

  private Vectors() {
  }

  static Path dir() {
    URL resource = Vectors.class.getResource("/vectors/electrumx-blocks");
    assertThat(resource).as("vector directory on the test classpath").isNotNull();
    try {
      return Path.of(resource.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The vector of that name ({@code .json} may be left out). */
  public static JsonObject load(String name) {
    Path file = dir().resolve(name.endsWith(".json") ? name : name + ".json");
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** File names (without .json) starting with {@code prefix}, sorted; never empty. */
  public static List<String> names(String prefix) {
    try (Stream<Path> files = Files.list(dir())) {
      List<String> names = files
          .map((Path p) -> p.getFileName().toString())
          .filter((String n) -> n.startsWith(prefix) && n.endsWith(".json"))
          .map((String n) -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList();
      assertThat(names).as("vectors named " + prefix + "*").isNotEmpty();
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] block(JsonObject vector) {
    return HEX.parseHex(vector.getString("block"));
  }

  static byte[] hex(String hex) {
    return HEX.parseHex(hex);
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
