package io.daemonverticle.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.impl.bus.ReplyBufferCodec;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.impl.MessageImpl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three clustered Vert.x nodes in this JVM, each running DaemonVerticle on one address against
 * one fake daemon: the caches are shared, one publication per height change, the load spread.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClusterDeploymentTest {

  @RegisterExtension
  static final ClusterFixture CLUSTER = new ClusterFixture(3);
  /** Vert.x's own codec of a Buffer body. */
  private static final String BUFFER_CODEC = "buffer";
  private final List<Runnable> undeploy = new CopyOnWriteArrayList<>();

  @AfterEach
  void undeployAll() {
    undeploy.forEach(Runnable::run);
  }

  @Test
  void theThreeNodesAreOneCluster() {
    for (Vertx node : CLUSTER.nodes()) {
      assertThat(node.isClustered()).isTrue();
      assertThat(TestCluster.memberCount(node)).isEqualTo(3);
    }
  }

  @Test
  void networkAndMempoolInfoAreAskedOnceAcrossTheCluster(VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 100).compose((FakeDaemon daemon) -> {
      // Slow answers: every node's asks arrive while the first load is still in flight.
      daemon.setLatency(300);
      JsonObject config = Deployments.config(daemon).put("cacheTtlMs", 60_000);
      String address = config.getString("address");
      return deployOnEach(config, 1)
          .compose((Void v) -> askEverywhere(address, Actions.NETWORK_INFO, 4))
          .compose((List<Object> infos) -> {
            ctx.verify(() -> {
              assertThat(new HashSet<>(infos)).hasSize(1);
              assertThat(count(daemon, "getnetworkinfo")).isEqualTo(1);
            });
            // Within the TTL another node answers from the shared cache.
            return ask(CLUSTER.node(2), address, Actions.NETWORK_INFO, true)
                .map((Object later) -> {
                  ctx.verify(() -> {
                    assertThat(later).isEqualTo(infos.get(0));
                    assertThat(count(daemon, "getnetworkinfo")).isEqualTo(1);
                  });
                  return null;
                });
          })
          .compose((Object v) -> askEverywhere(address, Actions.MEMPOOL_INFO, 4))
          .compose((List<Object> infos) -> {
            ctx.verify(() -> {
              assertThat(new HashSet<>(infos)).hasSize(1);
              assertThat(count(daemon, "getmempoolinfo")).isEqualTo(1);
              assertThat(count(daemon, "getnetworkinfo")).isEqualTo(1);
            });
            return askEach(address, Actions.STATUS);
          })
          .map((List<Object> statuses) -> {
            ctx.verify(() -> {
              long loads = 0;
              for (Object s : statuses) {
                loads += ((JsonObject) s).getLong("cacheLoads");
              }
              assertThat(loads).as("one load per cached key, cluster-wide").isEqualTo(2);
            });
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * rawBlocks from a node with no service of its own, asked on the bare event bus: the reply
   * crosses the cluster with Vert.x's Buffer codec (that node may not know the service's own),
   * byte for byte; the node with the service gets it locally too.
   */
  @Test
  void rawBlocksCrossTheClusterByteForByte(VertxTestContext ctx) {
    List<String> codecs = replyCodecsOn(CLUSTER.node(1));
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 100).compose((FakeDaemon daemon) -> {
      daemon.withRest(true);
      JsonObject config = Deployments.config(daemon);
      String address = config.getString("address");
      JsonObject body = new JsonObject().put("hashes", new JsonArray()
          .add(FakeChain.blockHash(7)).add(FakeChain.blockHash(8)));
      DeliveryOptions rawBlocks = new DeliveryOptions()
          .addHeader(Actions.HEADER, Actions.RAW_BLOCKS).setSendTimeout(15_000);
      return deploy(CLUSTER.node(0), config, 1)
          .compose((String id) -> Future.all(
              CLUSTER.node(1).eventBus().request(address, body, rawBlocks),
              CLUSTER.node(0).eventBus().request(address, body, rawBlocks)))
          .map((CompositeFuture both) -> {
            ctx.verify(() -> {
              for (int i = 0; i < 2; i++) {
                assertBlocks(BlockFrames.read((Buffer) both.<Message<Object>>resultAt(i).body()),
                    7, 8);
              }
              assertThat(codecs).as("the codecs of what node 1 received")
                  .contains(BUFFER_CODEC).doesNotContain(ReplyBufferCodec.NAME);
            });
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * The typed client on a node with no service asks for the reply codec that saves a copy, and
   * gets it across the cluster: the blocks come back byte for byte through its slice of the
   * wire.
   */
  @Test
  void aDaemonClientOnAnotherNodeGetsTheBlocksThroughTheReplyCodec(VertxTestContext ctx) {
    List<String> codecs = replyCodecsOn(CLUSTER.node(2));
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 100).compose((FakeDaemon daemon) -> {
      daemon.withRest(true);
      JsonObject config = Deployments.config(daemon);
      DaemonClient client = DaemonClient.create(CLUSTER.node(2), config.getString("address"));
      return deploy(CLUSTER.node(0), config, 1)
          .compose((String id) -> client.rawBlocks(List.of(FakeChain.blockHash(9),
              FakeChain.blockHash(10), FakeChain.blockHash(11))))
          .map((List<Buffer> blocks) -> {
            ctx.verify(() -> {
              assertBlocks(blocks, 9, 10, 11);
              assertThat(codecs).as("the codecs of what node 2 received")
                  .contains(ReplyBufferCodec.NAME).doesNotContain(BUFFER_CODEC);
            });
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** {@code blocks} are the fake chain's blocks at {@code heights}, byte for byte. */
  private static void assertBlocks(List<Buffer> blocks, int... heights) {
    assertThat(blocks).hasSize(heights.length);
    for (int i = 0; i < heights.length; i++) {
      assertThat(HexFormat.of().formatHex(blocks.get(i).getBytes())).as("block " + heights[i])
          .isEqualTo(FakeChain.rawBlockHex(heights[i]));
    }
  }

  /** The names of the codecs of the messages {@code node} receives from now on. */
  private List<String> replyCodecsOn(Vertx node) {
    List<String> codecs = new CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> interceptor = (DeliveryContext<Object> delivery) -> {
      codecs.add(((MessageImpl<?, ?>) delivery.message()).codec().name());
      delivery.next();
    };
    node.eventBus().addInboundInterceptor(interceptor);
    undeploy.add(() -> node.eventBus().removeInboundInterceptor(interceptor));
    return codecs;
  }

  @Test
  void cachedHeightOnAnyNodeIsTheNewestHeightAnyNodeSaw(VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 100).compose((FakeDaemon daemon) -> {
      JsonObject config = Deployments.config(daemon);
      String address = config.getString("address");
      return deployOnEach(config, 1)
          .compose((Void v) -> ask(CLUSTER.node(1), address, Actions.CACHED_HEIGHT, true))
          .compose((Object before) -> {
            ctx.verify(() -> assertThat(before).as("nobody asked yet").isNull());
            return ask(CLUSTER.node(0), address, Actions.HEIGHT, true);
          })
          .compose((Object h) -> {
            ctx.verify(() -> assertThat(h).isEqualTo(100));
            // `height` does not wait for the cluster: the shared height follows shortly.
            return Future.all(cachedHeightBecomes(1, address, 100),
                cachedHeightBecomes(2, address, 100));
          })
          .compose((CompositeFuture v) -> {
            daemon.setHeight(105);
            return ask(CLUSTER.node(2), address, Actions.HEIGHT, true);
          })
          .compose((Object h) -> {
            ctx.verify(() -> assertThat(h).isEqualTo(105));
            return Future.all(cachedHeightBecomes(0, address, 105),
                cachedHeightBecomes(1, address, 105));
          })
          .map((CompositeFuture v) -> {
            ctx.verify(() -> assertThat(count(daemon, "getblockcount"))
                .as("cachedHeight never asks the daemon").isEqualTo(2));
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void twoPollersPublishEachHeightChangeOnceAndOnlyOneOfThemPolls(VertxTestContext ctx) {
    List<JsonObject> heard = new CopyOnWriteArrayList<>();
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 100).compose((FakeDaemon daemon) -> {
      JsonObject config = Deployments.config(daemon).put("heightPollMs", 50);
      String address = config.getString("address");
      Vertx listener = CLUSTER.node(2);
      var consumer = listener.eventBus().<JsonObject>consumer(address + ".height",
          (Message<JsonObject> m) -> heard.add(m.body()));
      int[] pollsAtLastChange = new int[1];
      return consumer.completion()
          .compose((Void v) -> Future.all(deploy(CLUSTER.node(0), config, 1),
              deploy(CLUSTER.node(1), config, 1)))
          .compose((CompositeFuture v) -> TestCluster.until(listener, () -> heard.size() >= 1))
          .compose((Void v) -> {
            daemon.setHeight(101);
            return TestCluster.until(listener, () -> heard.size() >= 2);
          })
          .compose((Void v) -> {
            daemon.setHeight(102);
            return TestCluster.until(listener, () -> heard.size() >= 3);
          })
          .compose((Void v) -> {
            pollsAtLastChange[0] = count(daemon, "getblockcount");
            // Let the pollers see the unchanged height many more times.
            return TestCluster.until(listener,
                () -> count(daemon, "getblockcount") >= pollsAtLastChange[0] + 20);
          })
          .compose((Void v) -> Future.all(ask(CLUSTER.node(0), address, Actions.STATUS, true),
              ask(CLUSTER.node(1), address, Actions.STATUS, true)))
          .map((CompositeFuture all) -> {
            JsonObject s0 = all.resultAt(0);
            JsonObject s1 = all.resultAt(1);
            ctx.verify(() -> {
              assertThat(heard).containsExactly(
                  new JsonObject().put("height", 100).putNull("previous"),
                  new JsonObject().put("height", 101).put("previous", 100),
                  new JsonObject().put("height", 102).put("previous", 101));
              assertThat(s0.getLong("heightPublications") + s1.getLong("heightPublications"))
                  .isEqualTo(3);
              // The lease holder polls; the other instance never asked the daemon.
              assertThat(List.of(s0.getLong("heightPolls"), s1.getLong("heightPolls")))
                  .containsOnlyOnce(0L)
                  .anySatisfy((Long polls) -> assertThat(polls).isGreaterThanOrEqualTo(20));
            });
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void requestsAreSpreadOverTheInstancesOfEveryNode(VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 100).compose((FakeDaemon daemon) -> {
      JsonObject config = Deployments.config(daemon);
      String address = config.getString("address");
      return deployOnEach(config, 2).compose((Void v) -> {
        // One after the other, from one node, without localOnly: the event bus chooses.
        Future<List<JsonObject>> chain = Future.succeededFuture(new ArrayList<>());
        for (int i = 0; i < 30; i++) {
          chain = chain.compose((List<JsonObject> seen) -> ask(CLUSTER.node(0), address,
              Actions.STATUS, false)
              .map((Object s) -> {
                seen.add((JsonObject) s);
                return seen;
              }));
        }
        return chain;
      }).map((List<JsonObject> statuses) -> {
        Set<String> nodeIds = new HashSet<>();
        Set<String> instances = new HashSet<>();
        for (JsonObject s : statuses) {
          nodeIds.add(s.getJsonObject("node").getString("clusterNodeId"));
          instances.add(s.getJsonObject("node").getString("instance"));
        }
        ctx.verify(() -> {
          assertThat(nodeIds).containsExactlyInAnyOrder(TestCluster.nodeId(CLUSTER.node(0)),
              TestCluster.nodeId(CLUSTER.node(1)), TestCluster.nodeId(CLUSTER.node(2)));
          assertThat(instances).as("two instances on each of three nodes").hasSize(6);
        });
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theTypedClientIsServedByItsOwnNodesInstanceAndCrossesOnlyWithoutOne(
      VertxTestContext ctx) {
    // The local instance first (issue 30): the plain address round-robins over every node (the
    // test above), DaemonClient on a node with an instance stays on it; on a node without one
    // it goes across the cluster.
    FakeDaemon.bitcoinLike(CLUSTER.daemonVertx(), 100).compose((FakeDaemon daemon) -> {
      JsonObject config = Deployments.config(daemon);
      String address = config.getString("address");
      return deploy(CLUSTER.node(0), config, 1).compose((String id) ->
              deploy(CLUSTER.node(1), config, 1))
          .compose((String id) -> statuses(DaemonClient.create(CLUSTER.node(0), address), 20))
          .compose((Set<String> fromNode0) -> statuses(
              DaemonClient.create(CLUSTER.node(2), address), 20)
              .map((Set<String> fromNode2) -> List.of(fromNode0, fromNode2)));
    }).onComplete(ctx.succeeding((List<Set<String>> seen) -> ctx.verify(() -> {
      assertThat(seen.get(0)).as("every answer by node 0's own instance")
          .containsExactly(TestCluster.nodeId(CLUSTER.node(0)));
      assertThat(seen.get(1)).as("node 2 has no instance: answered across the cluster")
          .isSubsetOf(TestCluster.nodeId(CLUSTER.node(0)), TestCluster.nodeId(CLUSTER.node(1)))
          .isNotEmpty();
      ctx.completeNow();
    })));
  }

  /** The cluster node ids that answered {@code count} status requests, one after another. */
  private static Future<Set<String>> statuses(DaemonClient client, int count) {
    Future<Set<String>> chain = Future.succeededFuture(new HashSet<>());
    for (int i = 0; i < count; i++) {
      chain = chain.compose((Set<String> seen) -> client.status().map((JsonObject s) -> {
        seen.add(s.getJsonObject("node").getString("clusterNodeId"));
        return seen;
      }));
    }
    return chain;
  }

  // ---------------------------------------------------------------- helpers

  private Future<Void> deployOnEach(JsonObject config, int instances) {
    List<Future<String>> deployed = new ArrayList<>();
    for (Vertx node : CLUSTER.nodes()) {
      deployed.add(deploy(node, config, instances));
    }
    return Future.all(deployed).mapEmpty();
  }

  private Future<String> deploy(Vertx node, JsonObject config, int instances) {
    return node.deployVerticle(() -> new DaemonVerticle(Map.of()),
            new DeploymentOptions().setConfig(config).setInstances(instances))
        .onSuccess((String id) -> undeploy.add(() -> node.undeploy(id)));
  }

  /** {@code perNode} requests from every node at once, each served on the node it came from. */
  private static Future<List<Object>> askEverywhere(String address, String action, int perNode) {
    List<Future<Object>> asked = new ArrayList<>();
    for (Vertx node : CLUSTER.nodes()) {
      for (int i = 0; i < perNode; i++) {
        asked.add(ask(node, address, action, true));
      }
    }
    return Future.all(asked).map((CompositeFuture all) -> all.list());
  }

  private static Future<List<Object>> askEach(String address, String action) {
    return askEverywhere(address, action, 1);
  }

  /** localOnly: the request is served by an instance on that node, not routed elsewhere. */
  static Future<Object> ask(Vertx node, String address, String action, boolean localOnly) {
    return node.eventBus().request(address, null, new DeliveryOptions()
            .addHeader(Actions.HEADER, action).setLocalOnly(localOnly).setSendTimeout(15_000))
        .map(Message::body);
  }

  /** Asks node {@code index}'s cachedHeight every 20 ms until it is {@code height}. */
  private static Future<Void> cachedHeightBecomes(int index, String address, int height) {
    return ask(CLUSTER.node(index), address, Actions.CACHED_HEIGHT, true).compose((Object seen) ->
        Integer.valueOf(height).equals(seen) ? Future.succeededFuture()
            : Future.<Void>future((Promise<Void> p) -> CLUSTER.node(index).setTimer(20,
                (Long id) -> p.complete()))
                .compose((Void v) -> cachedHeightBecomes(index, address, height)));
  }

  static int count(FakeDaemon daemon, String method) {
    return (int) daemon.methods().stream().filter(method::equals).count();
  }
}
