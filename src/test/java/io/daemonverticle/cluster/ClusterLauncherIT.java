package io.daemonverticle.cluster;

import static io.daemonverticle.cluster.ClusterDeploymentTest.ask;
import static io.daemonverticle.cluster.ClusterDeploymentTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The launcher path: the fat jar started with {@code -cluster} as a separate process, with the
 * shipped conf/cluster.xml (given its own cluster name and ports) named by
 * {@code -Dvertx.hazelcast.config}, and a node in this JVM joining that cluster to use it.
 * Needs the fat jar: runs in failsafe's phase, after package.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLauncherIT {

  private static LaunchedCluster setup;
  private static FakeDaemon daemon;
  private static Vertx testNode;
  private static LaunchedNode child;
  private static JsonObject config;

  @BeforeAll
  static void startLauncherNodeAndJoinIt() throws Exception {
    setup = LaunchedCluster.start(321,
        (JsonObject c) -> c.put("heightPollMs", 0).put("cacheTtlMs", 60_000), "child");
    daemon = setup.daemon;
    testNode = setup.testNode;
    child = setup.launched;
    config = setup.config;
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (setup != null) {
      setup.close();
    }
  }

  @Test
  @Order(1)
  void theLaunchedNodeServesThisNodesRequests(VertxTestContext ctx) {
    String address = config.getString("address");
    DaemonClient client = DaemonClient.create(testNode, address);
    child.untilServed(testNode, address)
        .compose((Void v) -> client.height())
        .compose((Integer height) -> client.networkInfo().map((JsonObject info) -> height))
        .compose((Integer height) -> client.status().map((JsonObject status) -> {
          ctx.verify(() -> {
            assertThat(child.isAlive()).isTrue();
            assertThat(TestCluster.memberCount(testNode)).isEqualTo(2);
            assertThat(height).isEqualTo(321);
            String answeredBy = status.getJsonObject("node").getString("clusterNodeId");
            assertThat(answeredBy).isNotNull().isNotEqualTo(TestCluster.nodeId(testNode));
            assertThat(status.getInteger("cachedHeight")).isEqualTo(321);
            assertThat(count(daemon, "getnetworkinfo")).isEqualTo(1);
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Order(2)
  void whatTheKilledNodeCachedSurvivesOnThisNode(VertxTestContext ctx) throws Exception {
    String address = config.getString("address");
    // The launched node dies without a word: its map entries live on in their backups here.
    assertThat(child.kill()).isTrue();
    TestCluster.until(testNode, () -> TestCluster.memberCount(testNode) == 1)
        .compose((Void v) -> testNode.deployVerticle(() -> new DaemonVerticle(Map.of()),
            new DeploymentOptions().setConfig(config)))
        .compose((String id) -> Future.all(ask(testNode, address, Actions.CACHED_HEIGHT, true),
            ask(testNode, address, Actions.NETWORK_INFO, true)))
        .map((CompositeFuture all) -> {
          ctx.verify(() -> {
            assertThat((Object) all.resultAt(0)).isEqualTo(321);
            assertThat((JsonObject) all.resultAt(1)).isNotNull();
            assertThat(count(daemon, "getnetworkinfo")).as("served from the shared cache")
                .isEqualTo(1);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
