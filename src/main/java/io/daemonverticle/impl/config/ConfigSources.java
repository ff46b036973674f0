package io.daemonverticle.impl.config;

import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the service's config comes from, each layer over the one before: the deployment's
 * JSON (the launcher's {@code -conf}), then the config file ({@code conf/config.json}, when it
 * exists, re-read every scan period so that edits reach a running service), then system
 * properties named as keys ({@code -DdaemonUrl=...}), then the keys' environment variables
 * ({@code DAEMON_URL}, ...). Only declared keys come through: the system properties and the
 * environment carry much else, which no layer must turn into config.
 */
public final class ConfigSources {

  private ConfigSources() {
  }

  /** The retriever's stores, in the order above; the file is scanned every scanPeriodMs. */
  public static ConfigRetrieverOptions options(JsonObject deployment, Path file,
                                               List<OptionKey<?>> keys, long scanPeriodMs) {
    JsonArray variables = new JsonArray();
    keys.stream().filter(k -> k.env() != null).forEach(k -> variables.add(k.env()));
    return new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(scanPeriodMs)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(deployment.copy()))
        .addStore(new ConfigStoreOptions().setType("file").setFormat("json").setOptional(true)
            .setConfig(new JsonObject().put("path", file.toString())))
        .addStore(new ConfigStoreOptions().setType("sys")
            .setConfig(new JsonObject().put("cache", false)))
        .addStore(new ConfigStoreOptions().setType("env")
            .setConfig(new JsonObject().put("keys", variables).put("raw-data", true)));
  }

  /**
   * The merged layers as a deployment config: declared keys only, an environment variable's
   * value under its key's name (it overrides the key, as the last layer).
   */
  public static JsonObject declaredOnly(JsonObject merged, List<OptionKey<?>> keys) {
    JsonObject config = new JsonObject();
    for (OptionKey<?> key : keys) {
      if (merged.containsKey(key.name())) {
        config.put(key.name(), merged.getValue(key.name()));
      }
    }
    for (OptionKey<?> key : keys) {
      Object value = key.env() == null ? null : merged.getValue(key.env());
      if (value != null && !value.toString().isBlank()) {
        config.put(key.name(), value);
      }
    }
    return config;
  }
}
