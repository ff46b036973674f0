package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.ImmediateMap;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SharedState's rules on Vert.x's shared data (ClusterSharedStateTest runs the same code on
 * Hazelcast), in virtual time. The tests on Vert.x's local map run on the Vert.x context, where
 * that map answers before it returns, and those on a map the test holds on ImmediateMap: either
 * way each outcome is asserted the moment the call returns, so a read, a look or a load the
 * code forgets to answer fails the test at once instead of making it wait for a time-out
 * (which the mutation gate does not count as a kill). No test waits on a real timer.
 */
@ExtendWith(VertxExtension.class)
class SharedStateTest {

  private static final long LEASE_MS = 5_000;

  /**
   * States on one address of Vert.x's local shared data, on a virtual time, driven on the
   * Vert.x context.
   */
  private static final class OnVertx {
    final Vertx vertx;
    final Context context;
    final VirtualTime time;
    final String address = "shared-state-test-" + System.nanoTime();

    OnVertx(Vertx vertx) {
      this.vertx = vertx;
      context = vertx.getOrCreateContext();
      time = new VirtualTime(context);
    }

    /** Runs {@code work} on the context; what it throws fails the test. */
    void run(Runnable work) throws Exception {
      try {
        VirtualTime.on(context, work).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw (Exception) e.getCause();
      }
    }

    /** An instance named {@code owner} on this address; on the context. */
    SharedState state(String owner) {
      return now(SharedState.create(SharedMaps.VERTX, vertx, time, address, owner, LEASE_MS));
    }

    /** The map the instances share, to write into directly; on the context. */
    AsyncMap<String, Object> map() {
      return now(vertx.sharedData().<String, Object>getAsyncMap("daemon-verticle:"
          + address));
    }

    void advance(long ms) throws Exception {
      SharedStateTest.advance(time, ms);
    }
  }

  /**
   * What a topic carried before a marker the test publishes after the code's publications:
   * the bus delivers them in order, so whatever the code published comes before the marker.
   */
  private static final class Heard {
    private static final JsonObject MARKER = new JsonObject().put("marker", true);
    private final OnVertx on;
    private final String topic;
    private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> marked = new CompletableFuture<>();

    Heard(OnVertx on, String suffix) throws Exception {
      this.on = on;
      this.topic = on.address + suffix;
      on.run(() -> on.vertx.eventBus().<JsonObject>localConsumer(topic, m -> {
        if (MARKER.equals(m.body())) {
          marked.complete(null);
        } else {
          messages.add(m.body());
        }
      }));
    }

    List<JsonObject> untilMarker() throws Exception {
      on.run(() -> on.vertx.eventBus().publish(topic, MARKER));
      marked.get(10, TimeUnit.SECONDS);
      return messages;
    }
  }

  @Test
  void staleAnswersDoNotMoveTheHeightBackButThePollerMay(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    Heard heard = new Heard(on, ".height");
    on.run(() -> {
      SharedState state = on.state("me");
      now(state.observeHeight(10, false));
      now(state.observeHeight(9, false));
      assertThat(now(state.cachedHeight(5_000))).as("after a stale answer").isEqualTo(10);
      now(state.observeHeight(9, true));
      assertThat(now(state.cachedHeight(5_000))).as("after the poller's").isEqualTo(9);
      assertThat(state.publications()).isEqualTo(2);
    });
    assertThat(heard.untilMarker()).containsExactly(
        new JsonObject().put("height", 10).putNull("previous"),
        new JsonObject().put("height", 9).put("previous", 10));
  }

  @Test
  void aTtlOfZeroLoadsEveryTime(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    AtomicInteger loads = new AtomicInteger();
    on.run(() -> {
      SharedState state = on.state("me");
      for (int i = 1; i <= 2; i++) {
        assertThat(now(state.cached("k", Integer.class, 0, Deadline.in(5_000, on.time),
            (Deadline d) -> Future.succeededFuture(loads.incrementAndGet())))).isEqualTo(i);
      }
      assertThat(state.cacheLoads()).as("nothing shared").isZero();
      assertThat(now(on.map().get("k"))).as("nothing stored").isNull();
      assertThat(now(on.map().get("k.lease"))).as("no lease taken").isNull();
    });
  }

