package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.impl.config.OptionKey;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The configuration keys of the contract: defaults, types, environment, bad values. */
@ExtendWith(VertxExtension.class)
class DaemonOptionsTest {

  @Test
  void defaultsAreTheContracts() {
    DaemonOptions o = new DaemonOptions(new JsonObject());
    assertThat(o.getDaemonUrl()).isNull();
    assertThat(o.getCoin()).isEqualTo("Bitcoin");
    assertThat(o.getNet()).isEqualTo("mainnet");
    assertThat(o.getDaemonKind()).isNull();
    assertThat(o.getAddress()).isEqualTo("daemon");
    assertThat(o.getMaxWorkqueue()).isEqualTo(10);
    assertThat(o.getInitRetryMs()).isEqualTo(250);
    assertThat(o.getMaxRetryMs()).isEqualTo(4000);
    assertThat(o.getMaxBatch()).isEqualTo(1000);
    assertThat(o.getRequestTimeoutMs()).isEqualTo(25000);
    assertThat(o.getHeightPollMs()).isEqualTo(5000);
    assertThat(o.getCacheTtlMs()).isEqualTo(60000);
    assertThat(o.getProxyUrl()).isNull();
    assertThat(o.getCookieFile()).isNull();
    assertThat(o.getEstimateFee()).isNull();
    assertThat(o.getRelayFee()).isNull();
    assertThat(o.getRequiredIndexes()).isEmpty();
    // The extensions' defaults (README, Configuration).
    assertThat(o.getMaxQueued()).isEqualTo(1000);
    assertThat(o.getAttemptTimeoutMs()).isEqualTo(10000);
    assertThat(o.getBreakerMaxFailures()).isEqualTo(3);
    assertThat(o.getBreakerResetMs()).isEqualTo(4000);
    assertThat(o.getCacheLeaseMs()).isEqualTo(30000);
    assertThat(o.getOffloadBytes()).isEqualTo(256 * 1024);
    assertThat(o.getMinDaemonVersion()).isNull();
    assertThat(o.getDaemonCaFile()).isNull();
    assertThat(o.isTrustAllDaemonCertificates()).isFalse();
    assertThat(o.getHedgeAfterMs()).isZero();
    assertThat(o.getMaxReplyBytes()).isEqualTo(269_484_032L);
    assertThat(o.isRestBlocks()).isTrue();
    assertThat(o.getMaxBatchBytes()).isEqualTo(67_108_864L);
    assertThat(o.getHttpPort()).isNull();
    assertThat(o.getHttpHost()).isEqualTo("127.0.0.1");
    assertThat(o.isHttpAllowBroadcast()).isFalse();
    assertThat(o.getHttpToken()).isNull();
    // Two URLs fit in the default deadline, each with a whole attempt.
    assertThat(o.getRequestTimeoutMs()).isGreaterThanOrEqualTo(2 * o.getAttemptTimeoutMs());
  }

  /**
   * A value unlike the default for every key: a new key must be added here, and each is read
   * into its own getter (not another's, not dropped).
   */
  private static final Map<String, Object> SAMPLES = Map.ofEntries(
      Map.entry("daemonUrl", "http://u:p@127.0.0.1:1/"), Map.entry("coin", "Dash"),
      Map.entry("net", "testnet"), Map.entry("daemonKind", "dash"),
      Map.entry("address", "svc"), Map.entry("maxWorkqueue", 3), Map.entry("maxQueued", 7),
      Map.entry("initRetryMs", 5L), Map.entry("maxRetryMs", 50L), Map.entry("maxBatch", 9),
      Map.entry("requestTimeoutMs", 1234L), Map.entry("attemptTimeoutMs", 99L),
      Map.entry("heightPollMs", 0L), Map.entry("cacheTtlMs", 11L),
      Map.entry("cacheLeaseMs", 13L), Map.entry("breakerMaxFailures", 17),
      Map.entry("breakerResetMs", 19L), Map.entry("offloadBytes", 23),
      Map.entry("proxyUrl", "socks5://127.0.0.1:9050"), Map.entry("cookieFile", "/x/.cookie"),
      Map.entry("estimateFee", 0.0001), Map.entry("relayFee", 0.00001),
      Map.entry("minDaemonVersion", "0.21.0"), Map.entry("requiredIndexes", List.of("txindex")),
      Map.entry("daemonCaFile", "/x/ca.pem"), Map.entry("trustAllDaemonCertificates", true),
      Map.entry("hedgeAfterMs", 29L), Map.entry("maxReplyBytes", 31L),
      Map.entry("restBlocks", false), Map.entry("maxBatchBytes", 37L),
      Map.entry("httpPort", 8339), Map.entry("httpHost", "127.0.0.2"),
      Map.entry("httpAllowBroadcast", true), Map.entry("httpToken", "tok"),
      Map.entry("maxLagBlocks", 41), Map.entry("genesisHash", "ab".repeat(32)));

