package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.ImmediateMap;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Leases on a map that answers before it returns ({@link ImmediateMap}), on a clock the test
 * moves: each outcome is asserted the moment the call returns, so an answer the code forgets
 * to give fails the test at once. LeasesTest runs them on Vert.x's shared data.
 */
class LeasesAtOnceTest {

  private static final String LEASE = "work.lease";

  private final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(3));
  private final ImmediateMap real = new ImmediateMap();

  private Leases leases(io.vertx.core.shareddata.AsyncMap<String, Object> map, String owner) {
    return new Leases(map, owner, new BadValues("leases-at-once"), nanos::get);
  }

  private void advanceNanos(long n) {
    nanos.addAndGet(n);
  }

  /** The outcome of a call that must have been answered by the time it returned. */
  private static <T> T now(Future<T> future) {
    assertThat(future.isComplete()).as("answered when the map answered").isTrue();
    assertThat(future.succeeded()).as("succeeded: %s", future.cause()).isTrue();
    return future.result();
  }

  private Object stored() {
    return now(real.get(LEASE));
  }

  @Test
  void aLeaseIsHeldForItsTtlToTheNanosecond() {
    Leases a = leases(real, "a");
    assertThat(now(a.tryTake(LEASE, 1_000))).isTrue();
    advanceNanos(TimeUnit.MILLISECONDS.toNanos(1_000) - 1);
    assertThat(a.holds(LEASE)).as("1 ns before its ttl is over").isTrue();
    advanceNanos(1);
    assertThat(a.holds(LEASE)).as("at its ttl").isFalse();
    assertThat(leases(real, "b").holds(LEASE)).as("never taken by b").isFalse();
  }

  /**
   * Both found the lease free; b's write landed first: a's put-if-absent finds b's value, and
   * a neither holds the lease nor says it does.
   */
  @Test
  void theLoserOfARaceForAFreeLeaseDoesNotHoldIt() {
    ControlledMap aMap = new ControlledMap(real);
    Leases a = leases(aMap, "a");
    Leases b = leases(real, "b");
    aMap.pauseAfter(1);
    Future<Boolean> aTakes = a.tryTake(LEASE, 1_000);
    assertThat(now(b.tryTake(LEASE, 1_000))).isTrue();
    Object bValue = stored();
    aMap.resume();
    assertThat(now(aTakes)).as("a's take").isFalse();
    assertThat(a.holds(LEASE)).isFalse();
    assertThat(stored()).as("b's value left in place").isEqualTo(bValue);
    assertThat(b.holds(LEASE)).isTrue();
  }

  /**
   * a renews while another node's lease takes the key between a's read and its compare-and-set:
   * the renewal fails, and a stops holding at once, well before its own ttl would end.
   */
  @Test
  void aRenewalThatLosesItsCompareAndSetEndsTheHoldAtOnce() {
    ControlledMap aMap = new ControlledMap(real);
    Leases a = leases(aMap, "a");
    assertThat(now(a.tryTake(LEASE, 1_000))).isTrue();
    aMap.pauseAfter(1);
    Future<Boolean> renewal = a.tryTake(LEASE, 1_000);
    now(real.put(LEASE, "1000|token|c"));
    aMap.resume();
    assertThat(now(renewal)).as("the renewal").isFalse();
    assertThat(a.holds(LEASE)).as("a, 0 ms into its ttl").isFalse();
    assertThat(stored()).isEqualTo("1000|token|c");
  }

  /** A lease found in another's name between two renewals is not a's any more, at once. */
  @Test
  void aLeaseFoundTakenOverIsNoLongerHeld() {
    Leases a = leases(real, "a");
    assertThat(now(a.tryTake(LEASE, 1_000))).isTrue();
    now(real.put(LEASE, "1000|token|c"));
    assertThat(now(a.tryTake(LEASE, 1_000))).as("c's lease, seen the first time").isFalse();
    assertThat(a.holds(LEASE)).isFalse();
  }

  /** A lease of 1 ms is a lease (the shortest there is), not a value to replace. */
  @Test
  void aOneMillisecondLeaseIsLeftToItsHolderUntilItRunsOut() {
    Leases a = leases(real, "a");
    now(real.put(LEASE, "1|token|c"));
    assertThat(now(a.tryTake(LEASE, 1_000))).as("first seen").isFalse();
    advanceNanos(TimeUnit.MILLISECONDS.toNanos(1) - 1);
    assertThat(now(a.tryTake(LEASE, 1_000))).as("seen unchanged for 1 ms less 1 ns").isFalse();
    advanceNanos(1);
    assertThat(now(a.tryTake(LEASE, 1_000))).as("seen unchanged for 1 ms").isTrue();
    assertThat(a.holds(LEASE)).isTrue();
  }

  /** The holder's renewals move its hold on; another's renewals restart the wait for it. */
  @Test
  void renewalsKeepALeaseWithItsHolder() {
    Leases a = leases(real, "a");
    Leases b = leases(real, "b");
    assertThat(now(a.tryTake(LEASE, 1_000))).isTrue();
    assertThat(now(b.tryTake(LEASE, 1_000))).as("b sees a's lease").isFalse();
    for (int i = 0; i < 3; i++) {
      advanceNanos(TimeUnit.MILLISECONDS.toNanos(900));
      assertThat(now(a.tryTake(LEASE, 1_000))).as("a's renewal %d", i).isTrue();
      assertThat(a.holds(LEASE)).isTrue();
    }
    // b has seen a lease of a's for 2,700 ms, each value for less than its ttl.
    advanceNanos(TimeUnit.MILLISECONDS.toNanos(900));
    assertThat(now(b.tryTake(LEASE, 1_000))).as("b, 900 ms after a's last renewal")
        .isFalse();
    advanceNanos(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(a.holds(LEASE)).as("a, 1,000 ms after its last renewal").isFalse();
    assertThat(now(b.tryTake(LEASE, 1_000))).as("b, after a's lease ran out unrenewed")
        .isFalse();
    advanceNanos(TimeUnit.MILLISECONDS.toNanos(1_000));
    assertThat(now(b.tryTake(LEASE, 1_000))).as("b, 1,100 ms after it first saw a's last value")
        .isTrue();
  }

  /** Values no holder could have written are free leases: taken at once. */
  @Test
  void aValueThatIsNoLeaseIsTakenAtOnce() {
    Leases a = leases(real, "a");
    for (Object bad : new Object[] {42, "garbage", "0|token|owner", "-5|token|owner",
        "soon|token|owner", "1000|no owner"}) {
      now(real.put(LEASE, bad));
      assertThat(now(a.tryTake(LEASE, 1_000))).as("over %s", bad).isTrue();
      assertThat(stored()).isNotEqualTo(bad);
    }
  }

  @Test
  void theWarningSaysWhatIsWrongWithTheValue() {
    LogCapture logs = LogCapture.start();
    try {
      Leases a = leases(real, "a");
      now(real.put(LEASE, "garbage"));
      assertThat(now(a.tryTake(LEASE, 1_000))).isTrue();
      now(real.put(LEASE, "5000|token|c"));
      assertThat(now(a.tryTake(LEASE, 1_000))).isTrue();
    } finally {
      logs.close();
    }
    assertThat(logs.lines()).filteredOn((String line) -> line.startsWith("WARN"))
        .satisfiesExactly(
            line -> assertThat(line).contains("String 'garbage' is no lease "
                + "(ttl|token|owner, the ttl a positive number of ms)"),
            line -> assertThat(line).contains("String '5000|token|c' is a lease longer than "
                + "the 1000 ms this node's leases of it last"));
  }

  @Test
  void releaseFreesOnlyALeaseHeldHere() {
    Leases a = leases(real, "a");
    Leases b = leases(real, "b");
    assertThat(now(a.release(LEASE))).as("nothing held").isFalse();
    assertThat(now(b.tryTake(LEASE, 1_000))).isTrue();
    assertThat(now(a.release(LEASE))).as("b's lease, released by a").isFalse();
    assertThat(stored()).as("b's lease left in place").isNotNull();
    assertThat(now(b.release(LEASE))).isTrue();
    assertThat(b.holds(LEASE)).isFalse();
    assertThat(stored()).as("the key after b's release").isNull();
    assertThat(now(a.tryTake(LEASE, 1_000))).as("free at once").isTrue();
    assertThat(now(b.release(LEASE))).as("b released it already").isFalse();
    assertThat(a.holds(LEASE)).isTrue();
  }
}
