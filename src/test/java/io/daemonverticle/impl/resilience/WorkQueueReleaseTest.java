package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.time.NanoClock;
import io.daemonverticle.impl.time.TimeSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Handing a freed slot to the waiters must survive waiters that give their slot straight back
 * (an attempt that fails at once: circuit open, no time left) or queue again from inside the
 * hand-over. Before the fix, such a release re-entered the loop that was iterating the waiters
 * and threw ConcurrentModificationException, leaving the other waiters' promises unanswered.
 * Runs on one Vert.x context, as the verticle does.
 */
@ExtendWith(VertxExtension.class)
class WorkQueueReleaseTest {

  private static final Deadline FAR = Deadline.in(60_000, NanoClock.SYSTEM);

  @Test
  void waitersThatReleaseAtOnceAreAllServed(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext((Void v) -> ctx.verify(() -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 1, 100);
      WorkQueue.Slot held = queue.acquire(FAR, true).result();
      List<Integer> servedInOrder = new ArrayList<>();
      List<Future<WorkQueue.Slot>> waiters = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = i;
        Future<WorkQueue.Slot> waiter = queue.acquire(FAR, true);
        waiter.onSuccess((WorkQueue.Slot slot) -> {
          servedInOrder.add(n);
          slot.release();
        });
        waiters.add(waiter);
      }
      assertThat(queue.queued()).isEqualTo(5);

      held.release();

      assertThat(waiters).allMatch(Future::succeeded);
      assertThat(servedInOrder).containsExactly(0, 1, 2, 3, 4);
      assertThat(queue.inFlight()).isZero();
      assertThat(queue.queued()).isZero();
      ctx.completeNow();
    }));
  }

  @Test
  void aWaiterThatReleasesDoesNotSkipOneThatHolds(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext((Void v) -> ctx.verify(() -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 2, 100);
      WorkQueue.Slot a = queue.acquire(FAR, true).result();
      WorkQueue.Slot b = queue.acquire(FAR, true).result();
      Future<WorkQueue.Slot> quitter = queue.acquire(FAR, true);
      quitter.onSuccess(WorkQueue.Slot::release);
      Future<WorkQueue.Slot> holder = queue.acquire(FAR, true);
      Future<WorkQueue.Slot> third = queue.acquire(FAR, true);

      a.release();

      // The quitter's slot went straight on to the holder; the third still waits for one.
      assertThat(quitter.succeeded()).isTrue();
      assertThat(holder.succeeded()).isTrue();
      assertThat(third.isComplete()).isFalse();
      assertThat(queue.inFlight()).isEqualTo(2);
      assertThat(queue.queued()).isEqualTo(1);
      b.release();
      assertThat(third.succeeded()).isTrue();
      holder.result().release();
      third.result().release();
      assertThat(queue.inFlight()).isZero();
      ctx.completeNow();
    }));
  }

  @Test
  void aWaiterMayQueueAgainFromInsideTheHandOver(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext((Void v) -> ctx.verify(() -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 1, 100);
      WorkQueue.Slot held = queue.acquire(FAR, true).result();
      List<Future<WorkQueue.Slot>> retries = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // A retry: gives its slot back at once and asks for another, as RetryLoop does.
        queue.acquire(FAR, true).onSuccess((WorkQueue.Slot slot) -> {
          slot.release();
          retries.add(queue.acquire(FAR, false));
        });
      }

      held.release();

      // The retries queued behind the waiters still in line, in order; the first holds a slot.
      assertThat(retries).hasSize(3);
      assertThat(retries.get(0).succeeded()).isTrue();
      assertThat(retries.get(1).isComplete()).isFalse();
      assertThat(retries.get(2).isComplete()).isFalse();
      assertThat(queue.inFlight()).isEqualTo(1);
      assertThat(queue.queued()).isEqualTo(2);
      retries.get(0).result().release();
      assertThat(retries.get(1).succeeded()).isTrue();
      retries.get(1).result().release();
      assertThat(retries.get(2).succeeded()).isTrue();
      retries.get(2).result().release();
      assertThat(queue.inFlight()).isZero();
      assertThat(queue.queued()).isZero();
      ctx.completeNow();
    }));
  }

  @Test
  void aLongLineOfQuittersIsServedWithoutDeepRecursion(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext((Void v) -> ctx.verify(() -> {
      int line = 20_000;
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 1, line);
      WorkQueue.Slot held = queue.acquire(FAR, true).result();
      List<Future<WorkQueue.Slot>> waiters = new ArrayList<>(line);
      for (int i = 0; i < line; i++) {
        Future<WorkQueue.Slot> waiter = queue.acquire(FAR, true);
        waiter.onSuccess(WorkQueue.Slot::release);
        waiters.add(waiter);
      }

      held.release();

      assertThat(waiters).allMatch(Future::succeeded);
      assertThat(queue.inFlight()).isZero();
      ctx.completeNow();
    }));
  }

  @Test
  void aWaiterWhoseDeadlinePassesLeavesTheLineWith503(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    WorkQueue queue = new WorkQueue(time, 1, 100);
    List<WorkQueue.Slot> held = new ArrayList<>();
    List<Future<WorkQueue.Slot>> waiter = new ArrayList<>();
    VirtualTime.on(context, () -> {
      held.add(queue.acquire(FAR, true).result());
      waiter.add(queue.acquire(Deadline.in(150, time), true));
    }).compose(v -> time.advance(149)).compose(v -> VirtualTime.on(context, () -> {
      assertThat(waiter.get(0).isComplete()).as("1 ms before its deadline").isFalse();
      assertThat(queue.queued()).isEqualTo(1);
    })).compose(v -> time.advance(1)).compose(v -> VirtualTime.on(context, () -> {
      assertThat(waiter.get(0).failed()).as("at its deadline").isTrue();
      assertThat(waiter.get(0).cause()).isInstanceOfSatisfying(DaemonException.class,
          (DaemonException e) -> assertThat(e.code()).isEqualTo(DaemonException.UNAVAILABLE));
      assertThat(queue.queued()).isZero();
      held.get(0).release();
      assertThat(queue.inFlight()).isZero();
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void closingAnswersEveryWaiterAndRefusesNewOnes(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext((Void v) -> ctx.verify(() -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 1, 100);
      WorkQueue.Slot held = queue.acquire(FAR, true).result();
      Future<WorkQueue.Slot> first = queue.acquire(FAR, true);
      Future<WorkQueue.Slot> second = queue.acquire(FAR, false);

      queue.close(DaemonException.unavailable("stopping"));

      assertThat(List.of(first, second)).allSatisfy((Future<WorkQueue.Slot> f) -> {
        assertThat(f.failed()).isTrue();
        assertThat(f.cause().getMessage()).contains("stopping");
      });
      assertThat(queue.queued()).isZero();
      Future<WorkQueue.Slot> late = queue.acquire(FAR, true);
      assertThat(late.failed()).isTrue();
      assertThat(late.cause().getMessage()).contains("stopping");
      held.release();
      assertThat(queue.inFlight()).isZero();
      ctx.completeNow();
    }));
  }
}