  /**
   * b asks while a loads: b looks every 20 ms from 50 ms and finds a's value at its first look
   * after a stored it, 310 ms, without loading.
   */
  @Test
  void theOtherWaitsForTheLeaseHoldersValueInsteadOfLoadingToo(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    AtomicInteger bLoads = new AtomicInteger();
    Promise<Object> slow = Promise.promise();
    List<SharedState> states = new CopyOnWriteArrayList<>();
    List<Future<Object>> answers = new CopyOnWriteArrayList<>();
    on.run(() -> {
      states.add(on.state("a"));
      states.add(on.state("b"));
      answers.add(states.get(0).cached("info", Object.class, 10_000,
          Deadline.in(5_000, on.time), (Deadline d) -> slow.future()));
    });
    on.advance(50);
    on.run(() -> answers.add(states.get(1).cached("info", Object.class, 10_000,
        Deadline.in(5_000, on.time), (Deadline d) -> {
          bLoads.incrementAndGet();
          return Future.succeededFuture("from b");
        })));
    on.advance(250);
    on.run(() -> {
      assertThat(answers.get(1).isComplete()).as("b at 300 ms").isFalse();
      slow.complete("from a");
      assertThat(now(answers.get(0))).isEqualTo("from a");
    });
    on.advance(9);
    assertThat(answers.get(1).isComplete()).as("b at 309 ms").isFalse();
    on.advance(1);
    assertThat(now(answers.get(1))).as("b's look at 310 ms").isEqualTo("from a");
    assertThat(bLoads).hasValue(0);
    assertThat(states.get(1).cacheLoads()).isZero();
  }

