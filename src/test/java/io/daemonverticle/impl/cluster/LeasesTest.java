package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.ControlledMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Leases on local shared data (ClusterSharedStateTest runs them on Hazelcast), on a clock the
 * test moves: a lease runs out when the clock says, not after a wait.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LeasesTest {

  private static final String LEASE = "work.lease";

  private static Future<AsyncMap<String, Object>> map(Vertx vertx) {
    return vertx.sharedData().getAsyncMap("leases-test-" + System.nanoTime());
  }

  /** The leases' monotonic clock, in nanoseconds: moved by the tests only. */
  private final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(3));

  private Leases leases(AsyncMap<String, Object> map, String owner) {
    return new Leases(map, owner, new BadValues("leases-test"), nanos::get);
  }

  private void advanceMs(long ms) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  /** Asks every 50 ms (of the leases' clock) until held; counts the refusals. */
  private Future<Void> takeWhenFree(Leases leases, long ttlMs, AtomicInteger refusals) {
    return leases.tryTake(LEASE, ttlMs).compose((Boolean held) -> {
      if (held) {
        return Future.succeededFuture();
      }
      refusals.incrementAndGet();
      advanceMs(50);
      return takeWhenFree(leases, ttlMs, refusals);
    });
  }

  @Test
  void aStalledHoldersRenewalDoesNotTakeTheLeaseBackFromItsSuccessor(Vertx vertx,
                                                                    VertxTestContext ctx) {
    AtomicInteger refusals = new AtomicInteger();
    map(vertx).compose((AsyncMap<String, Object> real) -> {
      ControlledMap aMap = new ControlledMap(real);
      Leases a = leases(aMap, "a");
      Leases b = leases(real, "b");
      return a.tryTake(LEASE, 1_000).compose((Boolean taken) -> {
        ctx.verify(() -> assertThat(taken).isTrue());
        // a starts renewing and stalls after its first map operation (the read that finds
        // its own lease), long enough for its lease to run out and b to take it.
        aMap.pauseAfter(1);
        Future<Boolean> renewal = a.tryTake(LEASE, 1_000);
        return takeWhenFree(b, 1_000, refusals)
            .compose((Void v) -> {
              aMap.resume();
              return renewal;
            })
            .compose((Boolean aRenewed) -> b.tryTake(LEASE, 1_000).map((Boolean bRenewed) -> {
              ctx.verify(() -> {
                // b first saw a's value at its first ask: 1,000 ms (20 asks) later it ran out.
                assertThat(refusals.get()).as("b waited for a's lease to run out")
                    .isEqualTo(20);
                assertThat(aRenewed).as("the stalled holder's renewal").isFalse();
                assertThat(bRenewed).as("the successor still holds it").isTrue();
                assertThat(a.holds(LEASE)).isFalse();
                assertThat(b.holds(LEASE)).isTrue();
              });
              return null;
            }))
            .compose((Object v) -> a.tryTake(LEASE, 1_000))
            .map((Boolean aAgain) -> {
              ctx.verify(() -> assertThat(aAgain).as("a, back, finds b holding it").isFalse());
              return null;
            });
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aLeaseRenewedByItsHolderDoesNotRunOut(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger bTook = new AtomicInteger();
    map(vertx).compose((AsyncMap<String, Object> real) -> {
      Leases a = leases(real, "a");
      Leases b = leases(real, "b");
      // For 1.5 s a renews its 300 ms lease every 100 ms while b tries to take it.
      return renewUntil(a, b, 15, bTook).map((Void v) -> {
        ctx.verify(() -> {
          assertThat(bTook.get()).as("b never got a renewed lease").isZero();
          assertThat(a.holds(LEASE)).isTrue();
        });
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> renewUntil(Leases a, Leases b, int rounds, AtomicInteger bTook) {
    if (rounds == 0) {
      return Future.succeededFuture();
    }
    return a.tryTake(LEASE, 300)
        .compose((Boolean aHeld) -> b.tryTake(LEASE, 300).map((Boolean bHeld) -> {
          if (bHeld) {
            bTook.incrementAndGet();
          }
          return aHeld;
        }))
        .compose((Boolean aHeld) -> {
          advanceMs(100);
          return renewUntil(a, b, rounds - 1, bTook);
        });
  }

  /**
   * A lease of another holder that would run longer than the taker's own length (the probe of
   * issue 29 wrote one to run for ages, which froze height polling cluster-wide) is no lease:
   * taken over at once, by compare-and-set, and warned about once.
   */
  @Test
  void aLeaseLongerThanTheTakersOwnIsTakenAtOnce(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    // 30 years (Long.MAX_VALUE would overflow in nanoseconds and run out at once).
    String forged = TimeUnit.DAYS.toMillis(30 * 365) + "|forged|elsewhere";
    map(vertx).compose((AsyncMap<String, Object> real) -> {
      Leases a = leases(real, "a");
      return real.put(LEASE, forged)
          .compose((Void v) -> a.tryTake(LEASE, 1_000))
          .compose((Boolean taken) -> {
            ctx.verify(() -> {
              assertThat(taken).isTrue();
              assertThat(a.holds(LEASE)).isTrue();
            });
            return real.get(LEASE);
          })
          .compose((Object held) -> {
            ctx.verify(() -> assertThat(held).isNotEqualTo(forged));
            // One a millisecond longer than a's own: taken at once too, and not warned again.
            return real.put(LEASE, "1001|forged|elsewhere");
          })
          .compose((Void v) -> a.tryTake(LEASE, 1_000));
    }).andThen(ar -> logs.close())
        .onComplete(ctx.succeeding((Boolean again) -> ctx.verify(() -> {
          assertThat(again).isTrue();
          assertThat(logs.lines()).filteredOn((String line) -> line.startsWith("WARN")
              && line.contains(LEASE)).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void aValueThatIsNoLeaseIsTakenAtOnce(Vertx vertx, VertxTestContext ctx) {
    map(vertx).compose((AsyncMap<String, Object> real) -> {
      Leases a = leases(real, "a");
      Future<Boolean> chain = Future.succeededFuture(true);
      for (Object bad : new Object[] {42, "garbage", "0|token|owner", "-5|token|owner",
          "soon|token|owner", "1000|no owner"}) {
        chain = chain.compose((Boolean before) -> {
          ctx.verify(() -> assertThat(before).isTrue());
          return real.put(LEASE, bad).compose((Void v) -> a.tryTake(LEASE, 1_000));
        });
      }
      return chain;
    }).onComplete(ctx.succeeding((Boolean last) -> ctx.verify(() -> {
      assertThat(last).isTrue();
      ctx.completeNow();
    })));
  }

  @Test
  void aLeaseNoLongerThanTheTakersOwnIsLeftToItsHolder(Vertx vertx, VertxTestContext ctx) {
    map(vertx).compose((AsyncMap<String, Object> real) -> {
      Leases a = leases(real, "a");
      Leases b = leases(real, "b");
      return b.tryTake(LEASE, 1_000)
          .compose((Boolean bHeld) -> a.tryTake(LEASE, 1_000))
          .compose((Boolean aSameLength) -> {
            ctx.verify(() -> assertThat(aSameLength).isFalse());
            return a.tryTake(LEASE, 5_000);
          });
    }).onComplete(ctx.succeeding((Boolean aLonger) -> ctx.verify(() -> {
      assertThat(aLonger).as("a shorter lease than the taker's").isFalse();
      ctx.completeNow();
    })));
  }
}
