package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.LogCapture;
import io.daemonverticle.cluster.TestCluster;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/dv --cluster against a running service: it joins as a lite member, is answered,
 * and leaves, with nothing on either side logged as an error. (It once could not join at all:
 * Vert.x takes a provided Hazelcast instance's node id from a member attribute the tool did
 * not set, and the service's node failed to handle the nameless member leaving.)
 */
class DaemonCliClusterTest {

  private static final String CLUSTER_CONFIG = "vertx.hazelcast.config";

  @Test
  void aHeightAskedOverTheClusterIsPrintedAndTheToolLeavesCleanly(@TempDir Path dir)
      throws Exception {
    TestCluster cluster = TestCluster.create();
    Vertx daemonVertx = Vertx.vertx();
    Path xml = dir.resolve("cluster.xml");
    Files.writeString(xml, cluster.clusterXmlText(), StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    LogCapture log = LogCapture.start();
    try {
      FakeDaemon daemon = FakeDaemon.bitcoinLike(daemonVertx, 77).toCompletionStage()
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      JsonObject config = Deployments.config(daemon).put("heightPollMs", 0);
      String address = config.getString("address");
      Vertx node = cluster.startNode().toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      node.deployVerticle(() -> new DaemonVerticle(Map.of()),
          new DeploymentOptions().setConfig(config)).toCompletionStage().toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
      System.setProperty(CLUSTER_CONFIG, xml.toString());
      int status = DaemonCli.run(DaemonCli.CliArgs.parse(new String[] {"height", "--cluster",
              "--address", address}),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(status).as("stderr: %s", err).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("77");
      // The service's node saw the tool leave, and serves on.
      TestCluster.until(node, () -> TestCluster.memberCount(node) == 1).toCompletionStage()
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(DaemonClient.create(node, address).height().toCompletionStage()
          .toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(77);
    } finally {
      log.close();
      System.clearProperty(CLUSTER_CONFIG);
      cluster.close();
      daemonVertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(log.linesWith("ERROR")).isEmpty();
    assertThat(log.linesWith("Exception")).as("no stack trace in the log").isEmpty();
  }
}
