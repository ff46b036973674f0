package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.ImmediateMap;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared cache ({@link SharedState#cached}) on a map that answers before it returns
 * ({@link ImmediateMap}), held where a test needs it ({@link ControlledMap}), in virtual
 * time: each answer is asserted the moment the call returns, so a load or a look the code
 * forgets to answer fails at once rather than at a deadline. SharedStateTest runs the same
 * code on Vert.x's shared data.
 */
@ExtendWith(VertxExtension.class)
class SharedCacheAtOnceTest {

  private static final long LEASE_MS = 5_000;

  private final ImmediateMap real = new ImmediateMap();
  private final ControlledMap map = new ControlledMap(real);
  private final AtomicInteger loads = new AtomicInteger();
  private VirtualTime time;
  /** Two instances on the map, as two nodes; {@code other} only takes leases. */
  private SharedState a;
  private SharedState b;
  private SharedState other;

  @BeforeEach
  void create(Vertx vertx) {
    time = new VirtualTime(vertx.getOrCreateContext());
    Function<String, SharedState> instance = (String owner) -> new SharedState(vertx, time,
        map, new BadValues("cache-at-once"), owner, "cache-at-once", LEASE_MS);
    a = instance.apply("a");
    b = instance.apply("b");
    other = instance.apply("other");
  }

  /** A load from the daemon: "v1", "v2", ... counted. */
  private Function<Deadline, Future<String>> loader() {
    return (Deadline d) -> Future.succeededFuture("v" + loads.incrementAndGet());
  }

  private static <T> T now(Future<T> future) {
    assertThat(future.isComplete()).as("answered when the map answered").isTrue();
    assertThat(future.succeeded()).as("succeeded: %s", future.cause()).isTrue();
    return future.result();
  }

  private void advance(long ms) throws Exception {
    time.advance(ms).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** What another node stores for {@code key}: {@code value}, fresh for 10 s. */
  private void storedByAnother(String key, String value) {
    now(real.put(key, CacheEntry.encode(value, time.currentTimeMillis() + 10_000)));
  }

  @Test
  void oneLoadsTheOtherReadsItsValueWithOneLookUntilItsTtl() throws Exception {
    LogCapture logs = LogCapture.start();
    try {
      assertThat(now(a.cached("fee", String.class, 300, Deadline.in(5_000, time), loader())))
          .isEqualTo("v1");
    } finally {
      logs.close();
    }
    assertThat(logs.lines()).filteredOn((String line) -> line.startsWith("WARN"))
        .as("nothing stored is no bad value").isEmpty();
    int before = map.operations();
    assertThat(now(b.cached("fee", String.class, 300, Deadline.in(5_000, time), loader())))
        .as("a's value").isEqualTo("v1");
    assertThat(map.operations() - before).as("one read, no lease taken").isOne();
    advance(299);
    assertThat(now(b.cached("fee", String.class, 300, Deadline.in(5_000, time), loader())))
        .as("at 299 ms").isEqualTo("v1");
    advance(1);
    assertThat(now(b.cached("fee", String.class, 300, Deadline.in(5_000, time), loader())))
        .as("at its ttl, 300 ms").isEqualTo("v2");
    assertThat(now(a.cached("fee", String.class, 300, Deadline.in(5_000, time), loader())))
        .as("b's value, stored over a's").isEqualTo("v2");
    assertThat(a.cacheLoads()).isOne();
    assertThat(b.cacheLoads()).isOne();
  }

  @Test
  void aValueAnotherNodeIsLoadingIsLookedForEvery20Ms() throws Exception {
    assertThat(now(other.leases().tryTake("info.lease", LEASE_MS))).isTrue();
    Future<String> answer = a.cached("info", String.class, 10_000, Deadline.in(5_000, time),
        loader());
    assertThat(answer.isComplete()).as("the other holds the lease").isFalse();
    advance(20);
    assertThat(answer.isComplete()).as("looked again at 20 ms: still nothing").isFalse();
    storedByAnother("info", "from the other");
    advance(19);
    assertThat(answer.isComplete()).as("at 39 ms").isFalse();
    advance(1);
    assertThat(now(answer)).as("the look at 40 ms").isEqualTo("from the other");
    assertThat(loads).hasValue(0);
  }

  @Test
  void aLoadThatFailsIsTheAskersFailureAtOnceAndFreesTheLease() {
    DaemonException down = DaemonException.unavailable("daemon down");
    Future<String> failed = a.cached("info", String.class, 10_000,
        Deadline.in(5_000, time), (Deadline d) -> Future.failedFuture(down));
    assertThat(failed.cause()).as("failed at once").isSameAs(down);
    assertThat(now(b.cached("info", String.class, 10_000,
        Deadline.in(5_000, time), loader()))).as("b took the lease at once").isEqualTo("v1");
  }

  /** The lease found free because its holder stored the value after a looked: no load. */
  @Test
  void aValueStoredBetweenTheLookAndTheLeaseIsServedWithoutALoad() {
    map.pauseAfter(0);
    Future<String> answer = a.cached("info", String.class, 10_000, Deadline.in(5_000, time),
        loader());
    map.resumeOne();
    assertThat(map.heldOperations()).as("a found nothing, and asks for the lease").isOne();
    storedByAnother("info", "stored meanwhile");
    map.resume();
    assertThat(now(answer)).isEqualTo("stored meanwhile");
    assertThat(loads).hasValue(0);
    assertThat(now(real.get("info.lease"))).as("the lease given back").isNull();
  }

  /**
   * The asker answered 503 at its deadline, the flight's own (at least a lease) ends: the
   * looks for the other node's value stop there.
   */
  @Test
  void theLooksForAnotherNodesValueStopWhenTheFlightEnds() throws Exception {
    assertThat(now(other.leases().tryTake("info.lease", LEASE_MS))).isTrue();
    Future<String> answer = a.cached("info", String.class, 10_000, Deadline.in(300, time),
        loader());
    advance(300);
    assertThat(answer.cause()).isInstanceOf(DaemonException.class);
    advance(LEASE_MS - 301);
    assertThat(time.pending()).as("at 4,999 ms: the flight's end, the next look").isEqualTo(2);
    advance(1);
    assertThat(time.pending()).as("the look at 5,000 ms sets no other").isZero();
    assertThat(loads).hasValue(0);
  }
}
