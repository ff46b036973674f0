package io.daemonverticle.cluster;

import static io.daemonverticle.cluster.ClusterDeploymentTest.ask;
import static io.daemonverticle.cluster.ClusterDeploymentTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node holding the height-poller lease is closed while requests are in flight on the
 * others: those are answered, the shared caches survive (Hazelcast backups), and another node
 * takes the lease over and keeps publishing height changes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 45, timeUnit = TimeUnit.SECONDS)
class ClusterNodeLeavesTest {

  @RegisterExtension
  static final ClusterFixture CLUSTER = new ClusterFixture(3);

  @Test
  void nodeHoldingThePollerLeaseLeavesMidRun(VertxTestContext ctx) {
    List<JsonObject> heard = new CopyOnWriteArrayList<>();
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 200).compose((FakeDaemon daemon) -> {
      JsonObject config = Deployments.config(daemon)
          .put("heightPollMs", 50)
          .put("cacheTtlMs", 60_000)
          .put("requestTimeoutMs", 10_000);
      String address = config.getString("address");
      List<Future<String>> deployed = new ArrayList<>();
      for (Vertx node : CLUSTER.nodes()) {
        deployed.add(node.deployVerticle(() -> new DaemonVerticle(Map.of()),
            new DeploymentOptions().setConfig(config)));
      }
      return Future.all(deployed)
          // The first publication: some node holds the lease and polls.
          .compose((CompositeFuture v) -> TestCluster.until(CLUSTER.daemonVertx(),
              () -> count(daemon, "getblockcount") > 0))
          .compose((Void v) -> ask(CLUSTER.node(0), address, Actions.NETWORK_INFO, true))
          .compose((Object info) -> holderIndex(address).map((Integer holder) -> {
            Vertx leaving = CLUSTER.node(holder);
            List<Vertx> staying = new ArrayList<>(CLUSTER.nodes());
            staying.remove(leaving);
            return new Object[] {info, leaving, staying};
          }))
          .compose((Object[] state) -> {
            JsonObject info = (JsonObject) state[0];
            Vertx leaving = (Vertx) state[1];
            @SuppressWarnings("unchecked")
            List<Vertx> staying = (List<Vertx>) state[2];
            Vertx listener = staying.get(0);
            var consumer = listener.eventBus().<JsonObject>consumer(address + ".height",
                (Message<JsonObject> m) -> heard.add(m.body()));
            return consumer.completion().compose((Void v) -> {
              // Requests on the staying nodes, slowed so they are in flight while it leaves.
              daemon.setLatency(400);
              List<Future<Object>> inFlight = new ArrayList<>();
              for (Vertx node : staying) {
                inFlight.add(ask(node, address, Actions.HEIGHT, true));
                inFlight.add(ask(node, address, Actions.MEMPOOL_HASHES, true));
              }
              Future<Void> left = leaving.close();
              return Future.all(left, Future.all(new ArrayList<>(inFlight)))
                  .compose((CompositeFuture all) -> {
                    daemon.setLatency(0);
                    ctx.verify(() -> {
                      for (Future<Object> f : inFlight) {
                        assertThat(f.succeeded()).isTrue();
                      }
                    });
                    return TestCluster.until(listener, () -> TestCluster.memberCount(listener) == 2);
                  })
                  .compose((Void gone) -> {
                    // The caches are still there: no new getnetworkinfo, the height known.
                    return Future.all(ask(staying.get(1), address, Actions.NETWORK_INFO, true),
                        ask(staying.get(1), address, Actions.CACHED_HEIGHT, true));
                  })
                  .compose((CompositeFuture all) -> {
                    ctx.verify(() -> {
                      assertThat((Object) all.resultAt(0)).isEqualTo(info);
                      assertThat(count(daemon, "getnetworkinfo")).isEqualTo(1);
                      assertThat((Object) all.resultAt(1)).isEqualTo(200);
                    });
                    // A change after the holder left is still published, once.
                    daemon.setHeight(201);
                    return TestCluster.until(listener, () -> !heard.isEmpty());
                  })
                  .compose((Void published) -> {
                    int polls = count(daemon, "getblockcount");
                    return TestCluster.until(listener,
                        () -> count(daemon, "getblockcount") >= polls + 10);
                  })
                  .compose((Void polled) -> Future.all(ask(staying.get(0), address, Actions.STATUS,
                      true),
                      ask(staying.get(1), address, Actions.STATUS, true)))
                  .map((CompositeFuture all) -> {
                    JsonObject s0 = all.resultAt(0);
                    JsonObject s1 = all.resultAt(1);
                    ctx.verify(() -> {
                      assertThat(heard).containsExactly(
                          new JsonObject().put("height", 201).put("previous", 200));
                      assertThat(s0.getLong("heightPolls") + s1.getLong("heightPolls"))
                          .as("one of the staying nodes took the poller lease over")
                          .isPositive();
                    });
                    return null;
                  });
            });
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** Which node's instance has polled the daemon: the one holding the poller lease. */
  private static Future<Integer> holderIndex(String address) {
    List<Future<Object>> statuses = new ArrayList<>();
    for (Vertx node : CLUSTER.nodes()) {
      statuses.add(ask(node, address, Actions.STATUS, true));
    }
    return Future.all(statuses).map((CompositeFuture all) -> {
      int holder = -1;
      for (int i = 0; i < CLUSTER.nodes().size(); i++) {
        if (((JsonObject) all.resultAt(i)).getLong("heightPolls") > 0) {
          assertThat(holder).as("only one node polls").isEqualTo(-1);
          holder = i;
        }
      }
      assertThat(holder).as("some node polls").isNotNegative();
      return holder;
    });
  }
}