  @Test
  void everyKeyIsReadIntoItsOwnGetter() throws Exception {
    List<String> names = DaemonOptions.keys().stream().map((OptionKey<?> k) -> k.name()).toList();
    assertThat(SAMPLES.keySet()).as("a sample value for every declared key")
        .containsExactlyInAnyOrderElementsOf(names);
    JsonObject json = new JsonObject();
    SAMPLES.forEach((String k, Object v) -> json.put(k,
        v instanceof List<?> l ? new JsonArray(l) : v));
    DaemonOptions o = new DaemonOptions(json).validate();
    for (String name : names) {
      String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
      Method getter;
      try {
        getter = DaemonOptions.class.getMethod("get" + suffix);
      } catch (NoSuchMethodException e) {
        getter = DaemonOptions.class.getMethod("is" + suffix);
      }
      Object expected = SAMPLES.get(name);
      Object actual = getter.invoke(o);
      if (expected instanceof Number n) {
        assertThat(((Number) actual).doubleValue()).as(name).isEqualTo(n.doubleValue());
      } else {
        assertThat(actual).as(name).isEqualTo(expected);
      }
    }
    assertThat(new DaemonOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
  }

  @Test
  void readsEveryKeyAndRoundTrips() {
    JsonObject json = new JsonObject()
        .put("daemonUrl", "u:p@h:1").put("coin", "Dash").put("net", "testnet")
        .put("daemonKind", "dash").put("address", "svc").put("maxWorkqueue", 3)
        .put("maxQueued", 7).put("initRetryMs", 5).put("maxRetryMs", 50).put("maxBatch", 9)
        .put("requestTimeoutMs", 1234).put("attemptTimeoutMs", 99).put("heightPollMs", 0)
        .put("cacheTtlMs", 11).put("proxyUrl", "socks5://127.0.0.1:9050")
        .put("cookieFile", "/x/.cookie").put("estimateFee", 0.0001).put("relayFee", 0.00001)
        .put("minDaemonVersion", "0.21.0")
        .put("requiredIndexes", new JsonArray().add("txindex"));
    DaemonOptions o = new DaemonOptions(json).validate();
    assertThat(o.getCoin()).isEqualTo("Dash");
    assertThat(o.getMaxWorkqueue()).isEqualTo(3);
    assertThat(o.getMaxQueued()).isEqualTo(7);
    assertThat(o.getRequestTimeoutMs()).isEqualTo(1234);
    assertThat(o.getEstimateFee()).isEqualTo(0.0001);
    assertThat(o.getRequiredIndexes()).containsExactly("txindex");
    assertThat(new DaemonOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThat(o.toJson().getString("daemonUrl")).isEqualTo("u:p@h:1");
    assertThat(new DaemonOptions(new JsonObject().put("requiredIndexes", "txindex, coinstatsindex"))
        .getRequiredIndexes()).containsExactly("txindex", "coinstatsindex");
  }

  @Test
  void environmentOverridesTheJson() {
    DaemonOptions o = new DaemonOptions(new JsonObject().put("daemonUrl", "a:b@json:1")
        .put("coin", "Bitcoin").put("proxyUrl", "http://json:1"))
        .withEnvironment(Map.of("DAEMON_URL", "c:d@env:2", "COIN", "Litecoin", "NET", "testnet",
            "DAEMON_KIND", "legacy", "DAEMON_PROXY_URL", "socks5://env:3",
            "DAEMON_COOKIE_FILE", "/env/.cookie"));
    assertThat(o.getDaemonUrl()).isEqualTo("c:d@env:2");
    assertThat(o.getCoin()).isEqualTo("Litecoin");
    assertThat(o.getNet()).isEqualTo("testnet");
    assertThat(o.getDaemonKind()).isEqualTo("legacy");
    assertThat(o.getProxyUrl()).isEqualTo("socks5://env:3");
    assertThat(o.getCookieFile()).isEqualTo("/env/.cookie");
    DaemonOptions blank = new DaemonOptions(new JsonObject().put("daemonUrl", "a:b@json:1"))
        .withEnvironment(Map.of("DAEMON_URL", "  "));
    assertThat(blank.getDaemonUrl()).as("blank variables are ignored").isEqualTo("a:b@json:1");
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    for (Map.Entry<String, ?> bad : List.<Map.Entry<String, ?>>of(
        Map.entry("maxWorkqueue", (Object) "ten"), Map.entry("maxWorkqueue", 1.5),
        Map.entry("maxWorkqueue", 0), Map.entry("maxQueued", -1),
        Map.entry("requestTimeoutMs", 0), Map.entry("maxBatch", 0),
        Map.entry("heightPollMs", -1), Map.entry("coin", 5), Map.entry("estimateFee", "x"),
        Map.entry("requiredIndexes", new JsonArray().add(1)),
        Map.entry("maxWorkqueue", 1L + Integer.MAX_VALUE))) {
      assertThatThrownBy(() -> new DaemonOptions(new JsonObject().put(bad.getKey(),
          bad.getValue())).validate())
          .as(bad.toString()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.getKey());
    }
    assertThatThrownBy(() -> new DaemonOptions(new JsonObject().put("initRetryMs", 500)
        .put("maxRetryMs", 100)).validate()).hasMessageContaining("maxRetryMs");
    assertThatThrownBy(() -> new DaemonOptions(new JsonObject().put("address", " ")).validate())
        .hasMessageContaining("address");
  }

  private static Future<String> deployFails(Vertx vertx, JsonObject config, String mentions) {
    return Service.expectFailure(Deployments.deploy(vertx, config)).map((DaemonException e) -> {
      assertThat(e.getMessage()).as(config.encode()).contains(mentions);
      return e.getMessage();
    });
  }

  @Test
  void badConfigurationFailsTheDeployment(Vertx vertx, VertxTestContext ctx) {
    String url = "http://u:p@127.0.0.1:1/";
    deployFails(vertx, Deployments.config(""), "empty")
        .compose((String m) -> deployFails(vertx, Deployments.config(" , "), "empty"))
        .compose((String m) -> deployFails(vertx, Deployments.config("http://127.0.0.1:1/"),
            "credentials"))
        .compose((String m) -> deployFails(vertx, Deployments.config(url).put("coin", "NoSuchCoin"),
            "NoSuchCoin"))
        .compose((String m) -> deployFails(vertx, Deployments.config(url).put("net", "moonnet"),
            "moonnet"))
        .compose((String m) -> deployFails(vertx, Deployments.config(url).put("daemonKind",
            "weird"),
            "weird"))
        .compose((String m) -> deployFails(vertx, Deployments.config(url).put("maxWorkqueue", "x"),
            "maxWorkqueue"))
        .compose((String m) -> deployFails(vertx, Deployments.config(url).put("proxyUrl",
            "ftp://h:1"),
            "proxyUrl"))
        .compose((String m) -> {
          JsonObject noUrl = Deployments.config(url);
          noUrl.remove("daemonUrl");
          return deployFails(vertx, noUrl, "daemonUrl");
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void daemonUrlFromTheEnvironmentWins(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 21).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config("http://u:p@127.0.0.1:1/");
      DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
      return vertx.deployVerticle(new DaemonVerticle(Map.of("DAEMON_URL",
              fake.url(Deployments.USER, Deployments.PASSWORD))),
              new DeploymentOptions().setConfig(config))
          .compose((String id) -> client.height())
          .map((Integer h) -> {
            assertThat(h).isEqualTo(21);
            return h;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void toStringMasksTheCredentialsOfEveryUrlKey() {
    String text = new DaemonOptions().setDaemonUrl("http://u:se/cr@t@h:1/,x:y z@[::1]:2")
        .setProxyUrl("socks5://p:q/r@s@127.0.0.1:1080").setHttpToken("tok-abcdef").toString();
    assertThat(text).contains("http://***@h:1/,***@[::1]:2")
        .contains("socks5://***@127.0.0.1:1080").doesNotContain("se/cr").doesNotContain("y z")
        .doesNotContain("q/r").doesNotContain("tok-abcdef");
  }
}
