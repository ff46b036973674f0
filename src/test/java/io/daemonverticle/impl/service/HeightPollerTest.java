package io.daemonverticle.impl.service;

import static io.daemonverticle.testing.VirtualTime.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.cluster.SharedMaps;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The height poller in virtual time ({@link VirtualTime}): one poll per period counted from
 * the start of the last (the time a poll took is taken off the wait), the stand-back of a
 * holder whose daemon failed, another instance taking the lease meanwhile, and a tick that
 * hangs bounded by the lease. The leases are real, on this Vert.x's local shared data, and on
 * the same virtual time; every poll's time is asserted to the millisecond.
 */
@ExtendWith(VertxExtension.class)
class HeightPollerTest {

  private static final long PERIOD_MS = 1_000;
  /** The lease a poller of this period takes: {@code max(3 periods, period + 2 s)}. */
  private static final long LEASE_MS = 3_000;
  private static final int HEIGHT = 42;
  /** How long the daemon takes to answer where it takes time: no tick timer is this long. */
  private static final long ANSWER_MS = 250;

  /** A daemon whose every answer the test decides, and when it was asked (virtual ms). */
  private static final class Daemon implements HeightPoller.Heights {
    final VirtualTime time;
    final List<Long> askedAtMs = new ArrayList<>();
    final List<Long> deadlinesMs = new ArrayList<>();
    /** The answer to the n-th question (from 0). */
    Function<Integer, Future<Integer>> answers;

    Daemon(VirtualTime time, Function<Integer, Future<Integer>> answers) {
      this.time = time;
      this.answers = answers;
    }

    @Override
    public Future<Integer> height(Deadline deadline, boolean mayDecrease) {
      askedAtMs.add(time.nowMs());
      deadlinesMs.add(deadline.remainingMs());
      return answers.apply(askedAtMs.size() - 1);
    }

    /** Answers {@code afterMs} of virtual time later. */
    Future<Integer> answerAfter(long afterMs) {
      Promise<Integer> answer = Promise.promise();
      time.setTimer(afterMs, (Long id) -> answer.complete(HEIGHT));
      return answer.future();
    }
  }

  private static Future<SharedState> shared(Vertx vertx, VirtualTime time, String address,
                                            String owner) {
    return SharedState.create(SharedMaps.VERTX, vertx, time, address, owner, 30_000);
  }

  /** The poll's tick timers (not the lease's bound, not the daemon's), as (set at, delay). */
  private static List<VirtualTime.Scheduled> ticks(VirtualTime time) {
    return time.history().stream()
        .filter((VirtualTime.Scheduled s) -> s.delayMs() <= PERIOD_MS && s.delayMs() != ANSWER_MS)
        .toList();
  }

