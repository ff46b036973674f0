package io.daemonverticle.cluster;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestCluster} of a few nodes for a whole test class, plus a plain Vert.x outside it
 * for the fake daemon, which is not a cluster member any more than a real bitcoind is. Register
 * it as a static {@code @RegisterExtension} field: starting a cluster takes seconds, so the
 * class's tests share one.
 */
final class ClusterFixture implements BeforeAllCallback, AfterAllCallback {

  private final int size;
  private TestCluster cluster;
  private List<Vertx> nodes;
  private Vertx daemonVertx;

  ClusterFixture(int size) {
    this.size = size;
  }

  /** The cluster's nodes, in the order they joined. */
  List<Vertx> nodes() {
    return nodes;
  }

  Vertx node(int index) {
    return nodes.get(index);
  }

  /** Where the fake daemons run. */
  Vertx daemonVertx() {
    return daemonVertx;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    daemonVertx = Vertx.vertx();
    cluster = TestCluster.create();
    nodes = cluster.startNodes(size);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    // Each part may be missing when beforeAll failed half-way; close what there is.
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (daemonVertx != null) {
        daemonVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