  /**
   * a looks, finds nothing and hears so only after b has loaded, stored and given the lease
   * back: a then takes a free lease, and must find b's value rather than ask the daemon again
   * (ClusterDeploymentTest saw getmempoolinfo asked twice under load).
   */
  @Test
  void aLeaseFreeBecauseItsHolderHasJustStoredTheValueIsNoReasonToLoadAgain(Vertx vertx)
      throws Exception {
    OnVertx on = new OnVertx(vertx);
    Promise<Void> aLooked = Promise.promise();
    Promise<Void> aHears = Promise.promise();
    AtomicInteger loads = new AtomicInteger();
    SharedMaps lateFirstAnswer = (Vertx v, String name) -> SharedMaps.VERTX.get(v, name)
        .map((AsyncMap<String, Object> real) -> firstGetHeardLate(real, "info", aLooked,
            aHears.future()));
    on.run(() -> {
      SharedState a = now(SharedState.create(lateFirstAnswer, vertx, on.time, on.address, "a",
          LEASE_MS));
      SharedState b = on.state("b");
      Future<Object> aValue = a.cached("info", Object.class, 10_000,
          Deadline.in(5_000, on.time), (Deadline d) -> {
            loads.incrementAndGet();
            return Future.succeededFuture("from a");
          });
      assertThat(aLooked.future().isComplete()).as("a looked").isTrue();
      assertThat(now(b.cached("info", Object.class, 10_000, Deadline.in(5_000, on.time),
          (Deadline d) -> {
            loads.incrementAndGet();
            return Future.succeededFuture("from b");
          }))).isEqualTo("from b");
      assertThat(now(on.map().get("info.lease"))).as("b gave its lease back").isNull();
      aHears.complete();
      assertThat(now(aValue)).isEqualTo("from b");
      assertThat(loads).as("asked once").hasValue(1);
    });
    assertThat(on.time.delaysSet()).as("no look for the lease (every 20 ms)")
        .doesNotContain(20L);
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
  void aHeightReadFromTheMapIsTheLastKnownOneToo(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    on.run(() -> {
      SharedState a = on.state("a");
      SharedState b = on.state("b");
      assertThat(b.lastKnownHeight()).as("nothing seen yet").isNull();
      now(a.observeHeight(12, false));
      assertThat(a.lastKnownHeight()).as("from its daemon").isEqualTo(12);
      assertThat(b.lastKnownHeight()).as("not read yet").isNull();
      assertThat(now(b.cachedHeight(5_000))).isEqualTo(12);
      assertThat(b.lastKnownHeight()).as("b read it from the shared map").isEqualTo(12);
    });
  }

  /** The time stored is the confirmation's, on this node's clock, read by any node later. */
  @Test
  void theTimeADaemonLastConfirmedTheHeightIsSharedAndNullBeforeTheFirst(Vertx vertx)
      throws Exception {
    OnVertx on = new OnVertx(vertx);
    List<SharedState> states = new CopyOnWriteArrayList<>();
    long[] confirmedAt = new long[1];
    on.run(() -> {
      states.add(on.state("a"));
      states.add(on.state("b"));
      assertThat(now(states.get(1).heightConfirmedAt(5_000))).as("never confirmed").isNull();
    });
    on.advance(1_234);
    on.run(() -> {
      confirmedAt[0] = on.time.currentTimeMillis();
      now(states.get(0).heightConfirmed(5_000));
    });
    on.advance(766);
    on.run(() -> assertThat(now(states.get(1).heightConfirmedAt(5_000)))
        .isEqualTo(confirmedAt[0]));
  }

  /** The 4-argument create: Vert.x's map and clock; what it stores the other reads. */
  @Test
  void anInstanceCreatedOnVertxsOwnClockSharesTheMap(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    on.run(() -> {
      SharedState plain = now(SharedState.create(vertx, on.address, "plain", LEASE_MS));
      now(plain.observeHeight(21, false));
      assertThat(now(on.state("other").cachedHeight(5_000))).isEqualTo(21);
    });
  }

  /** A state on a map the test holds, in virtual time. */
  private static SharedState onHeldMap(Vertx vertx, VirtualTime time, ControlledMap map) {
    return onHeldMap(vertx, time, map, "me");
  }

  private static SharedState onHeldMap(Vertx vertx, VirtualTime time, ControlledMap map,
                                       String owner) {
    return new SharedState(vertx, time, map, new BadValues("held"), owner, "held-map-test",
        LEASE_MS);
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

  /** A clock that stands still and sets no timer: for code that must not need one. */
  private static final TimeSource NO_TIMERS = new TimeSource() {
    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public long currentTimeMillis() {
      return 1_000_000;
    }

    @Override
    public long setTimer(long delayMs, Handler<Long> handler) {
      throw new AssertionError("a timer of " + delayMs + " ms: the map answered already");
    }

    @Override
    public boolean cancelTimer(long id) {
      return false;
    }
  };

  /**
   * A read the map fails is a 503 the moment the call returns. Nothing is started, no Vert.x
   * nor timer: in a JVM just started (as PIT's for each batch of mutants is) it fails within
   * milliseconds, where a test that starts Vert.x first may pass PIT's time limit.
   */
  @Test
  void aHeightReadTheMapFailsIsA503AtOnceWithNothingStarted() {
    SharedState state = new SharedState(null, NO_TIMERS,
        new ControlledMap(new ImmediateMap()).failReads(), new BadValues("nothing started"),
        "me", "nothing-started", LEASE_MS);
    Future<Integer> read = state.cachedHeight(1_000);
    assertThat(read.failed()).as("failed at once").isTrue();
    assertThat(read.cause()).isInstanceOf(DaemonException.class)
        .hasMessageStartingWith("the cluster's shared map did not give the cached height "
            + "within 1000 ms: ")
        .hasMessageEndingWith("the map failed (ControlledMap.failReads)");
    assertThat(((DaemonException) read.cause()).code()).isEqualTo(DaemonException.UNAVAILABLE);
    assertThat(state.lastKnownHeight()).isNull();
  }

  /** A read by a deadline is bounded by the time it has left: 700 ms of 1,000 at 300 ms. */
  @Test
  void aHeightReadByADeadlineWaitsTheTimeItHasLeft(Vertx vertx) throws Exception {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    SharedState state = onHeldMap(vertx, time, new ControlledMap(new ImmediateMap()).hang());
    Deadline deadline = Deadline.in(1_000, time);
    advance(time, 300);
    Future<Integer> read = state.cachedHeight(deadline);
    advance(time, 699);
    assertThat(read.isComplete()).as("at 999 ms").isFalse();
    advance(time, 1);
    assertThat(read.cause()).as("at the deadline").isInstanceOf(DaemonException.class)
        .hasMessageEndingWith("within 700 ms: java.util.concurrent.TimeoutException: "
            + "Timeout 700 (ms) fired");
  }

  // ------------------------------------------ the cache on a map that answers before it returns
  // (ImmediateMap, held where a test needs it), in virtual time: each answer is asserted the
  // moment the call returns, so a look or a load the code forgets to answer fails at once
  // rather than at a deadline.

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
      assertThat(now(other.leases().tryTake("info.lease", LEASE_MS))).isTrue();
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
    advance(n.time, 299);
    assertThat(answer.isComplete()).as("at 299 ms").isFalse();
    advance(n.time, 1);
    assertThat(answer.cause()).as("at its deadline, 300 ms").isInstanceOf(DaemonException.class);
    assertThat(((DaemonException) answer.cause()).code()).isEqualTo(DaemonException.UNAVAILABLE);
    advance(n.time, LEASE_MS - 301);
    assertThat(n.time.pending()).as("at 4,999 ms: the flight's end, the next look")
        .isEqualTo(2);
    advance(n.time, 1);
    assertThat(n.time.pending()).as("the look at 5,000 ms sets no other").isZero();
    assertThat(n.loads).hasValue(0);
  }

  // ---------------------------------------------------------------- values of the shared map
  // written by something else than this class (issue 29, finding 8): absent, replaced, warned.

  private static List<String> warningsAbout(LogCapture logs, String address) {
    return logs.lines().stream()
        .filter((String line) -> line.startsWith("WARN") && line.contains(address))
        .toList();
  }

  @Test
  void aHeightOfAnotherTypeIsNoneAndTheNextObservationReplacesIt(Vertx vertx)
      throws Exception {
    OnVertx on = new OnVertx(vertx);
    Heard heard = new Heard(on, ".height");
    LogCapture logs = LogCapture.start();
    try {
      on.run(() -> {
        SharedState state = on.state("me");
        AsyncMap<String, Object> map = on.map();
        now(map.put(SharedHeight.KEY, "twelve"));
        assertThat(now(state.cachedHeight(5_000))).isNull();
        now(map.put(SharedHeight.KEY, -3));
        assertThat(now(state.cachedHeight(5_000))).as("a negative height").isNull();
        // A Long where an Integer belongs: written by other code than ours.
        now(map.put(SharedHeight.KEY, 12L));
        now(state.observeHeight(12, false));
        assertThat(now(state.cachedHeight(5_000))).isEqualTo(12);
        assertThat(state.lastKnownHeight()).isEqualTo(12);
        assertThat(state.publications()).isEqualTo(1);
      });
    } finally {
      logs.close();
    }
    assertThat(heard.untilMarker()).containsExactly(
        new JsonObject().put("height", 12).putNull("previous"));
    assertThat(warningsAbout(logs, on.address)).as("once for the key and kind").hasSize(1);
  }

  /** How far another node's daemon may be ahead of this node's: further, it is a bad value. */
  private static final int MAX_LEAD = 1_000;

  @Test
  void aHeightFarAboveTheDaemonsIsReplacedButOneAFewBlocksAboveIsKept(Vertx vertx)
      throws Exception {
    OnVertx on = new OnVertx(vertx);
    LogCapture logs = LogCapture.start();
    try {
      on.run(() -> {
        SharedState state = on.state("me");
        AsyncMap<String, Object> map = on.map();
        // Another node's daemon may be a few blocks ahead: a request's answer keeps its height.
        now(map.put(SharedHeight.KEY, 102));
        now(state.observeHeight(100, false));
        assertThat(now(state.cachedHeight(5_000))).isEqualTo(102);
        now(map.put(SharedHeight.KEY, 100 + MAX_LEAD));
        now(state.observeHeight(100, false));
        assertThat(now(state.cachedHeight(5_000))).as("at the limit")
            .isEqualTo(100 + MAX_LEAD);
        now(map.put(SharedHeight.KEY, 101 + MAX_LEAD));
        now(state.observeHeight(100, false));
        assertThat(now(state.cachedHeight(5_000))).as("past it").isEqualTo(100);
        now(map.put(SharedHeight.KEY, Integer.MAX_VALUE));
        now(state.observeHeight(100, true));
        assertThat(now(state.cachedHeight(5_000))).as("polled").isEqualTo(100);
      });
    } finally {
      logs.close();
    }
    assertThat(warningsAbout(logs, on.address)).hasSize(1)
        .allMatch((String line) -> line.contains("blocks above"));
  }

  @Test
  void aConfirmationTimeOfAnotherTypeOrFromTheFutureIsNone(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    on.run(() -> {
      SharedState state = on.state("me");
      AsyncMap<String, Object> map = on.map();
      long hourAgo = on.time.currentTimeMillis() - 3_600_000;
      now(map.put(SharedState.HEIGHT_SEEN_AT, "just now"));
      assertThat(now(state.heightConfirmedAt(5_000))).isNull();
      now(map.put(SharedState.HEIGHT_SEEN_AT, on.time.currentTimeMillis() + 24 * 3_600_000L));
      assertThat(now(state.heightConfirmedAt(5_000))).as("a day ahead").isNull();
      assertThat(now(map.get(SharedState.HEIGHT_SEEN_AT))).as("removed").isNull();
      now(map.put(SharedState.HEIGHT_SEEN_AT, -1L));
      assertThat(now(state.heightConfirmedAt(5_000))).as("before 1970").isNull();
      now(map.put(SharedState.HEIGHT_SEEN_AT, hourAgo));
      assertThat(now(state.heightConfirmedAt(5_000))).as("an old confirmation is still one")
          .isEqualTo(hourAgo);
      now(map.put(SharedState.HEIGHT_SEEN_AT, 0L));
      assertThat(now(state.heightConfirmedAt(5_000))).as("the oldest there is, too").isZero();
    });
  }

  /** Cache entries as they must not be served at {@code now}: each is loaded again. */
  private static List<Object> badEntries(long now) {
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
  void cacheEntriesOfAnotherShapeTypeOrExpiryAreLoadedAgain(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    AtomicInteger loads = new AtomicInteger();
    List<Object> bad = badEntries(on.time.currentTimeMillis());
    LogCapture logs = LogCapture.start();
    try {
      on.run(() -> {
        SharedState state = on.state("me");
        Function<Deadline, Future<String>> loader =
            (Deadline d) -> Future.succeededFuture("loaded " + loads.incrementAndGet());
        for (Object entry : bad) {
          now(on.map().put("info", entry));
          assertThat(now(state.cached("info", String.class, 60_000,
              Deadline.in(5_000, on.time), loader))).as("instead of " + entry)
              .isEqualTo("loaded " + loads.get());
          // Replaced: served from the map until it expires.
          assertThat(now(state.cached("info", String.class, 60_000,
              Deadline.in(5_000, on.time), loader))).as("after " + entry)
              .isEqualTo("loaded " + loads.get());
        }
      });
    } finally {
      logs.close();
    }
    assertThat(loads).hasValue(bad.size());
    assertThat(warningsAbout(logs, on.address))
        .allMatch((String line) -> line.contains("info")).isNotEmpty();
  }

  /** An entry that expires now is an old one: loaded again, no bad value. */
  @Test
  void anExpiredEntryIsLoadedAgainWithoutAWarning(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    LogCapture logs = LogCapture.start();
    try {
      on.run(() -> {
        SharedState state = on.state("me");
        now(on.map().put("info", "{\"expiresAt\": " + on.time.currentTimeMillis()
            + ", \"value\": \"old\"}"));
        assertThat(now(state.cached("info", String.class, 60_000, Deadline.in(5_000, on.time),
            (Deadline d) -> Future.succeededFuture("new")))).isEqualTo("new");
      });
    } finally {
      logs.close();
    }
    assertThat(warningsAbout(logs, on.address)).isEmpty();
  }

  @Test
  void aBadValueIsWarnedOncePerKeyAndKindOfProblem(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    LogCapture logs = LogCapture.start();
    try {
      on.run(() -> {
        SharedState state = on.state("me");
        AsyncMap<String, Object> map = on.map();
        for (int i = 0; i < 5; i++) {
          now(map.put(SharedHeight.KEY, "twelve"));
          assertThat(now(state.cachedHeight(5_000))).isNull();
          now(map.put(SharedState.HEIGHT_SEEN_AT, "now"));
          assertThat(now(state.heightConfirmedAt(5_000))).isNull();
        }
      });
    } finally {
      logs.close();
    }
    List<String> warnings = warningsAbout(logs, on.address);
    assertThat(warnings).hasSize(2);
    assertThat(warnings).filteredOn((String line) -> line.contains(SharedState.HEIGHT_SEEN_AT))
        .hasSize(1);
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
  void tipsGoOnFromWhatAnyInstanceStoredAndTheHeightFollows(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    Heard heard = new Heard(on, ".tip");
    on.run(() -> {
      SharedState a = on.state("a");
      SharedState b = on.state("b");
      now(a.observeTip(seen('a', 10, "poll")));
      now(b.observeTip(seen('a', 11, "zmq")));
      // The same tip again, from the other instance: nothing new.
      now(a.observeTip(seen('a', 11, "poll")));
      now(a.observeTip(seen('b', 11, "longpoll")));
      assertThat(now(a.cachedHeight(5_000))).isEqualTo(11);
      assertThat(a.tipPublications()).isEqualTo(2);
      assertThat(b.tipPublications()).isEqualTo(1);
      assertThat(a.tipRepublications()).isZero();
      assertThat(a.lastPublishedTip()).isEqualTo(new Tip(11, hash('b', 11)));
      assertThat(b.lastPublishedTip()).isEqualTo(new Tip(11, hash('a', 11)));
    });
    assertThat(heard.untilMarker()).containsExactly(
        new TipEvent(new Tip(10, hash('a', 10)), null, null, "poll", 1).toJson(),
        new TipEvent(new Tip(11, hash('a', 11)), new Tip(10, hash('a', 10)), null, "zmq", 2)
            .toJson(),
        new TipEvent(new Tip(11, hash('b', 11)), new Tip(11, hash('a', 11)), 10, "longpoll", 3)
            .toJson());
  }

  /**
   * A poller that died after its write, before publishing: the node taking its lease over
   * publishes the tip it left unconfirmed, once.
   */
  @Test
  void theNextPollerPublishesTheTipTheLastLeftUnconfirmed(Vertx vertx) throws Exception {
    OnVertx on = new OnVertx(vertx);
    Heard heard = new Heard(on, ".tip");
    on.run(() -> {
      // Its read answered, its write done and never answered.
      ControlledMap dying = new ControlledMap(on.map()).loseRepliesAfter(1);
      SharedState first = new SharedState(vertx, on.time, dying, new BadValues("first"),
          "first", on.address, LEASE_MS);
      assertThat(first.observeTip(seen('a', 10, "poll")).isComplete()).isFalse();
      assertThat(first.tipPublications()).isZero();
      SharedState next = on.state("next");
      now(next.resumeTip());
      assertThat(next.tipRepublications()).isOne();
      assertThat(next.lastPublishedTip()).isEqualTo(new Tip(10, hash('a', 10)));
      now(next.resumeTip());
      assertThat(next.tipRepublications()).as("confirmed: not again").isOne();
    });
    assertThat(heard.untilMarker()).containsExactly(
        new TipEvent(new Tip(10, hash('a', 10)), null, null, "poll", 1).toJson());
  }
}
