package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 31 against two real Litecoin Core 0.21 regtest nodes that do not know each other:
 * one behind the other (the service leaves it for the one ahead, and says how far behind it
 * is), a reorg on the serving node (the height goes down only then), and a Bitcoin config
 * pointed at a Litecoin node (quarantined: every request 503 naming block 0).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class CoreFleetIT {

  private static final int BEHIND = 5;
  private static final int AHEAD = 25;

  @RegisterExtension
  static final OneCoreNode BEHIND_NODE = new OneCoreNode("behind", CoreNode.Settings.password(),
      BEHIND);
  @RegisterExtension
  static final OneCoreNode AHEAD_NODE = new OneCoreNode("ahead", CoreNode.Settings.password(),
      AHEAD);
  private static WebClient web;

  @BeforeAll
  static void startNodes(Vertx vertx) {
    web = RegtestNode.webClient(vertx);
  }

  @Test
  void theNodeBehindIsLeftAndOnlyAReorgOnTheServingNodeLowersTheHeight(Vertx vertx,
                                                                      VertxTestContext ctx) {
    JsonObject config = Deployments.litecoinConfig(
            BEHIND_NODE.node().url() + "," + AHEAD_NODE.node().url())
        .put("heightPollMs", 200);
    DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
    Deployments.deploy(vertx, config)
        .compose((String id) -> until(vertx, client, (JsonObject s) ->
            AHEAD_NODE.node().publicUrl().equals(s.getString("currentUrl"))))
        .compose((JsonObject status) -> {
          JsonObject first = status.getJsonArray("urls").getJsonObject(0);
          assertThat(first.getString("chainCheck")).isEqualTo("GOOD");
          assertThat(first.getString("chain")).isEqualTo("regtest");
          assertThat(first.getInteger("height")).isEqualTo(BEHIND);
          assertThat(first.getInteger("behind")).isEqualTo(AHEAD - BEHIND);
          assertThat(first.getBoolean("lagging")).isTrue();
          return client.height();
        })
        .compose((Integer h) -> {
          assertThat(h).isEqualTo(AHEAD);
          // A 3-block reorg on the serving node: its tip goes back to AHEAD - 3.
          return AHEAD_NODE.node().rpc(web, "getblockhash", AHEAD - 2);
        })
        .compose((Object hash) -> AHEAD_NODE.node().rpc(web, "invalidateblock", hash))
        .compose((Object v) -> client.height())
        .map((Integer h) -> {
          assertThat(h).as("a reorg told by the node that gave the best height")
              .isEqualTo(AHEAD - 3);
          return h;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBitcoinConfigOnALitecoinNodeIsQuarantined(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = Deployments.realNodeConfig(BEHIND_NODE.node().url());
    DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
    Deployments.deploy(vertx, config)
        .compose((String id) -> client.height())
        .transform(ar -> {
          assertThat(ar.failed()).isTrue();
          DaemonException e = (DaemonException) ar.cause();
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.getMessage()).startsWith("every daemon URL is quarantined: ")
              .contains(BEHIND_NODE.node().publicUrl() + " is on another chain: its block 0 is "
                  + "530827f38f93b43ed12af0b3ad25a288dc02ed74d6d7857862df51fc56c416f9")
              .contains("Bitcoin regtest's genesis block")
              .doesNotContain(BEHIND_NODE.node().credentials());
          return client.status();
        })
        .map((JsonObject status) -> {
          assertThat(status.getJsonArray("urls").getJsonObject(0).getString("advice"))
              .startsWith("point " + BEHIND_NODE.node().publicUrl() + " at a regtest node");
          return status;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The status, asked every 100 ms until it passes {@code test} (30 s at most). */
  private static Future<JsonObject> until(Vertx vertx, DaemonClient client,
                                          Predicate<JsonObject> test) {
    Promise<JsonObject> done = Promise.promise();
    long deadline = System.nanoTime() + 30_000_000_000L;
    Runnable[] ask = new Runnable[1];
    ask[0] = () -> client.status().onComplete(ar -> {
      if (ar.succeeded() && test.test(ar.result())) {
        done.complete(ar.result());
      } else if (System.nanoTime() - deadline > 0) {
        done.fail(new AssertionError("status never passed: "
            + (ar.succeeded() ? ar.result() : ar.cause())));
      } else {
        vertx.setTimer(100, t -> ask[0].run());
      }
    });
    ask[0].run();
    return done.future();
  }
}
