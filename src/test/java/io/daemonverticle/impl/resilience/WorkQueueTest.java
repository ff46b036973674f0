package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.time.NanoClock;
import io.daemonverticle.impl.time.TimeSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.resilience.WorkQueue.Slot;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext.ExecutionBlock;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WorkQueue on its own. It is confined to one event loop, so each test runs in steps on one
 * context, each step on a later turn of the loop than the one before: whatever a step set off
 * on that loop has happened when the next one looks, whether the queue answers at once or not.
 */
@ExtendWith(VertxExtension.class)
class WorkQueueTest {

  @Test
  void grantsUpToMaxInFlightAtOnceAndTheNextWaits(Vertx vertx, VertxTestContext ctx) {
    WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 2, 10);
    List<Future<Slot>> asked = new ArrayList<>();
    inTurns(vertx, ctx,
        () -> {
          for (int i = 0; i < 3; i++) {
            asked.add(queue.acquire(far(), true));
          }
        },
        () -> {
          granted(asked.get(0));
          granted(asked.get(1));
          waiting(asked.get(2));
          assertThat(queue.inFlight()).isEqualTo(2);
          assertThat(queue.queued()).isEqualTo(1);
          granted(asked.get(1)).release();
        },
        () -> {
          granted(asked.get(2));
          assertThat(queue.inFlight()).isEqualTo(2);
          assertThat(queue.queued()).isZero();
        });
  }

  @Test
  void waitersAreGrantedInArrivalOrderAsSlotsAreReleased(Vertx vertx, VertxTestContext ctx) {
    WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 1, 10);
    List<Future<Slot>> asked = new ArrayList<>();
    List<Integer> grantOrder = new ArrayList<>();
    Checkpoint eachGranted = ctx.checkpoint(3);
    inTurns(vertx, ctx,
        () -> {
          asked.add(queue.acquire(far(), true));
          for (int i = 1; i <= 3; i++) {
            int arrival = i;
            // Only noted here: the slot is released by a later step, not from this handler.
            asked.add(queue.acquire(far(), true).onSuccess((WorkQueue.Slot slot) -> {
              grantOrder.add(arrival);
              eachGranted.flag();
            }));
          }
        },
        () -> {
          assertThat(grantOrder).isEmpty();
          granted(asked.get(0)).release();
        },
        () -> {
          assertThat(grantOrder).as("one slot freed, one waiter served").containsExactly(1);
          granted(asked.get(1)).release();
        },
        () -> {
          assertThat(grantOrder).containsExactly(1, 2);
          granted(asked.get(2)).release();
        },
        () -> assertThat(grantOrder).containsExactly(1, 2, 3));
  }

  @Test
  void fullLineRefusesNewRequestsWith429ButARetryStillQueues(Vertx vertx,
                                                            VertxTestContext ctx) {
    WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 1, 2);
    List<Future<Slot>> asked = new ArrayList<>();
    inTurns(vertx, ctx,
        () -> {
          asked.add(queue.acquire(far(), true));
          asked.add(queue.acquire(far(), true));
          asked.add(queue.acquire(far(), true));
        },
        () -> {
          // maxQueued waiting is allowed: the second waiter was not refused.
          waiting(asked.get(1));
          waiting(asked.get(2));
          assertThat(queue.queued()).isEqualTo(2);
          asked.add(queue.acquire(far(), true));
          asked.add(queue.acquire(far(), false));
        },
        () -> {
          Future<Slot> refused = asked.get(3);
          assertThat(refused.failed()).as("a new request behind a full line").isTrue();
          assertThat(refused.cause()).isInstanceOf(DaemonException.class);
          assertThat(((DaemonException) refused.cause()).code())
              .isEqualTo(DaemonException.BUSY).isEqualTo(429);
          waiting(asked.get(4));
          assertThat(queue.queued()).as("the retry joined the line, the refused one did not")
              .isEqualTo(3);
          assertThat(queue.inFlight()).isEqualTo(1);
          granted(asked.get(0)).release();
        },
        () -> granted(asked.get(1)).release(),
        () -> granted(asked.get(2)).release(),
        () -> {
          granted(asked.get(4));
          assertThat(queue.queued()).isZero();
          assertThat(queue.inFlight()).isEqualTo(1);
        });
  }

  @Test
  void waiterWhoseDeadlinePassesGets503AndLeavesTheLine(Vertx vertx, VertxTestContext ctx) {
    // In virtual time: the wait ends at its deadline to the millisecond, and a wait that did
    // not end fails the test at once.
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    WorkQueue queue = new WorkQueue(time, 1, 10);
    Deadline soon = Deadline.in(500, time);
    Deadline far = Deadline.in(60_000, time);
    List<Future<Slot>> asked = new ArrayList<>();
    VirtualTime.on(context, () -> {
      asked.add(queue.acquire(far, true));
      asked.add(queue.acquire(far, true));
      // In the middle of the line, so that leaving it must take out this one and no other.
      asked.add(queue.acquire(soon, true));
      asked.add(queue.acquire(far, true));
    }).compose(v -> time.advance(499)).compose(v -> VirtualTime.on(context, () -> {
      assertThat(queue.queued()).isEqualTo(3);
      waiting(asked.get(2));
    })).compose(v -> time.advance(1)).compose(v -> VirtualTime.on(context, () -> {
      Future<Slot> expired = asked.get(2);
      assertThat(expired.failed()).as("failed at its deadline").isTrue();
      assertThat(expired.cause()).isInstanceOf(DaemonException.class);
      assertThat(((DaemonException) expired.cause()).code())
          .isEqualTo(DaemonException.UNAVAILABLE).isEqualTo(503);
      assertThat(queue.queued()).isEqualTo(2);
      assertThat(queue.inFlight()).isEqualTo(1);
      waiting(asked.get(1));
      waiting(asked.get(3));
      granted(asked.get(0)).release();
    })).compose(v -> VirtualTime.on(context, () -> {
      waiting(asked.get(3));
      granted(asked.get(1)).release();
    })).compose(v -> VirtualTime.on(context, () -> {
      granted(asked.get(3));
      assertThat(queue.queued()).isZero();
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void releasingASlotTwiceFreesOnlyOne(Vertx vertx, VertxTestContext ctx) {
    WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 2, 10);
    List<Future<Slot>> asked = new ArrayList<>();
    inTurns(vertx, ctx,
        () -> {
          asked.add(queue.acquire(far(), true));
          asked.add(queue.acquire(far(), true));
        },
        () -> {
          Slot slot = granted(asked.get(0));
          slot.release();
          slot.release();
        },
        () -> {
          assertThat(queue.inFlight()).isEqualTo(1);
          asked.add(queue.acquire(far(), true));
          asked.add(queue.acquire(far(), true));
        },
        () -> {
          // Had the second release counted, both would have a slot.
          granted(asked.get(2));
          waiting(asked.get(3));
          Slot slot = granted(asked.get(1));
          slot.release();
          slot.release();
        },
        () -> {
          // Had the second release counted, the next request would not wait.
          granted(asked.get(3));
          assertThat(queue.inFlight()).isEqualTo(2);
          asked.add(queue.acquire(far(), true));
        },
        () -> {
          waiting(asked.get(4));
          assertThat(queue.queued()).isEqualTo(1);
        });
  }

  @Test
  void countsReportInFlightQueuedAndHighWater(Vertx vertx, VertxTestContext ctx) {
    WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 3, 10);
    List<Future<Slot>> asked = new ArrayList<>();
    inTurns(vertx, ctx,
        () -> {
          assertThat(queue.inFlight()).isZero();
          assertThat(queue.queued()).isZero();
          assertThat(queue.highWater()).isZero();
          asked.add(queue.acquire(far(), true));
          asked.add(queue.acquire(far(), true));
        },
        () -> {
          assertThat(queue.inFlight()).isEqualTo(2);
          assertThat(queue.highWater()).as("the most at once, not the capacity").isEqualTo(2);
          granted(asked.get(0)).release();
        },
        () -> {
          assertThat(queue.inFlight()).isEqualTo(1);
          assertThat(queue.highWater()).as("kept after the release").isEqualTo(2);
          for (int i = 0; i < 4; i++) {
            asked.add(queue.acquire(far(), true));
          }
        },
        () -> {
          assertThat(queue.inFlight()).isEqualTo(3);
          assertThat(queue.queued()).isEqualTo(2);
          assertThat(queue.highWater()).isEqualTo(3);
          for (int i = 1; i <= 3; i++) {
            granted(asked.get(i)).release();
          }
        },
        () -> {
          assertThat(queue.inFlight()).as("the two waiters took two of the three").isEqualTo(2);
          assertThat(queue.queued()).isZero();
          granted(asked.get(4)).release();
          granted(asked.get(5)).release();
        },
        () -> {
          assertThat(queue.inFlight()).isZero();
          assertThat(queue.queued()).isZero();
          assertThat(queue.highWater()).isEqualTo(3);
        });
  }

  @Test
  void tryAcquireTakesOnlyAFreeSlotAndNeverGoesAheadOfAWaiter(Vertx vertx,
                                                              VertxTestContext ctx) {
    WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 2, 10);
    List<Slot> held = new ArrayList<>();
    List<Future<Slot>> asked = new ArrayList<>();
    inTurns(vertx, ctx,
        () -> {
          Slot first = queue.tryAcquire();
          assertThat(first).as("a free slot").isNotNull();
          held.add(first);
          held.add(queue.tryAcquire());
          assertThat(held.get(1)).as("the second free slot").isNotNull();
          assertThat(queue.inFlight()).isEqualTo(2);
          assertThat(queue.tryAcquire()).as("none free").isNull();
          assertThat(queue.inFlight()).isEqualTo(2);
          asked.add(queue.acquire(far(), true));
          held.get(0).release();
        },
        () -> {
          granted(asked.get(0));
          held.get(1).release();
          asked.add(queue.acquire(far(), true));
          asked.add(queue.acquire(far(), true));
        },
        () -> {
          granted(asked.get(1));
          waiting(asked.get(2));
          assertThat(queue.tryAcquire()).as("full").isNull();
          granted(asked.get(0)).release();
        },
        () -> {
          granted(asked.get(2));
          granted(asked.get(1)).release();
          queue.close(DaemonException.unavailable("stopping"));
          assertThat(queue.tryAcquire()).as("closed, though a slot is free").isNull();
          assertThat(queue.inFlight()).isEqualTo(1);
        });
  }

  @Test
  void aLimitThatGrowsHandsFreeSlotsToWaitersWithoutARelease(Vertx vertx,
                                                             VertxTestContext ctx) {
    WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 4, 10);
    int[] limit = {1};
    queue.limitBy(() -> limit[0]);
    List<Future<Slot>> asked = new ArrayList<>();
    inTurns(vertx, ctx,
        () -> {
          assertThat(queue.capacity()).isEqualTo(1);
          for (int i = 0; i < 4; i++) {
            asked.add(queue.acquire(far(), true));
          }
        },
        () -> {
          granted(asked.get(0));
          waiting(asked.get(1));
          limit[0] = 3;
          assertThat(queue.tryAcquire()).as("room now, but never ahead of a waiter").isNull();
          queue.limitChanged();
        },
        () -> {
          granted(asked.get(1));
          granted(asked.get(2));
          waiting(asked.get(3));
          assertThat(queue.inFlight()).isEqualTo(3);
          limit[0] = 100;
          assertThat(queue.capacity()).as("never above maxInFlight").isEqualTo(4);
          limit[0] = 0;
          assertThat(queue.capacity()).as("never below one").isEqualTo(1);
        });
  }

  // ---------------------------------------------------------------- helpers

  /** A deadline no test reaches. */
  private static Deadline far() {
    return Deadline.in(60_000, NanoClock.SYSTEM);
  }

  private static Slot granted(Future<Slot> asked) {
    assertThat(asked.succeeded()).as("granted a slot").isTrue();
    return asked.result();
  }

  private static void waiting(Future<Slot> asked) {
    assertThat(asked.isComplete()).as("still waiting for a slot").isFalse();
  }

  /**
   * Runs the steps on one context, each on a later turn of its event loop; stops at the first
   * failed step, and the test completes after the last one (and any other checkpoint).
   */
  private static void inTurns(Vertx vertx, VertxTestContext ctx, ExecutionBlock... steps) {
    Context context = vertx.getOrCreateContext();
    Checkpoint done = ctx.checkpoint();
    runFrom(context, ctx, done, steps, 0);
  }

  private static void runFrom(Context context, VertxTestContext ctx, Checkpoint done,
                              ExecutionBlock[] steps, int next) {
    if (next == steps.length) {
      done.flag();
      return;
    }
    context.runOnContext((Void v) -> {
      ctx.verify(steps[next]);
      if (!ctx.failed()) {
        runFrom(context, ctx, done, steps, next + 1);
      }
    });
  }
}
