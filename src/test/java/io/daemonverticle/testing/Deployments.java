package io.daemonverticle.testing;

import io.daemonverticle.DaemonVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Deploys a DaemonVerticle for tests: fast retries, no height polling unless asked. */
public final class Deployments {

  public static final String USER = "rpcuser";
  public static final String PASSWORD = "s3cret-Pa55word";

  private Deployments() {
  }

  /** A config with quick backoff and short deadlines, pointing at the given URLs. */
  public static JsonObject config(String daemonUrl) {
    return new JsonObject()
        .put("daemonUrl", daemonUrl)
        .put("coin", "Bitcoin")
        .put("net", "regtest")
        .put("address", "daemon.test." + System.nanoTime())
        .put("initRetryMs", 10)
        .put("maxRetryMs", 100)
        .put("requestTimeoutMs", 3000)
        .put("attemptTimeoutMs", 1000)
        .put("breakerResetMs", 300)
        .put("heightPollMs", 0);
  }

  public static JsonObject config(FakeDaemon daemon) {
    return config(daemon.url(USER, PASSWORD));
  }

  /**
   * For a real regtest node, which answers slower than the fake one, most of all when builds
   * run side by side: longer deadlines, and backoff and breaker still short enough that a
   * restarted node is found again within a second.
   */
  public static JsonObject realNodeConfig(String daemonUrl) {
    return config(daemonUrl)
        .put("initRetryMs", 50)
        .put("maxRetryMs", 500)
        .put("breakerResetMs", 500)
        .put("attemptTimeoutMs", 5000)
        .put("requestTimeoutMs", 15000);
  }

  /** As {@link #realNodeConfig}, for Litecoin regtest (a Litecoin Core node, scripts/core). */
  public static JsonObject litecoinConfig(String daemonUrl) {
    return realNodeConfig(daemonUrl).put("coin", "Litecoin");
  }

  /**
   * Deploys with no environment overrides (DAEMON_URL of the shell must not leak in); answers
   * the deployment id.
   */
  public static Future<String> deploy(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new DaemonVerticle(Map.of()),
        new DeploymentOptions().setConfig(config));
  }
}
