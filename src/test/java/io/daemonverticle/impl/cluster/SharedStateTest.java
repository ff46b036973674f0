package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.ImmediateMap;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared height's rules, on local shared data (the cluster tests run the same code). */
@ExtendWith(VertxExtension.class)
class SharedStateTest {

  @Test
  void staleAnswersDoNotMoveTheHeightBackButThePollerMay(Vertx vertx, VertxTestContext ctx) {
    String address = "shared-state-test-" + System.nanoTime();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(address + ".height",
        (Message<JsonObject> m) -> published.add(m.body()))
        .completion()
        .compose((Void v) -> SharedState.create(vertx, address, "me", 30000))
        .compose((SharedState state) -> state.observeHeight(10, false)
            .compose((Void v) -> state.observeHeight(9, false))
            .compose((Void v) -> state.cachedHeight(5_000))
            .compose((Integer afterStale) -> {
              ctx.verify(() -> assertThat(afterStale).isEqualTo(10));
              return state.observeHeight(9, true);
            })
            .compose((Void v) -> state.cachedHeight(5_000))
            .map((Integer afterPoll) -> {
              ctx.verify(() -> assertThat(afterPoll).isEqualTo(9));
              return state;
            }))
        // Publications are delivered asynchronously: wait a little before counting them.
        .compose((SharedState state) -> vertx.timer(100).map((Void t) -> state))
        .onComplete(ctx.succeeding((SharedState state) -> ctx.verify(() -> {
          assertThat(published).containsExactly(
              new JsonObject().put("height", 10).putNull("previous"),
              new JsonObject().put("height", 9).put("previous", 10));
          assertThat(state.publications()).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  /** Two instances on one address, as two nodes of a cluster would be. */
  private static Future<List<SharedState>> two(Vertx vertx, long leaseMs) {
    return two(vertx, TimeSource.of(vertx), leaseMs);
  }

  /** As {@link #two(Vertx, long)}, both on {@code time}. */
  private static Future<List<SharedState>> two(Vertx vertx, TimeSource time, long leaseMs) {
    String address = "shared-cache-test-" + System.nanoTime();
    return SharedState.create(SharedMaps.VERTX, vertx, time, address, "a", leaseMs)
        .compose((SharedState a) -> SharedState.create(SharedMaps.VERTX, vertx, time, address,
            "b", leaseMs).map((SharedState b) -> List.of(a, b)));
  }

  @Test
  void oneInstanceLoadsAndTheOtherReadsItsValueUntilItExpires(Vertx vertx,
                                                             VertxTestContext ctx) {
    AtomicInteger loads = new AtomicInteger();
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    two(vertx, time, 5_000).compose((List<SharedState> states) -> {
      SharedState a = states.get(0);
      SharedState b = states.get(1);
      return a.cached("fee", String.class, 300, Deadline.in(5_000, time),
              (Deadline d) -> Future.succeededFuture(
              "v" + loads.incrementAndGet()))
          .compose((String first) -> b.cached("fee", String.class, 300,
                  Deadline.in(5_000, time),
                  (Deadline d) -> Future.succeededFuture("v" + loads.incrementAndGet()))
              .map((String second) -> {
                ctx.verify(() -> {
                  assertThat(first).isEqualTo("v1");
                  assertThat(second).as("b read a's value").isEqualTo("v1");
                  assertThat(a.cacheLoads()).isEqualTo(1);
                  assertThat(b.cacheLoads()).isZero();
                });
                return b;
              }))
          .compose((SharedState bb) -> time.advance(600).compose((Void t) -> b.cached("fee",
              String.class,
              300,
              Deadline.in(5_000, time),
                  (Deadline d) -> Future.succeededFuture("v" + loads.incrementAndGet()))));
    }).onComplete(ctx.succeeding((String afterTtl) -> ctx.verify(() -> {
      assertThat(afterTtl).as("loaded again after its ttl").isEqualTo("v2");
      ctx.completeNow();
    })));
  }

  @Test
  void aTtlOfZeroLoadsEveryTime(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger loads = new AtomicInteger();
    two(vertx, 5_000).compose((List<SharedState> states) -> states.get(0).cached("k",
            Integer.class, 0,
            Deadline.in(5_000), (Deadline d) -> Future.succeededFuture(loads.incrementAndGet()))
        .compose((Integer x) -> states.get(0).cached("k", Integer.class, 0, Deadline.in(5_000),
            (Deadline d) -> Future.succeededFuture(loads.incrementAndGet())))
        .map((Integer second) -> {
          ctx.verify(() -> assertThat(states.get(0).cacheLoads())
              .as("nothing shared: no lease taken, nothing stored").isZero());
          return second;
        }))
        .onComplete(ctx.succeeding((Integer second) -> ctx.verify(() -> {
          assertThat(second).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void theOtherWaitsForTheLeaseHoldersValueInsteadOfLoadingToo(Vertx vertx,
                                                               VertxTestContext ctx) {
    AtomicInteger bLoads = new AtomicInteger();
    two(vertx, 5_000).compose((List<SharedState> states) -> {
      Promise<Object> slow = Promise.promise();
      Future<Object> aValue = states.get(0).cached("info", Object.class, 10_000, Deadline.in(5_000),
          (Deadline d) -> slow.future());
      vertx.setTimer(300, (Long id) -> slow.complete("from a"));
      return vertx.timer(50).compose((Void t) -> states.get(1).cached("info", Object.class, 10_000,
          Deadline.in(5_000), (Deadline d) -> {
            bLoads.incrementAndGet();
            return Future.succeededFuture("from b");
          })).compose((Object bValue) -> aValue.map((Object av) -> List.of(av, bValue)));
    }).onComplete(ctx.succeeding((List<Object> values) -> ctx.verify(() -> {
      assertThat(values).containsExactly("from a", "from a");
      assertThat(bLoads).hasValue(0);
      ctx.completeNow();
    })));
  }

  /**
   * a looks, finds nothing and hears so only after b has loaded, stored and given the lease
   * back: a then takes a free lease, and must find b's value rather than ask the daemon again
   * (ClusterDeploymentTest saw getmempoolinfo asked twice under load).
   */
  @Test
  void aLeaseFreeBecauseItsHolderHasJustStoredTheValueIsNoReasonToLoadAgain(Vertx vertx,
                                                                          VertxTestContext ctx) {
    String address = "shared-cache-test-" + System.nanoTime();
    Promise<Void> aLooked = Promise.promise();
    Promise<Void> aHears = Promise.promise();
    AtomicInteger loads = new AtomicInteger();
    SharedMaps lateFirstAnswer = (Vertx v, String name) -> SharedMaps.VERTX.get(v, name)
        .map((AsyncMap<String, Object> real) -> firstGetHeardLate(real, "info", aLooked,
            aHears.future()));
    SharedState.create(lateFirstAnswer, vertx, TimeSource.of(vertx), address, "a",
        5_000).compose((SharedState a) ->
        SharedState.create(vertx, address, "b", 5_000).compose((SharedState b) -> {
          Future<Object> aValue = a.cached("info", Object.class, 10_000, Deadline.in(5_000),
              (Deadline d) -> {
            loads.incrementAndGet();
            return Future.succeededFuture("from a");
          });
          return aLooked.future()
              .compose((Void looked) -> b.cached("info", Object.class, 10_000, Deadline.in(5_000),
                  (Deadline d) -> {
                loads.incrementAndGet();
                return Future.succeededFuture("from b");
              }))
              // b's lease is given back just after its answer.
              .compose((Object bValue) -> vertx.timer(200))
              .compose((Void t) -> {
                aHears.complete();
                return aValue;
              });
        }))
        .onComplete(ctx.succeeding((Object aValue) -> ctx.verify(() -> {
          assertThat(aValue).isEqualTo("from b");
          assertThat(loads).as("asked once").hasValue(1);
          ctx.completeNow();
        })));
  }

  /** The map, the answer to its first get of {@code key} held until {@code heard}. */
  @SuppressWarnings("unchecked")
  private static AsyncMap<String, Object> firstGetHeardLate(AsyncMap<String, Object> real,
                                                            String key, Promise<Void> looked,
                                                            Future<Void> heard) {
    AtomicBoolean first = new AtomicBoolean(true);
    return (AsyncMap<String, Object>) Proxy.newProxyInstance(AsyncMap.class.getClassLoader(),
        new Class<?>[] {AsyncMap.class}, (Object proxy, Method method, Object[] args) -> {
          Object result;
          try {
            result = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("get") && key.equals(args[0])
              && first.compareAndSet(true, false)) {
            return ((Future<Object>) result).compose((Object value) -> {
              looked.complete();
              return heard.map((Void v) -> value);
            });
          }
          return result;
        });
  }

  @Test
  void aFailedLoadIsNotCachedAndReleasesTheLease(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger loads = new AtomicInteger();
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    two(vertx, time, 5_000).compose((List<SharedState> states) -> states.get(0).cached("k",
        Object.class, 10_000,
            Deadline.in(5_000, time), (Deadline d) -> {
              loads.incrementAndGet();
              return Future.failedFuture(DaemonException.unavailable("daemon down"));
            })
        .transform((AsyncResult<Object> ar) -> {
          ctx.verify(() -> assertThat(ar.cause()).hasMessageContaining("daemon down"));
          // The other instance loads at once: the lease was released, not left to run out
          // (the time never moves here: a wait for the lease would never end).
          return states.get(1).cached("k", Object.class, 10_000, Deadline.in(2_000, time),
              (Deadline d) -> {
            loads.incrementAndGet();
            return Future.succeededFuture("loaded");
          }).map((Object v) -> time.nowMs());
        }))
        .onComplete(ctx.succeeding((Long tookMs) -> ctx.verify(() -> {
          assertThat(loads).hasValue(2);
          assertThat(tookMs).isZero();
          assertThat(time.delaysSet()).as("no poll for the lease (every 20 ms)")
              .doesNotContain(20L);
          ctx.completeNow();
        })));
  }

  @Test
  void anAskerWaitingOnAStuckHolderIsAnswered503ByItsDeadline(Vertx vertx,
                                                             VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    AtomicBoolean aLoading = new AtomicBoolean();
    two(vertx, time, 10_000).compose((List<SharedState> states) -> {
      // a takes the lease and never loads: b must not wait past its own deadline.
      states.get(0).cached("k", Object.class, 10_000, Deadline.in(10_000, time),
          (Deadline d) -> {
            aLoading.set(true);
            return Promise.promise().future();
          });
      return time.once(aLoading::get).compose((Void aHoldsTheLease) -> {
        Future<String> b = states.get(1).cached("k", String.class, 10_000,
            Deadline.in(300, time), (Deadline d) -> Future.succeededFuture("b loaded"));
        return time.advance(299).compose((Void v) -> {
          ctx.verify(() -> assertThat(b.isComplete()).as("b waits until its deadline")
              .isFalse());
          return time.advance(1);
        }).compose((Void v) -> b);
      }).transform((AsyncResult<String> ar) -> Future.succeededFuture(List.<Serializable>of(
          ar.failed() ? ar.cause() : "answered", time.nowMs())));
    }).onComplete(ctx.succeeding((List<Serializable> seen) -> ctx.verify(() -> {
      assertThat(seen.get(0)).isInstanceOf(DaemonException.class);
      assertThat(((DaemonException) seen.get(0)).code()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat((Long) seen.get(1)).isEqualTo(300L);
      ctx.completeNow();
    })));
  }

  @Test
  void aHeightReadFromTheMapIsTheLastKnownOneToo(Vertx vertx, VertxTestContext ctx) {
    two(vertx, 5_000).compose((List<SharedState> states) -> {
      SharedState a = states.get(0);
      SharedState b = states.get(1);
      ctx.verify(() -> assertThat(b.lastKnownHeight()).as("nothing seen yet").isNull());
      return a.observeHeight(12, false)
          .compose((Void v) -> b.cachedHeight(5_000))
          .map((Integer read) -> {
            ctx.verify(() -> {
              assertThat(read).isEqualTo(12);
              assertThat(a.lastKnownHeight()).as("from its daemon").isEqualTo(12);
            });
            return b.lastKnownHeight();
          });
    }).onComplete(ctx.succeeding((Integer known) -> ctx.verify(() -> {
      assertThat(known).as("b read it from the shared map").isEqualTo(12);
      ctx.completeNow();
    })));
  }

  @Test
  void theTimeADaemonLastConfirmedTheHeightIsSharedAndNullBeforeTheFirst(Vertx vertx,
                                                                         VertxTestContext ctx) {
    long[] before = new long[1];
    two(vertx, 5_000).compose((List<SharedState> states) -> states.get(1).heightConfirmedAt(5_000)
        .compose((Long never) -> {
          ctx.verify(() -> assertThat(never).as("never confirmed").isNull());
          before[0] = System.currentTimeMillis();
          return states.get(0).heightConfirmed(5_000);
        })
        .compose((Void v) -> states.get(1).heightConfirmedAt(5_000)))
        .onComplete(ctx.succeeding((Long at) -> ctx.verify(() -> {
          assertThat(at).isBetween(before[0], System.currentTimeMillis());
          ctx.completeNow();
        })));
  }

  private static final long HELD_LEASE_MS = 5_000;

  /** A state on a map the test holds, in virtual time. */
  private static SharedState onHeldMap(Vertx vertx, VirtualTime time, ControlledMap map) {
    return onHeldMap(vertx, time, map, "me");
  }

  private static SharedState onHeldMap(Vertx vertx, VirtualTime time, ControlledMap map,
                                       String owner) {
    return new SharedState(vertx, time, map, new BadValues("held"), owner, "held-map-test",
        HELD_LEASE_MS);
  }

  private static void advance(VirtualTime time, long ms) throws Exception {
    time.advance(ms).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Each bounded on its own, the write at 300 ms and the read at 5,000, not a ms earlier. */
  @Test
  void aConfirmationAndItsReadTheMapDoNotAnswerFailAtTheirBounds(Vertx vertx)
      throws Exception {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    SharedState state = onHeldMap(vertx, time, new ControlledMap(new ImmediateMap()).hang());
    Future<Void> confirmed = state.heightConfirmed(300);
    Future<Long> at = state.heightConfirmedAt(5_000);
    advance(time, 299);
    assertThat(confirmed.isComplete()).as("at 299 ms").isFalse();
    advance(time, 1);
    assertThat(confirmed.cause()).as("at 300 ms").isInstanceOf(TimeoutException.class)
        .hasMessage("Timeout 300 (ms) fired");
    advance(time, 4_699);
    assertThat(at.isComplete()).as("at 4,999 ms").isFalse();
    advance(time, 1);
    assertThat(at.cause()).as("at 5,000 ms").isInstanceOf(DaemonException.class);
    assertThat(((DaemonException) at.cause()).code()).isEqualTo(DaemonException.UNAVAILABLE);
    assertThat(at.cause().getMessage()).isEqualTo("the cluster's shared map did not answer "
        + "within 5000 ms: Timeout 5000 (ms) fired");
  }

  /** A time ahead of this node's clock by the slack is still one; a millisecond more, none. */
  @Test
  void aConfirmationTimeUpToTheClockSlackAheadIsOne(Vertx vertx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    ControlledMap map = new ControlledMap(new ImmediateMap());
    SharedState state = onHeldMap(vertx, time, map);
    long slackAhead = time.currentTimeMillis() + SharedState.CLOCK_SLACK_MS;
    map.put(SharedState.HEIGHT_SEEN_AT, slackAhead);
    assertThat(state.heightConfirmedAt(300).result()).isEqualTo(slackAhead);
    map.put(SharedState.HEIGHT_SEEN_AT, slackAhead + 1);
    assertThat(state.heightConfirmedAt(300).succeeded()).isTrue();
    assertThat(state.heightConfirmedAt(300).result()).as("further ahead: removed").isNull();
  }

  /** A tip back to an older block (invalidateblock) is a reorg: the shared height goes down. */
  @Test
  void aTipBackToAnOlderBlockLowersTheSharedHeight(Vertx vertx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    SharedState state = onHeldMap(vertx, time, new ControlledMap(new ImmediateMap()));
    assertThat(state.observeTip(seen('a', 10, "poll")).succeeded()).isTrue();
    assertThat(state.observeTip(seen('a', 11, "poll")).succeeded()).isTrue();
    assertThat(state.cachedHeight(300).result()).isEqualTo(11);
    assertThat(state.observeTip(seen('a', 10, "poll")).succeeded()).isTrue();
    assertThat(state.lastPublishedTip()).isEqualTo(new Tip(10, hash('a', 10)));
    assertThat(state.cachedHeight(300).result()).as("lowered by the reorg").isEqualTo(10);
  }

  /** Answered within their bounds: the time stored is read back, and no timer is left. */
  @Test
  void aConfirmationAndItsReadTheMapAnswersLeaveNoTimer(Vertx vertx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    ControlledMap map = new ControlledMap(new ImmediateMap()).pauseAfter(0);
    SharedState state = onHeldMap(vertx, time, map);
    Future<Void> confirmed = state.heightConfirmed(300);
    assertThat(time.pending()).as("its bound").isOne();
    map.resume();
    assertThat(confirmed.succeeded()).isTrue();
    assertThat(time.pending()).isZero();
    map.pauseAfter(0);
    Future<Long> at = state.heightConfirmedAt(300);
    assertThat(time.pending()).as("its bound").isOne();
    map.resume();
    assertThat(at.result()).isEqualTo(time.currentTimeMillis());
    assertThat(time.pending()).isZero();
  }

  // ------------------------------------------ the cache on a map that answers before it returns
  // (ImmediateMap, held where a test needs it), in virtual time: each answer is asserted the
  // moment the call returns, so a look or a load the code forgets to answer fails at once
  // rather than at a deadline (PIT runs this class first on SharedState's mutants: here, not
  // in a class of their own, they kill the cache's mutants before a real-time test above
  // waits on them).

  /** Three instances on one map that answers at once, as three nodes; loads counted. */
  private static final class Nodes {
    final ImmediateMap real = new ImmediateMap();
    final ControlledMap map = new ControlledMap(real);
    final AtomicInteger loads = new AtomicInteger();
    final VirtualTime time;
    final SharedState a;
    final SharedState b;
    /** Only takes leases. */
    final SharedState other;

    Nodes(Vertx vertx) {
      time = new VirtualTime(vertx.getOrCreateContext());
      a = onHeldMap(vertx, time, map, "a");
      b = onHeldMap(vertx, time, map, "b");
      other = onHeldMap(vertx, time, map, "other");
    }

    /** A load from the daemon: "v1", "v2", ... counted. */
    Function<Deadline, Future<String>> loader() {
      return (Deadline d) -> Future.succeededFuture("v" + loads.incrementAndGet());
    }

    /** a asks for "info" by {@code deadlineMs} while the other node holds its lease. */
    Future<String> infoWhileTheOtherLoads(long deadlineMs) {
      assertThat(now(other.leases().tryTake("info.lease", HELD_LEASE_MS))).isTrue();
      return a.cached("info", String.class, 10_000, Deadline.in(deadlineMs, time), loader());
    }

    /** What another node stores for {@code key}: {@code value}, fresh for 10 s. */
    void storedByAnother(String key, String value) {
      now(real.put(key, CacheEntry.encode(value, time.currentTimeMillis() + 10_000)));
    }
  }

  private static <T> T now(Future<T> future) {
    assertThat(future.isComplete()).as("answered when the map answered").isTrue();
    assertThat(future.succeeded()).as("succeeded: %s", future.cause()).isTrue();
    return future.result();
  }

  @Test
  void oneLoadsTheOtherReadsItsValueWithOneLookUntilItsTtl(Vertx vertx) throws Exception {
    Nodes n = new Nodes(vertx);
    LogCapture logs = LogCapture.start();
    try {
      assertThat(now(n.a.cached("fee", String.class, 300, Deadline.in(5_000, n.time),
          n.loader()))).isEqualTo("v1");
    } finally {
      logs.close();
    }
    assertThat(logs.lines()).filteredOn((String line) -> line.startsWith("WARN"))
        .as("nothing stored is no bad value").isEmpty();
    int before = n.map.operations();
    assertThat(now(n.b.cached("fee", String.class, 300, Deadline.in(5_000, n.time),
        n.loader()))).as("a's value").isEqualTo("v1");
    assertThat(n.map.operations() - before).as("one read, no lease taken").isOne();
    advance(n.time, 299);
    assertThat(now(n.b.cached("fee", String.class, 300, Deadline.in(5_000, n.time),
        n.loader()))).as("at 299 ms").isEqualTo("v1");
    advance(n.time, 1);
    assertThat(now(n.b.cached("fee", String.class, 300, Deadline.in(5_000, n.time),
        n.loader()))).as("at its ttl, 300 ms").isEqualTo("v2");
    assertThat(now(n.a.cached("fee", String.class, 300, Deadline.in(5_000, n.time),
        n.loader()))).as("b's value, stored over a's").isEqualTo("v2");
    assertThat(n.a.cacheLoads()).isOne();
    assertThat(n.b.cacheLoads()).isOne();
  }

  @Test
  void aValueAnotherNodeIsLoadingIsLookedForEvery20Ms(Vertx vertx) throws Exception {
    Nodes n = new Nodes(vertx);
    Future<String> answer = n.infoWhileTheOtherLoads(5_000);
    assertThat(answer.isComplete()).as("the other holds the lease").isFalse();
    advance(n.time, 20);
    assertThat(answer.isComplete()).as("looked again at 20 ms: still nothing").isFalse();
    n.storedByAnother("info", "from the other");
    advance(n.time, 19);
    assertThat(answer.isComplete()).as("at 39 ms").isFalse();
    advance(n.time, 1);
    assertThat(now(answer)).as("the look at 40 ms").isEqualTo("from the other");
    assertThat(n.loads).hasValue(0);
  }

  @Test
  void aLoadThatFailsIsTheAskersFailureAtOnceAndFreesTheLease(Vertx vertx) {
    Nodes n = new Nodes(vertx);
    DaemonException down = DaemonException.unavailable("daemon down");
    Future<String> failed = n.a.cached("info", String.class, 10_000,
        Deadline.in(5_000, n.time), (Deadline d) -> Future.failedFuture(down));
    assertThat(failed.cause()).as("failed at once").isSameAs(down);
    assertThat(now(n.b.cached("info", String.class, 10_000, Deadline.in(5_000, n.time),
        n.loader()))).as("b took the lease at once").isEqualTo("v1");
  }

  /** The lease found free because its holder stored the value after a looked: no load. */
  @Test
  void aValueStoredBetweenTheLookAndTheLeaseIsServedWithoutALoad(Vertx vertx) {
    Nodes n = new Nodes(vertx);
    n.map.pauseAfter(0);
    Future<String> answer = n.a.cached("info", String.class, 10_000,
        Deadline.in(5_000, n.time), n.loader());
    n.map.resumeOne();
    assertThat(n.map.heldOperations()).as("a found nothing, and asks for the lease").isOne();
    n.storedByAnother("info", "stored meanwhile");
    n.map.resume();
    assertThat(now(answer)).isEqualTo("stored meanwhile");
    assertThat(n.loads).hasValue(0);
    assertThat(now(n.real.get("info.lease"))).as("the lease given back").isNull();
  }

  /**
   * The asker answered 503 at its deadline, the flight's own (at least a lease) ends: the
   * looks for the other node's value stop there.
   */
  @Test
  void theLooksForAnotherNodesValueStopWhenTheFlightEnds(Vertx vertx) throws Exception {
    Nodes n = new Nodes(vertx);
    Future<String> answer = n.infoWhileTheOtherLoads(300);
    advance(n.time, 300);
    assertThat(answer.cause()).isInstanceOf(DaemonException.class);
    advance(n.time, HELD_LEASE_MS - 301);
    assertThat(n.time.pending()).as("at 4,999 ms: the flight's end, the next look")
        .isEqualTo(2);
    advance(n.time, 1);
    assertThat(n.time.pending()).as("the look at 5,000 ms sets no other").isZero();
    assertThat(n.loads).hasValue(0);
  }

  // ---------------------------------------------------------------- values of the shared map
  // written by something else than this class (issue 29, finding 8): absent, replaced, warned.

  /** A state on a fresh address, and the map it uses, to write into directly. */
  private static Future<Map.Entry<SharedState, AsyncMap<String, Object>>> withMap(Vertx vertx,
      String address) {
    return SharedState.create(vertx, address, "me", 5_000).compose((SharedState state) ->
        vertx.sharedData().<String, Object>getAsyncMap("daemon-verticle:" + address)
            .map((AsyncMap<String, Object> map) -> Map.entry(state, map)));
  }

  private static List<String> warningsAbout(LogCapture logs, String address) {
    return logs.lines().stream()
        .filter((String line) -> line.startsWith("WARN") && line.contains(address))
        .toList();
  }

  @Test
  void aHeightOfAnotherTypeIsNoneAndTheNextObservationReplacesIt(Vertx vertx,
                                                                  VertxTestContext ctx) {
    String address = "shared-poison-test-" + System.nanoTime();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    LogCapture logs = LogCapture.start();
    vertx.eventBus().<JsonObject>consumer(address + ".height",
            (Message<JsonObject> m) -> published.add(m.body())).completion()
        .compose((Void v) -> withMap(vertx, address))
        .compose((Map.Entry<SharedState, AsyncMap<String, Object>> sm) -> {
          SharedState state = sm.getKey();
          AsyncMap<String, Object> map = sm.getValue();
          return map.put(SharedHeight.KEY, "twelve")
              .compose((Void v) -> state.cachedHeight(5_000))
              .compose((Integer read) -> {
                ctx.verify(() -> assertThat(read).isNull());
                return map.put(SharedHeight.KEY, -3);
              })
              .compose((Void v) -> state.cachedHeight(5_000))
              .compose((Integer read) -> {
                ctx.verify(() -> assertThat(read).as("a negative height").isNull());
                return map.put(SharedHeight.KEY, 12L);
              })
              // A Long where an Integer belongs: written by other code than ours.
              .compose((Void v) -> state.observeHeight(12, false))
              .compose((Void v) -> state.cachedHeight(5_000))
              .map((Integer read) -> {
                ctx.verify(() -> {
                  assertThat(read).isEqualTo(12);
                  assertThat(state.lastKnownHeight()).isEqualTo(12);
                  assertThat(state.publications()).isEqualTo(1);
                });
                return read;
              });
        })
        .compose((Integer read) -> until(vertx, () -> !published.isEmpty()))
        .andThen(ar -> logs.close())
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(published).containsExactly(
              new JsonObject().put("height", 12).putNull("previous"));
          assertThat(warningsAbout(logs, address)).as("once for the key and kind").hasSize(1);
          ctx.completeNow();
        })));
  }

  /** How far another node's daemon may be ahead of this node's: further, it is a bad value. */
  private static final int MAX_LEAD = 1_000;

  @Test
  void aHeightFarAboveTheDaemonsIsReplacedButOneAFewBlocksAboveIsKept(Vertx vertx,
                                                                     VertxTestContext ctx) {
    String address = "shared-poison-test-" + System.nanoTime();
    LogCapture logs = LogCapture.start();
    withMap(vertx, address).compose((Map.Entry<SharedState, AsyncMap<String, Object>> sm) -> {
      SharedState state = sm.getKey();
      AsyncMap<String, Object> map = sm.getValue();
      // Another node's daemon may be a few blocks ahead: a request's answer keeps its height.
      return map.put(SharedHeight.KEY, 102)
          .compose((Void v) -> state.observeHeight(100, false))
          .compose((Void v) -> state.cachedHeight(5_000))
          .compose((Integer ahead) -> {
            ctx.verify(() -> assertThat(ahead).isEqualTo(102));
            return map.put(SharedHeight.KEY, 100 + MAX_LEAD);
          })
          .compose((Void v) -> state.observeHeight(100, false))
          .compose((Void v) -> state.cachedHeight(5_000))
          .compose((Integer atTheLimit) -> {
            ctx.verify(() -> assertThat(atTheLimit).isEqualTo(100 + MAX_LEAD));
            return map.put(SharedHeight.KEY, 101 + MAX_LEAD);
          })
          .compose((Void v) -> state.observeHeight(100, false))
          .compose((Void v) -> state.cachedHeight(5_000))
          .compose((Integer past) -> {
            ctx.verify(() -> assertThat(past).isEqualTo(100));
            return map.put(SharedHeight.KEY, Integer.MAX_VALUE);
          })
          .compose((Void v) -> state.observeHeight(100, true))
          .compose((Void v) -> state.cachedHeight(5_000));
    }).andThen(ar -> logs.close())
        .onComplete(ctx.succeeding((Integer polled) -> ctx.verify(() -> {
          assertThat(polled).isEqualTo(100);
          assertThat(warningsAbout(logs, address)).hasSize(1)
              .allMatch((String line) -> line.contains("blocks above"));
          ctx.completeNow();
        })));
  }

  @Test
  void aConfirmationTimeOfAnotherTypeOrFromTheFutureIsNone(Vertx vertx, VertxTestContext ctx) {
    String address = "shared-poison-test-" + System.nanoTime();
    long hourAgo = System.currentTimeMillis() - 3_600_000;
    withMap(vertx, address).compose((Map.Entry<SharedState, AsyncMap<String, Object>> sm) -> {
      SharedState state = sm.getKey();
      AsyncMap<String, Object> map = sm.getValue();
      return map.put(SharedState.HEIGHT_SEEN_AT, "just now")
          .compose((Void v) -> state.heightConfirmedAt(5_000))
          .compose((Long at) -> {
            ctx.verify(() -> assertThat(at).isNull());
            return map.put(SharedState.HEIGHT_SEEN_AT,
                System.currentTimeMillis() + 24 * 3_600_000L);
          })
          .compose((Void v) -> state.heightConfirmedAt(5_000))
          .compose((Long at) -> {
            ctx.verify(() -> assertThat(at).as("a day ahead").isNull());
            return map.put(SharedState.HEIGHT_SEEN_AT, -1L);
          })
          .compose((Void v) -> state.heightConfirmedAt(5_000))
          .compose((Long at) -> {
            ctx.verify(() -> assertThat(at).as("before 1970").isNull());
            return map.put(SharedState.HEIGHT_SEEN_AT, hourAgo);
          })
          .compose((Void v) -> state.heightConfirmedAt(5_000))
          .compose((Long at) -> {
            ctx.verify(() -> assertThat(at).as("an old confirmation is still one")
                .isEqualTo(hourAgo));
            return map.put(SharedState.HEIGHT_SEEN_AT, 0L);
          })
          .compose((Void v) -> state.heightConfirmedAt(5_000));
    }).onComplete(ctx.succeeding((Long at) -> ctx.verify(() -> {
      assertThat(at).as("the oldest there is, too").isZero();
      ctx.completeNow();
    })));
  }

  /** Cache entries as they must not be served: each is loaded again and replaced. */
  private static List<Object> badEntries() {
    long now = System.currentTimeMillis();
    return List.of(
        "not an entry",
        42,
        // The value as such, with no expiry: a plain put's entry, which never expires.
        new JsonObject().put("relayfee", 999),
        "{\"value\": \"forged\"}",
        "{\"expiresAt\": \"soon\", \"value\": \"forged\"}",
        // Expires in a day while the ttl is a minute.
        "{\"expiresAt\": " + (now + 86_400_000L) + ", \"value\": \"forged\"}",
        // A number where the action gives a text.
        "{\"expiresAt\": " + (now + 30_000) + ", \"value\": 42}",
        "{\"expiresAt\": " + (now + 30_000) + "}");
  }

  @Test
  void cacheEntriesOfAnotherShapeTypeOrExpiryAreLoadedAgain(Vertx vertx, VertxTestContext ctx) {
    String address = "shared-poison-test-" + System.nanoTime();
    AtomicInteger loads = new AtomicInteger();
    LogCapture logs = LogCapture.start();
    withMap(vertx, address).compose((Map.Entry<SharedState, AsyncMap<String, Object>> sm) -> {
      Future<Void> chain = Future.succeededFuture();
      for (Object bad : badEntries()) {
        chain = chain.compose((Void v) -> sm.getValue().put("info", bad))
            .compose((Void v) -> sm.getKey().cached("info", String.class, 60_000,
                Deadline.in(5_000), (Deadline d) -> Future.succeededFuture(
                    "loaded " + loads.incrementAndGet())))
            .compose((String value) -> {
              ctx.verify(() -> assertThat(value).as("instead of " + bad)
                  .isEqualTo("loaded " + loads.get()));
              // Replaced: served from the map until it expires.
              return sm.getKey().cached("info", String.class, 60_000, Deadline.in(5_000),
                  (Deadline d) -> Future.succeededFuture("loaded " + loads.incrementAndGet()));
            })
            .map((String again) -> {
              ctx.verify(() -> assertThat(again).as("after " + bad).isEqualTo("loaded "
                  + loads.get()));
              return null;
            });
      }
      return chain;
    }).andThen(ar -> logs.close())
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(loads).hasValue(badEntries().size());
          assertThat(warningsAbout(logs, address)).allMatch((String line) ->
              line.contains("info")).isNotEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void anExpiredEntryIsLoadedAgainWithoutAWarning(Vertx vertx, VertxTestContext ctx) {
    String address = "shared-poison-test-" + System.nanoTime();
    LogCapture logs = LogCapture.start();
    withMap(vertx, address).compose((Map.Entry<SharedState, AsyncMap<String, Object>> sm) ->
        sm.getValue().put("info", "{\"expiresAt\": " + (System.currentTimeMillis() - 1_000)
                + ", \"value\": \"old\"}")
            .compose((Void v) -> sm.getKey().cached("info", String.class, 60_000,
                Deadline.in(5_000),
                (Deadline d) -> Future.succeededFuture("new"))))
        .andThen(ar -> logs.close())
        .onComplete(ctx.succeeding((String value) -> ctx.verify(() -> {
          assertThat(value).isEqualTo("new");
          assertThat(warningsAbout(logs, address)).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aBadValueIsWarnedOncePerKeyAndKindOfProblem(Vertx vertx, VertxTestContext ctx) {
    String address = "shared-poison-test-" + System.nanoTime();
    LogCapture logs = LogCapture.start();
    withMap(vertx, address).compose((Map.Entry<SharedState, AsyncMap<String, Object>> sm) -> {
      SharedState state = sm.getKey();
      AsyncMap<String, Object> map = sm.getValue();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < 5; i++) {
        chain = chain.compose((Void v) -> map.put(SharedHeight.KEY, "twelve"))
            .compose((Void v) -> state.cachedHeight(5_000))
            .compose((Integer h) -> map.put(SharedState.HEIGHT_SEEN_AT, "now"))
            .compose((Void v) -> state.heightConfirmedAt(5_000))
            .mapEmpty();
      }
      return chain;
    }).andThen(ar -> logs.close())
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          List<String> warnings = warningsAbout(logs, address);
          assertThat(warnings).hasSize(2);
          assertThat(warnings).filteredOn((String line) -> line.contains(
              SharedState.HEIGHT_SEEN_AT)).hasSize(1);
          ctx.completeNow();
        })));
  }

  private static Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier done) {
    Promise<Void> promise = Promise.promise();
    long giveUp = System.nanoTime() + 10_000_000_000L;
    check(vertx, done, giveUp, promise);
    return promise.future();
  }

  private static void check(Vertx vertx, java.util.function.BooleanSupplier done, long giveUp,
                            Promise<Void> promise) {
    if (done.getAsBoolean()) {
      promise.complete();
    } else if (System.nanoTime() - giveUp > 0) {
      promise.fail(new AssertionError("not within 10 s"));
    } else {
      vertx.setTimer(20, (Long id) -> check(vertx, done, giveUp, promise));
    }
  }

  private static String hash(char branch, int height) {
    return branch + String.format("%063d", height);
  }

  /** The daemon's best chain as a reader: branch a below 11, b at 11. */
  private static final ChainReader READER = new ChainReader() {
    @Override
    public Future<String> hashAt(int height) {
      return Future.succeededFuture(hash(height == 11 ? 'b' : 'a', height));
    }

    @Override
    public Future<Boolean> abandoned(String h) {
      return Future.succeededFuture(true);
    }

    @Override
    public Future<String> parentOf(String h) {
      return Future.failedFuture("not asked in this test");
    }
  };

  private static SharedTip.Observation seen(char branch, int height, String source) {
    return new SharedTip.Observation(new Tip(height, hash(branch, height)),
        hash('a', height - 1), source, READER);
  }

  @Test
  void tipsGoOnFromWhatAnyInstanceStoredAndTheHeightFollows(Vertx vertx,
                                                            VertxTestContext ctx) {
    String address = "shared-tip-test-" + System.nanoTime();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    io.vertx.core.Promise<Void> third = io.vertx.core.Promise.promise();
    vertx.eventBus().<JsonObject>consumer(address + ".tip", (Message<JsonObject> m) -> {
      published.add(m.body());
      if (published.size() == 3) {
        third.complete();
      }
    })
        .completion()
        .compose((Void v) -> SharedState.create(vertx, address, "a", 30000))
        .compose((SharedState a) -> SharedState.create(vertx, address, "b", 30000)
            .compose((SharedState b) -> a.observeTip(seen('a', 10, "poll"))
                .compose((Void v) -> b.observeTip(seen('a', 11, "zmq")))
                // The same tip again, from the other instance: nothing new.
                .compose((Void v) -> a.observeTip(seen('a', 11, "poll")))
                .compose((Void v) -> a.observeTip(seen('b', 11, "longpoll")))
                .compose((Void v) -> a.cachedHeight(5_000))
                .map((Integer height) -> {
                  ctx.verify(() -> {
                    assertThat(height).isEqualTo(11);
                    assertThat(a.tipPublications()).isEqualTo(2);
                    assertThat(b.tipPublications()).isEqualTo(1);
                    assertThat(a.lastPublishedTip()).isEqualTo(new Tip(11, hash('b', 11)));
                    assertThat(b.lastPublishedTip()).isEqualTo(new Tip(11, hash('a', 11)));
                  });
                  return a;
                })))
        // The last publication comes after any duplicate would have.
        .compose((SharedState a) -> third.future())
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(published).containsExactly(
              new TipEvent(new Tip(10, hash('a', 10)), null, null, "poll", 1).toJson(),
              new TipEvent(new Tip(11, hash('a', 11)), new Tip(10, hash('a', 10)), null, "zmq",
                  2).toJson(),
              new TipEvent(new Tip(11, hash('b', 11)), new Tip(11, hash('a', 11)), 10,
                  "longpoll", 3).toJson());
          ctx.completeNow();
        })));
  }
}
