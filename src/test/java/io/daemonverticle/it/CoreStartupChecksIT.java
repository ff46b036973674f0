package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * minDaemonVersion and requiredIndexes against a real Litecoin Core 0.21.2.1 node: version
 * 210201 in getnetworkinfo, and getindexinfo with txindex only (coinstatsindex came with
 * Bitcoin Core 22).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CoreStartupChecksIT {

  @RegisterExtension
  static final OneCoreNode CORE = new OneCoreNode(CoreNode.Settings.password(), 1);

  private static JsonObject config(String minVersion, String... indexes) {
    return Deployments.litecoinConfig(CORE.node().url())
        .put("minDaemonVersion", minVersion)
        .put("requiredIndexes", new JsonArray(List.of((Object[]) indexes)));
  }

  @Test
  void deploysWhenTheNodeMeetsBoth(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = config("0.21.0", "txindex");
    // Its own version exactly is enough.
    JsonObject exact = config("0.21.2.1", "txindex");
    Deployments.deploy(vertx, config)
        .compose((String id) -> DaemonClient.create(vertx, config.getString("address")).height())
        .compose((Integer height) -> {
          ctx.verify(() -> assertThat(height).isEqualTo(1));
          return Deployments.deploy(vertx, exact);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void newerMinimumVersionFails(Vertx vertx, VertxTestContext ctx) {
    Deployments.deploy(vertx, config("0.22.0", "txindex"))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e.getMessage())
              .contains("daemon version 210201")
              .contains("/LitecoinCore:0.21.2.1/")
              .contains("older than minDaemonVersion 0.22.0 (220000)")
              .doesNotContain(password());
          ctx.completeNow();
        })));
  }

  @Test
  void versionOneAboveFails(Vertx vertx, VertxTestContext ctx) {
    Deployments.deploy(vertx, config("0.21.2.2"))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e.getMessage()).contains("older than minDaemonVersion 0.21.2.2 (210202)");
          ctx.completeNow();
        })));
  }

  @Test
  void missingIndexFails(Vertx vertx, VertxTestContext ctx) {
    Deployments.deploy(vertx, config("0.21.0", "txindex", "coinstatsindex"))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e.getMessage())
              .contains("lacks required index(es) [coinstatsindex]")
              .contains("it has [txindex]")
              .doesNotContain(password());
          ctx.completeNow();
        })));
  }

  private static String password() {
    return CORE.node().credentials().split(":", 2)[1];
  }
}