  @Test
  void pollsOncePerPeriodTheTimeAPollTookTakenOffTheWait(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    Daemon daemon = new Daemon(time, null);
    daemon.answers = (Integer n) -> daemon.answerAfter(ANSWER_MS);
    shared(vertx, time, "poller-period-" + System.nanoTime(), "a").compose((SharedState s) -> {
      HeightPoller poller = new HeightPoller(time, daemon, s, PERIOD_MS, TipWatch.NONE);
      return on(context, poller::start)
          .compose((Void v) -> time.advance(3_001))
          .map((Void v) -> {
            ctx.verify(() -> {
              assertThat(daemon.askedAtMs).as("one poll a period, each 250 ms long")
                  .containsExactly(1L, 1_001L, 2_001L, 3_001L);
              assertThat(ticks(time)).containsExactly(new VirtualTime.Scheduled(0, 1),
                  new VirtualTime.Scheduled(251, 750), new VirtualTime.Scheduled(1_251, 750),
                  new VirtualTime.Scheduled(2_251, 750));
              assertThat(daemon.deadlinesMs).as("each poll may take a period, 1 s at least")
                  .containsOnly(PERIOD_MS);
              assertThat(poller.polls()).isEqualTo(4);
              assertThat(s.leases().holds(HeightPoller.LEASE)).isTrue();
            });
            on(context, poller::stop);
            return v;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aHolderWhoseDaemonFailsStandsBackTwoPeriodsThenPollsAgain(Vertx vertx,
                                                                VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    Daemon daemon = new Daemon(time, (Integer n) -> n == 0
        ? Future.failedFuture(DaemonException.unavailable("the daemon is down"))
        : Future.succeededFuture(HEIGHT));
    shared(vertx, time, "poller-standback-" + System.nanoTime(), "a").compose((SharedState s) -> {
      HeightPoller poller = new HeightPoller(time, daemon, s, PERIOD_MS, TipWatch.NONE);
      return on(context, poller::start)
          .compose((Void v) -> time.advance(1))
          .compose((Void v) -> {
            ctx.verify(() -> {
              assertThat(daemon.askedAtMs).containsExactly(1L);
              assertThat(s.leases().holds(HeightPoller.LEASE)).as("given up").isFalse();
            });
            // The tick a period later is the one that would have polled: it has fired.
            return time.advance(1_999);
          })
          .compose((Void v) -> {
            ctx.verify(() -> {
              assertThat(ticks(time)).contains(new VirtualTime.Scheduled(1_001, PERIOD_MS));
              assertThat(daemon.askedAtMs).as("standing back at 1,001 ms").containsExactly(1L);
            });
            return time.advance(1);
          })
          .map((Void v) -> {
            ctx.verify(() -> {
              assertThat(daemon.askedAtMs).as("two periods after the failure")
                  .containsExactly(1L, 2_001L);
              assertThat(s.leases().holds(HeightPoller.LEASE)).as("taken again").isTrue();
            });
            on(context, poller::stop);
            return v;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anotherInstanceTakesTheLeaseWhileTheHolderStandsBack(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    String address = "poller-takeover-" + System.nanoTime();
    // The holder's daemon answers its first poll and fails from the second on.
    Daemon first = new Daemon(time, (Integer n) -> n == 0 ? Future.succeededFuture(HEIGHT)
        : Future.failedFuture(DaemonException.unavailable("the daemon hangs")));
    Daemon second = new Daemon(time, (Integer n) -> Future.succeededFuture(HEIGHT));
    shared(vertx, time, address, "a").compose((SharedState a) -> shared(vertx, time, address,
        "b").compose((SharedState b) -> {
          HeightPoller holder = new HeightPoller(time, first, a, PERIOD_MS, TipWatch.NONE);
          HeightPoller other = new HeightPoller(time, second, b, PERIOD_MS, TipWatch.NONE);
          return on(context, () -> {
            holder.start();
            other.start();
          })
              .compose((Void v) -> time.advance(1))
              .compose((Void v) -> {
                ctx.verify(() -> {
                  assertThat(first.askedAtMs).as("the first to tick holds the lease")
                      .containsExactly(1L);
                  assertThat(second.askedAtMs).isEmpty();
                });
                return time.advance(1_000);
              })
              .compose((Void v) -> {
                ctx.verify(() -> {
                  assertThat(first.askedAtMs).as("its daemon failed here")
                      .containsExactly(1L, 1_001L);
                  // Both tick at 1,001 ms, the holder first (its timer was set first): it had
                  // let the lease go when the other looked.
                  assertThat(second.askedAtMs).as("taken over in the same tick")
                      .containsExactly(1_001L);
                });
                return time.advance(4_000);
              })
              .map((Void v) -> {
                ctx.verify(() -> {
                  assertThat(second.askedAtMs).as("kept, one poll a period")
                      .containsExactly(1_001L, 2_001L, 3_001L, 4_001L, 5_001L);
                  assertThat(first.askedAtMs)
                      .as("not after its stand-back either (3,001 ms): the lease is the other's")
                      .containsExactly(1L, 1_001L);
                  assertThat(b.leases().holds(HeightPoller.LEASE)).isTrue();
                  assertThat(a.leases().holds(HeightPoller.LEASE)).isFalse();
                });
                on(context, () -> {
                  holder.stop();
                  other.stop();
                });
                return v;
              });
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPollThatHangsEndsWithTheLeaseAndTheNextTickFollowsAtOnce(Vertx vertx,
                                                                 VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    Daemon daemon = new Daemon(time, (Integer n) -> n == 0 ? Promise.<Integer>promise().future()
        : Future.succeededFuture(HEIGHT));
    shared(vertx, time, "poller-hang-" + System.nanoTime(), "a").compose((SharedState s) -> {
      HeightPoller poller = new HeightPoller(time, daemon, s, PERIOD_MS, TipWatch.NONE);
      return on(context, poller::start)
          .compose((Void v) -> time.advance(3_000))
          .compose((Void v) -> {
            ctx.verify(() -> assertThat(daemon.askedAtMs).as("still waiting, within the lease")
                .containsExactly(1L));
            return time.advance(2);
          })
          .map((Void v) -> {
            ctx.verify(() -> assertThat(daemon.askedAtMs)
                .as("the tick ended with its lease at 3,001 ms; the next is 1 ms later")
                .containsExactly(1L, 3_002L));
            on(context, poller::stop);
            return v;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
