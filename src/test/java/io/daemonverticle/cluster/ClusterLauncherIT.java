package io.daemonverticle.cluster;

import static io.daemonverticle.cluster.ClusterDeploymentTest.ask;
import static io.daemonverticle.cluster.ClusterDeploymentTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** The pom's service.jvm.args: the Vector API module and what Hazelcast asks for on Java 17. */
  private static final List<String> SERVICE_JVM_ARGS = List.of(
      "--add-modules", "java.se,jdk.incubator.vector",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private static Vertx daemonVertx;
  private static FakeDaemon daemon;
  private static TestCluster cluster;
  private static Vertx testNode;
  private static Process child;
  private static JsonObject config;

  @BeforeAll
  static void startLauncherNodeAndJoinIt() throws Exception {
    daemonVertx = Vertx.vertx();
    daemon = FakeDaemon.bitcoinLike(daemonVertx, 321).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    cluster = TestCluster.create();
    Path dir = Path.of(System.getProperty("project.basedir", ".")).resolve("target/cluster-it");
    Files.createDirectories(dir);
    Path xml = dir.resolve("cluster-" + cluster.basePort() + ".xml");
    Files.writeString(xml, cluster.clusterXmlText(), StandardCharsets.UTF_8);
    config = Deployments.config(daemon).put("heightPollMs", 0).put("cacheTtlMs", 60_000);

    Path jar = Path.of(System.getProperty("fat.jar", "target/daemon-verticle-fat.jar"));
    assertThat(jar).as("the fat jar (mvn package)").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SERVICE_JVM_ARGS);
    command.add("-Dvertx.hazelcast.config=" + xml.toAbsolutePath());
    command.add("-Dhazelcast.phone.home.enabled=false");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "-conf", config.encode(),
        "-cluster", "-cluster-host", TestCluster.LOOPBACK));
    child = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child-" + cluster.basePort() + ".log").toFile())
        .start();
    testNode = cluster.startNode().toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopAll() throws Exception {
    try {
      if (child != null) {
        child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
      if (daemonVertx != null) {
        daemonVertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @Order(1)
  void theLaunchedNodeServesThisNodesRequests(VertxTestContext ctx) {
    String address = config.getString("address");
    DaemonClient client = DaemonClient.create(testNode, address);
    untilServed(address)
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
    assertThat(child.destroyForcibly().waitFor(20, TimeUnit.SECONDS)).isTrue();
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

  /** Completes once the launched node answers on the address (it starts in a few seconds). */
  private static Future<Void> untilServed(String address) {
    Promise<Void> served = Promise.promise();
    tryStatus(address, served);
    return served.future();
  }

  private static void tryStatus(String address, Promise<Void> served) {
    if (!child.isAlive()) {
      served.fail("the launched node exited with " + child.exitValue()
          + "; see target/cluster-it/child-" + cluster.basePort() + ".log");
      return;
    }
    ask(testNode, address, Actions.STATUS, false).onComplete((AsyncResult<Object> ar) -> {
      if (ar.succeeded()) {
        served.complete();
      } else {
        testNode.setTimer(200, (Long id) -> tryStatus(address, served));
      }
    });
  }
}
