package io.daemonverticle.it;

import io.daemonverticle.DaemonVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Deploys a DaemonVerticle in-process against real regtest nodes. */
final class ItDeployments {

  private ItDeployments() {
  }

  /**
   * Bitcoin regtest at {@code daemonUrl}, a unique address, no height polling unless asked,
   * backoff and breaker short enough that a restarted node is found again within a second.
   */
  static JsonObject config(String daemonUrl) {
    return new JsonObject()
        .put("daemonUrl", daemonUrl)
        .put("coin", "Bitcoin")
        .put("net", "regtest")
        .put("address", "daemon.it." + System.nanoTime())
        .put("initRetryMs", 50)
        .put("maxRetryMs", 500)
        .put("breakerResetMs", 500)
        .put("attemptTimeoutMs", 5000)
        .put("requestTimeoutMs", 15000)
        .put("heightPollMs", 0);
  }

  /** As {@link #config}, for Litecoin regtest (a Litecoin Core node from scripts/core). */
  static JsonObject litecoinConfig(String daemonUrl) {
    return config(daemonUrl).put("coin", "Litecoin");
  }

  /** Deploys with no environment overrides (DAEMON_URL of the shell must not leak in). */
  static Future<String> deploy(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new DaemonVerticle(Map.of()),
        new DeploymentOptions().setConfig(config));
  }
}
