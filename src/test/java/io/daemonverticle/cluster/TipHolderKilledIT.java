package io.daemonverticle.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.TipUpdate;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node that follows the tip killed (SIGKILL: no lease released, no member leaving
 * politely) between two blocks, in a two-node cluster: the launched fat jar holds the poller
 * lease and publishes the first block; it dies; the next block comes while nobody leads; this
 * JVM's node takes over once the lease runs out and publishes it and the one after, going on
 * from the chain and seq the dead node stored. A consumer here is given each block once, in
 * order, with seqs one apart and each {@code previous} the block before.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class TipHolderKilledIT {

  private static final int TIP = 500;
  private static LaunchedCluster setup;
  private static FakeDaemon daemon;
  private static Vertx testNode;
  private static LaunchedNode holder;
  private static JsonObject config;

  @BeforeAll
  static void startTheHolderAndJoinIt() throws Exception {
    // The poll alone (the fake has no waitfornewblock worth waiting on): every 200 ms, so the
    // lease (3 periods, at least a period + 2 s) runs out 2.2 s after the holder's last renewal.
    setup = LaunchedCluster.start(TIP,
        (JsonObject c) -> c.put("heightPollMs", 200).put("tipLongPoll", false), "tip-holder");
    daemon = setup.daemon;
    testNode = setup.testNode;
    holder = setup.launched;
    config = setup.config;
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (setup != null) {
      setup.close();
    }
  }

  @Test
  void theNodeTakingOverFromAKilledHolderLosesAndRepeatsNoTip(VertxTestContext ctx)
      throws Exception {
    String address = config.getString("address");
    List<TipUpdate> given = Collections.synchronizedList(new ArrayList<>());
    DaemonClient client = DaemonClient.create(testNode, address);
    client.tips(given::add).completion()
        .compose((Void v) -> holder.untilServed(testNode, address))
        // Only the holder runs yet (its status is the only one): it publishes the tip it
        // finds (before or after this consumer registered), then block 501.
        .compose((Void v) -> holderPublished(client, TIP))
        .compose((Void v) -> {
          daemon.setHeight(TIP + 1);
          return until(() -> heightsOf(given).contains(TIP + 1));
        })
        // A second instance, here: it does not lead while the holder renews its lease.
        .compose((Void v) -> testNode.deployVerticle(() -> new DaemonVerticle(Map.of()),
            new DeploymentOptions().setConfig(config)))
        .compose((String id) -> localStatus(address))
        .compose((JsonObject status) -> {
          ctx.verify(() -> assertThat(status.getJsonObject("tip").getLong("publications"))
              .as("the instance here published nothing: the launched node follows the tip")
              .isZero());
          // Waiting for the process to end blocks: not on the event loop.
          return testNode.executeBlocking(() -> holder.kill());
        })
        .compose((Boolean killed) -> {
          ctx.verify(() -> assertThat(killed).as("the holder's process ended").isTrue());
          // Block 502 comes while nobody leads.
          daemon.setHeight(TIP + 2);
          return until(() -> heightsOf(given).contains(TIP + 2));
        })
        .compose((Void v) -> {
          daemon.setHeight(TIP + 3);
          return until(() -> heightsOf(given).contains(TIP + 3));
        })
        .compose((Void v) -> localStatus(address))
        .onComplete(ctx.succeeding((JsonObject status) -> ctx.verify(() -> {
          JsonObject tip = status.getJsonObject("tip");
          assertThat(tip.getLong("publications") - tip.getLong("republications"))
              .as("the instance here published 502 and 503 (and 501 again only if the "
                  + "holder died before confirming it)").isEqualTo(2);
          assertThat(tip.getInteger("height")).isEqualTo(TIP + 3);
          List<TipUpdate> fromFirst = fromHeight(given, TIP + 1);
          assertThat(heightsOf(fromFirst)).containsExactly(TIP + 1, TIP + 2, TIP + 3);
          long seq = fromFirst.get(0).seq();
          for (int i = 0; i < fromFirst.size(); i++) {
            TipUpdate update = fromFirst.get(i);
            int height = TIP + 1 + i;
            assertThat(update.hash()).isEqualTo(daemon.chain().hashAt(height));
            assertThat(update.seq()).as("seqs one apart across the takeover").isEqualTo(seq + i);
            assertThat(update.previous().height()).isEqualTo(height - 1);
            assertThat(update.previous().hash()).isEqualTo(daemon.chain().hashAt(height - 1));
            assertThat(update.forkHeight()).isNull();
          }
          ctx.completeNow();
        })));
  }

  /** Completes once the holder's status says it published the block at {@code height}. */
  private static Future<Void> holderPublished(DaemonClient client, int height) {
    return client.status().compose((JsonObject status) -> {
      Integer published = status.getJsonObject("tip").getInteger("height");
      if (published != null && published == height) {
        return Future.succeededFuture();
      }
      return testNode.timer(50).compose(t -> holderPublished(client, height));
    });
  }

  private static Future<JsonObject> localStatus(String address) {
    return ClusterDeploymentTest.ask(testNode, address, io.daemonverticle.Actions.STATUS, true)
        .map(JsonObject.class::cast);
  }

  private static List<Integer> heightsOf(List<TipUpdate> updates) {
    synchronized (updates) {
      return updates.stream().map(TipUpdate::height).toList();
    }
  }

  private static List<TipUpdate> fromHeight(List<TipUpdate> updates, int height) {
    synchronized (updates) {
      int first = 0;
      while (first < updates.size() && updates.get(first).height() != height) {
        first++;
      }
      return List.copyOf(updates.subList(first, updates.size()));
    }
  }

  private static Future<Void> until(java.util.function.BooleanSupplier condition) {
    return TestCluster.until(testNode, condition);
  }
}
