package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.impl.codec.BlockHash;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line of scripts/dv and how replies are printed (no cluster needed). */
class DaemonCliTest {

  @Test
  void parsesActionBodyAndOptions() {
    DaemonCli.CliArgs args = DaemonCli.CliArgs.parse(new String[] {
        "blockHexHashes", "{\"first\":0,\"count\":3}", "--timeout", "2000", "--cluster",
        "--address", "d2"});
    assertThat(args.action()).isEqualTo("blockHexHashes");
    assertThat(args.body()).isEqualTo(new JsonObject().put("first", 0).put("count", 3));
    assertThat(args.timeoutMs()).isEqualTo(2000);
    assertThat(args.address()).isEqualTo("d2");
    assertThat(args.cluster()).isTrue();
    DaemonCli.CliArgs http = DaemonCli.CliArgs.parse(new String[] {
        "height", "--url", "http://127.0.0.1:9"});
    assertThat(http.cluster()).isFalse();
    assertThat(http.url()).isEqualTo("http://127.0.0.1:9");
    assertThat(DaemonCli.CliArgs.parse(new String[] {"height"}).address()).isEqualTo("daemon");
    assertThat(DaemonCli.CliArgs.parse(new String[] {"height"}).body()).isNull();
  }

  @Test
  void rejectsBadCommandLines() {
    assertThatThrownBy(() -> DaemonCli.CliArgs.parse(new String[] {}))
        .hasMessageContaining("missing ACTION");
    assertThatThrownBy(() -> DaemonCli.CliArgs.parse(new String[] {"rawBlocks", "[1]"}))
        .hasMessageContaining("JSON_BODY must be a JSON object");
    assertThatThrownBy(() -> DaemonCli.CliArgs.parse(new String[] {"height", "--timeout", "x"}))
        .hasMessageContaining("--timeout");
    assertThatThrownBy(() -> DaemonCli.CliArgs.parse(new String[] {"height", "--timeout"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> DaemonCli.CliArgs.parse(new String[] {"height", "--nope"}))
        .hasMessageContaining("unknown option");
    assertThatThrownBy(() -> DaemonCli.CliArgs.parse(new String[] {"height", "--address", "x"}))
        .hasMessageContaining("--address needs --cluster");
    assertThatThrownBy(() -> DaemonCli.CliArgs.parse(new String[] {"height", "--cluster",
        "--url", "http://127.0.0.1:1"})).hasMessageContaining("exclude each other");
  }

  @Test
  void printsRawBlocksAsHashAndSizeLines() {
    byte[] first = new byte[81];
    byte[] second = new byte[200];
    second[5] = 7;
    Buffer framed = Buffer.buffer().appendInt(first.length).appendBytes(first)
        .appendInt(second.length).appendBytes(second);
    assertThat(printed(framed)).isEqualTo(BlockHash.hexHash(first) + " 81 bytes\n"
        + BlockHash.hexHash(second) + " 200 bytes\n");
  }

  @Test
  void printsJsonPrettyAndScalarsAsIs() {
    assertThat(printed(new JsonArray().add("a"))).contains("\"a\"").contains("\n");
    assertThat(printed(new JsonObject().put("k", 1))).contains("\"k\" : 1");
    assertThat(printed(101)).isEqualTo("101\n");
    assertThat(printed(null)).isEqualTo("null\n");
    assertThat(printed(0.00001)).isEqualTo("0.00001\n");
    assertThat(printed(-1.0)).isEqualTo("-1\n");
  }

  private static String printed(Object body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DaemonCli.print(body, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
