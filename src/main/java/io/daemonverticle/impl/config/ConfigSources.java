package io.daemonverticle.impl.config;

import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the service's config comes from, each layer over the one before: the deployment's
 * JSON (the launcher's {@code -conf}), then the config file (when there is one and it exists,
 * re-read every scan period so that edits reach a running service), then system properties
 * named as keys ({@code -DdaemonUrl=...}), then the keys' environment variables
 * ({@code DAEMON_URL}, ...). Only declared keys come through: the system properties and the
 * environment carry much else, which no layer must turn into config.
 *
 * <p>The environment is applied from a map rather than by vertx-config's {@code env} store: it
 * cannot change under a running process, and a map lets tests and embedders choose it.
 */
public final class ConfigSources {

  private ConfigSources() {
  }

  /**
   * The retriever's stores, in the order above.
   *
   * @param file the file to layer and watch; null: none (the deployment JSON was given inline)
   * @param scanPeriodMs how often the file and the system properties are read again
   */
  public static ConfigRetrieverOptions options(JsonObject deployment, Path file,
                                               long scanPeriodMs) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(scanPeriodMs)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(deployment.copy()));
    if (file != null) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setOptional(true).setConfig(new JsonObject().put("path", file.toString())));
    }
    return options.addStore(new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("cache", false)));
  }

  /**
   * What is wrong with the config file, or null when it is missing (no layer: as if none were
   * named) or holds a JSON object. vertx-config's optional file store yields an empty layer
   * for a file it cannot parse, which would silently put the service back on the layers
   * beneath it: the service asks this first and changes nothing while the file is broken.
   */
  public static String problem(Path file) {
    if (file == null || !Files.exists(file)) {
      return null;
    }
    try {
      Object value = Json.decodeValue(Buffer.buffer(Files.readAllBytes(file)));
      return value instanceof JsonObject ? null : "it is not a JSON object";
    } catch (DecodeException e) {
      String message = String.valueOf(e.getMessage());
      int end = message.indexOf('\n');
      return "it is not JSON: " + (end < 0 ? message : message.substring(0, end));
    } catch (IOException e) {
      return "it cannot be read: " + e.getMessage();
    }
  }

  /**
   * What the start-up log says of the environment layer: the names of the keys' variables that
   * are set (never their values), or that none is read.
   */
  public static String environmentLayer(List<OptionKey<?>> keys, Map<String, String> env) {
    if (env.isEmpty()) {
      return "no environment variables (not launched by the fat jar)";
    }
    List<String> set = keys.stream().map(OptionKey::env)
        .filter(name -> name != null && env.get(name) != null && !env.get(name).isBlank())
        .toList();
    return set.isEmpty() ? "the environment (none of its variables set)"
        : "the environment: " + String.join(", ", set);
  }

  /**
   * The merged layers as a deployment config: declared keys only, then each key's environment
   * variable over it (a blank variable counts as unset).
   */
  public static JsonObject declaredOnly(JsonObject merged, List<OptionKey<?>> keys,
                                        Map<String, String> env) {
    JsonObject config = new JsonObject();
    for (OptionKey<?> key : keys) {
      if (merged.containsKey(key.name())) {
        config.put(key.name(), merged.getValue(key.name()));
      }
      String value = key.env() == null ? null : env.get(key.env());
      if (value != null && !value.isBlank()) {
        config.put(key.name(), key.fromEnvironment(value));
      }
    }
    return config;
  }
}
