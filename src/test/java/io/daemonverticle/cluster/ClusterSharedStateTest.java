package io.daemonverticle.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.NanoClock;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SharedState's primitives on a real two-member Hazelcast cluster: what the design relies on
 * (putIfAbsent, compare-and-set of Integer and String values, leases that run out) holds
 * there, not only on Vert.x's local shared data.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClusterSharedStateTest {

  private static TestCluster cluster;
  private static Vertx nodeA;
  private static Vertx nodeB;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.create();
    List<Vertx> nodes = cluster.startNodes(2);
    nodeA = nodes.get(0);
    nodeB = nodes.get(1);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  private static Future<List<SharedState>> states() {
    return states("shared.test." + System.nanoTime());
  }

  private static Future<List<SharedState>> states(String address) {
    return Future.all(SharedState.create(nodeA, address, "owner-a", 5_000),
            SharedState.create(nodeB, address, "owner-b", 5_000))
        .map((CompositeFuture all) -> List.of(all.resultAt(0), all.resultAt(1)));
  }

  @Test
  void theTwoNodesAreOneCluster() {
    assertThat(TestCluster.memberCount(nodeA)).isEqualTo(2);
    assertThat(TestCluster.nodeId(nodeA)).isNotEqualTo(TestCluster.nodeId(nodeB));
  }

  @Test
  void leaseIsHeldByOneNodeAndRenewedByItsHolder(VertxTestContext ctx) {
    states().compose((List<SharedState> s) -> {
      SharedState a = s.get(0);
      SharedState b = s.get(1);
      return a.leases().tryTake("work.lease", 5_000)
          .compose((Boolean first) -> a.leases().tryTake("work.lease", 5_000)
              .map((Boolean renewed) -> List.of(first, renewed)))
          .compose((List<Boolean> aResults) -> b.leases().tryTake("work.lease", 5_000)
              .map((Boolean bHeld) -> {
            ctx.verify(() -> {
              assertThat(aResults).as("taken, then renewed by its holder").containsExactly(true, true);
              assertThat(bHeld).as("the other node while it is held").isFalse();
            });
            return null;
          }))
          .compose((Object v) -> a.leases().release("work.lease"))
          .compose((Boolean released) -> b.leases().tryTake("work.lease", 5_000)
              .map((Boolean bHeld) -> {
            ctx.verify(() -> {
              assertThat(released).isTrue();
              assertThat(bHeld).as("free after its holder released it").isTrue();
            });
            return null;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void leaseOfAHolderThatStopsRenewingExpiresAndAnotherNodeTakesIt(VertxTestContext ctx) {
    AtomicInteger refusals = new AtomicInteger();
    states().compose((List<SharedState> s) -> {
      SharedState a = s.get(0);
      SharedState b = s.get(1);
      // a takes a short lease and then behaves as if dead: it never renews nor releases it.
      return a.leases().tryTake("poller.lease", 1_000)
          .compose((Boolean held) -> {
            ctx.verify(() -> assertThat(held).isTrue());
            return retryUntilHeld(b, "poller.lease", refusals);
          })
          .compose((Void v) -> a.leases().tryTake("poller.lease", 1_000));
    }).onComplete(ctx.succeeding((Boolean aAgain) -> ctx.verify(() -> {
      assertThat(refusals.get()).as("b was refused while a's lease ran").isPositive();
      assertThat(aAgain).as("a, back, finds b holding it").isFalse();
      ctx.completeNow();
    })));
  }

  /**
   * Takes the lease as a with the same length, as every node of an address does: a lease
   * longer than the taker's own is no lease of a node configured like it, and taken over.
   */
  private static Future<Void> retryUntilHeld(SharedState state, String lease,
                                             AtomicInteger refusals) {
    return state.leases().tryTake(lease, 1_000).compose((Boolean held) -> {
      if (held) {
        return Future.succeededFuture();
      }
      refusals.incrementAndGet();
      return Future.<Void>future((Promise<Void> p) -> nodeB.setTimer(50, (Long id) -> p.complete()))
          .compose((Void v) -> retryUntilHeld(state, lease, refusals));
    });
  }

  @Test
  void concurrentObservationsOfOneHeightPublishOnceAndAnyNodeReadsIt(VertxTestContext ctx) {
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    String address = "shared.test." + System.nanoTime();
    states(address).compose((List<SharedState> s) -> {
      SharedState a = s.get(0);
      SharedState b = s.get(1);
      var consumer = nodeB.eventBus().<JsonObject>consumer(address + ".height",
          (Message<JsonObject> m) -> published.add(m.body()));
      return consumer.completion()
          .compose((Void v) -> Future.all(a.observeHeight(7, true), b.observeHeight(7, true),
              a.observeHeight(7, true),
              b.observeHeight(7, true)))
          .compose((CompositeFuture v) -> Future.all(a.observeHeight(8, true), b.observeHeight(8,
              true)))
          .compose((CompositeFuture v) -> TestCluster.until(nodeB, () -> published.size() >= 2))
          .compose((Void v) -> b.cachedHeight(5_000))
          .map((Integer fromB) -> {
            ctx.verify(() -> {
              assertThat(fromB).isEqualTo(8);
              // Counted when a compare-and-set wins, before each observeHeight completed.
              assertThat(a.publications() + b.publications()).isEqualTo(2);
              // In either order: when a published 7 and b 8, b hears its own 8 at once and
              // a's 7 over the network; Vert.x orders the messages of one publisher only.
              assertThat(published).containsExactlyInAnyOrder(
                  new JsonObject().put("height", 7).putNull("previous"),
                  new JsonObject().put("height", 8).put("previous", 7));
            });
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void cachedValueIsLoadedOnceAcrossNodesAndServedToTheOther(VertxTestContext ctx) {
    AtomicInteger loads = new AtomicInteger();
    JsonObject info = new JsonObject().put("relayfee", 0.00001).put("version", 270000);
    states().compose((List<SharedState> s) -> {
      List<Future<JsonObject>> asked = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        SharedState state = s.get(i % 2);
        asked.add(state.cached("networkInfo", JsonObject.class, 60_000, Deadline.in(10_000, NanoClock.SYSTEM),
            (Deadline own) -> {
          loads.incrementAndGet();
          // Slow enough that every asker arrives while the load is in flight.
          return Future.<JsonObject>future((Promise<JsonObject> p) -> nodeA.setTimer(300,
              (Long id) -> p.complete(info)));
        }));
      }
      return Future.all(asked).compose((CompositeFuture all) -> s.get(1).cached("networkInfo",
          JsonObject.class,
          60_000,
          Deadline.in(10_000, NanoClock.SYSTEM), (Deadline own) -> {
            loads.incrementAndGet();
            return Future.succeededFuture(new JsonObject());
          }).map((JsonObject later) -> {
            ctx.verify(() -> {
              for (int i = 0; i < all.size(); i++) {
                assertThat((JsonObject) all.resultAt(i)).isEqualTo(info);
              }
              assertThat(later).as("within the TTL, from the shared map").isEqualTo(info);
              assertThat(loads.get()).isEqualTo(1);
            });
            return null;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Values another member wrote in other types (issue 29, finding 8) are replaced on Hazelcast
   * too, where a compare-and-set compares serialized bytes: a String where the height belongs,
   * an info as a JsonObject with no expiry, a lease of 30 years.
   */
  @Test
  void valuesOfOtherTypesAreReplacedByCompareAndSetOnHazelcast(VertxTestContext ctx) {
    String address = "shared.test." + System.nanoTime();
    JsonObject info = new JsonObject().put("relayfee", 0.00001).put("version", 270000);
    AtomicInteger bLoads = new AtomicInteger();
    states(address).compose((List<SharedState> s) -> nodeA.sharedData()
        .<String, Object>getAsyncMap("daemon-verticle:" + address)
        .compose((AsyncMap<String, Object> map) -> map.put("height", "not a height")
            .compose((Void v) -> s.get(1).observeHeight(9, false))
            .compose((Void v) -> s.get(0).cachedHeight(5_000))
            .compose((Integer height) -> {
              ctx.verify(() -> assertThat(height).isEqualTo(9));
              return map.put("networkInfo", new JsonObject().put("relayfee", 999));
            })
            .compose((Void v) -> s.get(0).cached("networkInfo", JsonObject.class, 60_000,
                Deadline.in(10_000, NanoClock.SYSTEM), (Deadline own) -> Future.succeededFuture(info)))
            .compose((JsonObject first) -> s.get(1).cached("networkInfo", JsonObject.class,
                60_000, Deadline.in(10_000, NanoClock.SYSTEM), (Deadline own) -> {
                  bLoads.incrementAndGet();
                  return Future.succeededFuture(new JsonObject());
                }))
            .compose((JsonObject second) -> {
              ctx.verify(() -> {
                assertThat(second).as("a's, stored over the bad one").isEqualTo(info);
                assertThat(bLoads).hasValue(0);
              });
              return map.put("work.lease", TimeUnit.DAYS.toMillis(30 * 365) + "|forged|x");
            })
            .compose((Void v) -> s.get(1).leases().tryTake("work.lease", 5_000))))
        .onComplete(ctx.succeeding((Boolean taken) -> ctx.verify(() -> {
          assertThat(taken).as("the 30-year lease, taken over at once").isTrue();
          ctx.completeNow();
        })));
  }

  /**
   * An entry's freshness is its stored expiry, to the millisecond, not Hazelcast's TTL (kept
   * in whole seconds): a ttl under a second is shared across the cluster, and ends.
   */
  @Test
  void aTtlUnderASecondIsSharedAndEnds(VertxTestContext ctx) {
    AtomicInteger loads = new AtomicInteger();
    states().compose((List<SharedState> s) -> s.get(0).cached("networkInfo", Integer.class,
            500, Deadline.in(10_000, NanoClock.SYSTEM), (Deadline own) -> Future.succeededFuture(
                loads.incrementAndGet()))
        .compose((Integer first) -> s.get(1).cached("networkInfo", Integer.class, 500,
            Deadline.in(10_000, NanoClock.SYSTEM), (Deadline own) -> Future.succeededFuture(
                loads.incrementAndGet())))
        .compose((Integer second) -> {
          ctx.verify(() -> assertThat(second).as("a's, from the map").isEqualTo(1));
          return Future.<Void>future((Promise<Void> p) -> nodeB.setTimer(600,
              (Long id) -> p.complete()));
        })
        .compose((Void v) -> s.get(1).cached("networkInfo", Integer.class, 500,
            Deadline.in(10_000, NanoClock.SYSTEM), (Deadline own) -> Future.succeededFuture(
                loads.incrementAndGet()))))
        .onComplete(ctx.succeeding((Integer third) -> ctx.verify(() -> {
          assertThat(third).as("loaded again once expired").isEqualTo(2);
          ctx.completeNow();
        })));
  }
}
