package io.daemonverticle.cluster;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A two-node loopback cluster of a fake daemon's service: the fat jar launched as a process
 * of its own ({@link LaunchedNode}) and a node in this JVM, joined to it, for the tests to use.
 * Closed in the reverse order, the launched process killed first.
 */
final class LaunchedCluster implements AutoCloseable {

  final Vertx daemonVertx;
  final FakeDaemon daemon;
  final TestCluster cluster;
  final JsonObject config;
  final LaunchedNode launched;
  final Vertx testNode;

  private LaunchedCluster(Vertx daemonVertx, FakeDaemon daemon, TestCluster cluster,
                          JsonObject config, LaunchedNode launched, Vertx testNode) {
    this.daemonVertx = daemonVertx;
    this.daemon = daemon;
    this.cluster = cluster;
    this.config = config;
    this.launched = launched;
    this.testNode = testNode;
  }

  /**
   * @param height the fake daemon's chain height
   * @param tweak  the service's config, from {@link Deployments#config(FakeDaemon)}
   * @param name   names the launched node's log under target/cluster-it
   */
  static LaunchedCluster start(int height, UnaryOperator<JsonObject> tweak, String name)
      throws Exception {
    Vertx daemonVertx = Vertx.vertx();
    FakeDaemon daemon = FakeDaemon.bitcoinLike(daemonVertx, height).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestCluster cluster = TestCluster.create();
    JsonObject config = tweak.apply(Deployments.config(daemon));
    LaunchedNode launched = LaunchedNode.start(cluster, config, name);
    Vertx testNode = cluster.startNode().toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    return new LaunchedCluster(daemonVertx, daemon, cluster, config, launched, testNode);
  }

  @Override
  public void close() throws Exception {
    try {
      launched.kill();
    } finally {
      try {
        cluster.close();
      } finally {
        daemonVertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
  }
}
