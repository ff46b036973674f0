package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.config.ConfigChange;
import io.daemonverticle.impl.config.ConfigSources;
import io.daemonverticle.impl.config.OptionKey;
import io.vertx.config.ConfigRetriever;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config layers (deployment JSON, then conf/config.json, then system properties, then the
 * keys' environment variables), a file edit seen by a running retriever, and what the log
 * says of a change.
 */
@ExtendWith(VertxExtension.class)
class ConfigSourcesTest {

  @TempDir
  Path dir;

  @Test
  void theFileOverridesTheDeploymentAndPropertiesOverrideTheFile(Vertx vertx,
                                                                 VertxTestContext ctx)
      throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, new JsonObject().put("maxRetryMs", 900).put("coin", "Litecoin")
        .encode(), StandardCharsets.UTF_8);
    JsonObject deployment = new JsonObject().put("daemonUrl", "http://u:p@127.0.0.1:1/")
        .put("maxRetryMs", 100).put("net", "regtest");
    System.setProperty("initRetryMs", "77");
    System.setProperty("restBlocks", "false");
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        ConfigSources.options(deployment, file, 0));
    retriever.getConfig()
        .andThen((AsyncResult<JsonObject> ar) -> {
          System.clearProperty("initRetryMs");
          System.clearProperty("restBlocks");
          retriever.close();
        })
        .map((JsonObject merged) -> ConfigSources.declaredOnly(merged, DaemonOptions.keys(),
            Map.of()))
        .onComplete(ctx.succeeding((JsonObject config) -> ctx.verify(() -> {
          assertThat(config.getString("daemonUrl")).isEqualTo("http://u:p@127.0.0.1:1/");
          assertThat(config.getInteger("maxRetryMs")).isEqualTo(900);
          assertThat(config.getString("coin")).isEqualTo("Litecoin");
          assertThat(config.getString("net")).isEqualTo("regtest");
          assertThat(config.getValue("initRetryMs").toString()).isEqualTo("77");
          // A property's text is read as the key's type, as if the JSON had said it.
          assertThat(new DaemonOptions(config).validate().getInitRetryMs()).isEqualTo(77);
          assertThat(new DaemonOptions(config).isRestBlocks()).isFalse();
          // Nothing but declared keys: not java.version, PATH, ...
          assertThat(config.fieldNames()).allMatch((String name) -> DaemonOptions.keys().stream()
              .anyMatch((OptionKey<?> key) -> key.name().equals(name)));
          ctx.completeNow();
        })));
  }

  @Test
  void aMissingFileIsNoError(Vertx vertx, VertxTestContext ctx) {
    JsonObject deployment = new JsonObject().put("daemonUrl", "http://u:p@127.0.0.1:1/");
    ConfigRetriever retriever = ConfigRetriever.create(vertx, ConfigSources.options(deployment,
        dir.resolve("none.json"), 0));
    retriever.getConfig().onComplete(ctx.succeeding((JsonObject merged) -> ctx.verify(() -> {
      retriever.close();
      assertThat(ConfigSources.declaredOnly(merged, DaemonOptions.keys(), Map.of())
          .getString("daemonUrl")).isEqualTo("http://u:p@127.0.0.1:1/");
      ctx.completeNow();
    })));
  }

  @Test
  void anEnvironmentVariableOverridesItsKey() {
    JsonObject merged = new JsonObject().put("daemonUrl", "http://a:b@127.0.0.1:1/")
        .put("coin", "Bitcoin").put("DAEMON_URL", "not from the merged layers");
    JsonObject config = ConfigSources.declaredOnly(merged, DaemonOptions.keys(),
        Map.of("DAEMON_URL", "http://c:d@127.0.0.1:2/", "COIN", " "));
    assertThat(config.getString("daemonUrl")).isEqualTo("http://c:d@127.0.0.1:2/");
    assertThat(config.getString("coin")).as("a blank variable is unset").isEqualTo("Bitcoin");
  }

  @Test
  void aFileEditReachesARunningRetriever(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, new JsonObject().put("daemonUrl", "http://u:p@127.0.0.1:1/")
        .encode(), StandardCharsets.UTF_8);
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        ConfigSources.options(new JsonObject(), file, 100));
    retriever.getConfig().onComplete(ctx.succeeding((JsonObject first) -> {
      retriever.listen(change -> ctx.verify(() -> {
        JsonObject before = ConfigSources.declaredOnly(change.getPreviousConfiguration(),
            DaemonOptions.keys(), Map.of());
        JsonObject after = ConfigSources.declaredOnly(change.getNewConfiguration(),
            DaemonOptions.keys(), Map.of());
        ConfigChange what = ConfigChange.between(before, after, DaemonOptions.keys());
        retriever.close();
        assertThat(what.reloadable()).containsExactly("daemonUrl", "requestTimeoutMs");
        assertThat(what.needRestart()).isEmpty();
        assertThat(after.getString("daemonUrl")).isEqualTo("http://u:p@127.0.0.1:2/");
        ctx.completeNow();
      }));
      try {
        Files.writeString(file, new JsonObject().put("daemonUrl", "http://u:p@127.0.0.1:2/")
            .put("requestTimeoutMs", 9000).encode(), StandardCharsets.UTF_8);
      } catch (Exception e) {
        ctx.failNow(e);
      }
    }));
  }

  @Test
  void theLogTextNamesChangesWithoutSecrets() {
    JsonObject before = new JsonObject().put("daemonUrl", "http://user:pw@127.0.0.1:1/")
        .put("requestTimeoutMs", 3000).put("coin", "Bitcoin").put("httpToken", "tok1");
    JsonObject after = new JsonObject().put("daemonUrl", "http://user:pw2@127.0.0.1:2/")
        .put("requestTimeoutMs", "3000").put("coin", "Litecoin").put("httpToken", "tok2");
    ConfigChange change = ConfigChange.between(before, after, DaemonOptions.keys());
    assertThat(change.reloadable()).containsExactly("daemonUrl");
    assertThat(change.needRestart()).containsExactlyInAnyOrder("coin", "httpToken");
    assertThat(change.text())
        .contains("daemonUrl: http://***@127.0.0.1:1/ -> http://***@127.0.0.1:2/")
        .contains("coin: Bitcoin -> Litecoin (takes effect on restart)")
        .doesNotContain("pw", "user", "tok1", "tok2");
    assertThat(ConfigChange.between(after, after, DaemonOptions.keys()).isEmpty()).isTrue();
  }

  /** Issue 29, finding 6: the change's text masks what the URL parser takes as credentials. */
  @Test
  void theLogTextMasksPasswordsTheUrlParserAccepts() {
    JsonObject before = new JsonObject().put("daemonUrl",
        "http://rpcuser:se/cret@127.0.0.1:1/,u:p a ss@[::1]:3").put("proxyUrl",
        "socks5://px:pr/x@y@127.0.0.1:9050");
    JsonObject after = new JsonObject().put("daemonUrl", "https://rpcuser:a%2Fb%40c@host:2/");
    String text = ConfigChange.between(before, after, DaemonOptions.keys()).text();
    assertThat(text).contains("daemonUrl: http://***@127.0.0.1:1/,***@[::1]:3 -> "
        + "https://***@host:2/").contains("proxyUrl: socks5://***@127.0.0.1:9050 -> (default)")
        .doesNotContain("se/cret").doesNotContain("cret").doesNotContain("a ss")
        .doesNotContain("a%2F").doesNotContain("pr/x").doesNotContain("rpcuser");
  }
}
