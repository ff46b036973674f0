package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.NanoClock;
import io.daemonverticle.impl.resilience.WorkQueue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The parts of one attempt over the attempt's slot and the slots free now: the order of the
 * results, the bound, the slot handed to a waiting request, the first failure and a cancel
 * ending every part, and every lane's slot given back.
 */
@ExtendWith(VertxExtension.class)
class LanesTest {

  /** Parts the test answers by hand: each one's promise and the stop it was given. */
  private static final class Parts implements Lanes.Part<String> {
    final List<Promise<String>> sent = new ArrayList<>();
    final List<Future<Void>> stops = new ArrayList<>();
    final List<Integer> order = new ArrayList<>();
    int out;
    int mostOut;

    @Override
    public Future<String> send(int index, Future<Void> stop) {
      Promise<String> answer = Promise.promise();
      sent.add(answer);
      stops.add(stop);
      order.add(index);
      out++;
      mostOut = Math.max(mostOut, out);
      return answer.future().andThen((AsyncResult<String> ar) -> out--);
    }

    void answer(int index) {
      sent.get(order.indexOf(index)).complete("part " + index);
    }
  }

  /** Runs a test's body on an event loop, as the lanes run, and completes it. */
  private static void onTheLoop(Vertx vertx, VertxTestContext ctx,
                                VertxTestContext.ExecutionBlock body) {
    vertx.runOnContext((Void v) -> ctx.verify(() -> {
      body.apply();
      ctx.completeNow();
    }));
  }

  private static WorkQueue.Slot attemptSlot(WorkQueue queue) {
    WorkQueue.Slot slot = queue.tryAcquire();
    assertThat(slot).as("the attempt's own slot").isNotNull();
    return slot;
  }

  @Test
  void resultsComeInPartOrderWhateverOrderTheyFinishIn(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 4, 10);
      WorkQueue.Slot own = attemptSlot(queue);
      Parts parts = new Parts();
      Future<List<String>> all = Lanes.run(queue, 4, parts, Promise.<Void>promise().future());
      assertThat(parts.out).as("one lane on the attempt's slot, three on free ones").isEqualTo(4);
      assertThat(queue.inFlight()).isEqualTo(4);
      for (int i = 3; i >= 0; i--) {
        parts.answer(i);
      }
      assertThat(all.result()).containsExactly("part 0", "part 1", "part 2", "part 3");
      assertThat(queue.inFlight()).as("every lane's slot back, the attempt's kept").isEqualTo(1);
      own.release();
    });
  }

  @Test
  void lanesTakeOnlyTheSlotsFreeNow(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 2, 10);
      attemptSlot(queue);
      Parts parts = new Parts();
      Future<List<String>> all = Lanes.run(queue, 5, parts, Promise.<Void>promise().future());
      for (int i = 0; i < 5; i++) {
        assertThat(parts.out).as("both lanes busy while parts are left, before part %d", i)
            .isEqualTo(Math.min(2, 5 - i));
        parts.answer(i);
      }
      assertThat(all.result()).hasSize(5);
      assertThat(parts.mostOut).as("the attempt's slot and the one free slot").isEqualTo(2);
      assertThat(parts.order).containsExactly(0, 1, 2, 3, 4);
      assertThat(queue.inFlight()).isEqualTo(1);
    });
  }

  @Test
  void theLaneThatFetchesTheLastPartGivesItsSlotBack(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 4, 10);
      attemptSlot(queue);
      Parts parts = new Parts();
      Future<List<String>> all = Lanes.run(queue, 2, parts, Promise.<Void>promise().future());
      parts.answer(0);
      assertThat(queue.inFlight()).as("the second lane still out").isEqualTo(2);
      parts.answer(1);
      assertThat(all.result()).containsExactly("part 0", "part 1");
      assertThat(queue.inFlight()).as("the attempt's slot only").isEqualTo(1);
    });
  }

  @Test
  void atMostMaxLanesLanesHoweverManySlotsAreFree(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 20, 10);
      attemptSlot(queue);
      Parts parts = new Parts();
      Lanes.run(queue, Lanes.MAX_LANES + 4, parts, Promise.<Void>promise().future());
      assertThat(parts.out).isEqualTo(Lanes.MAX_LANES);
      assertThat(queue.inFlight()).as("the attempt's slot and one per other lane")
          .isEqualTo(Lanes.MAX_LANES);
    });
  }

  @Test
  void withNoFreeSlotThePartsGoOneAfterAnother(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 1, 10);
      attemptSlot(queue);
      Parts parts = new Parts();
      Future<List<String>> all = Lanes.run(queue, 3, parts, Promise.<Void>promise().future());
      for (int i = 0; i < 3; i++) {
        assertThat(parts.out).isEqualTo(1);
        parts.answer(i);
      }
      assertThat(all.result()).containsExactly("part 0", "part 1", "part 2");
    });
  }

  @Test
  void aRequestWaitingForASlotGetsALanesSlot(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 2, 10);
      attemptSlot(queue);
      Parts parts = new Parts();
      Future<List<String>> all = Lanes.run(queue, 4, parts, Promise.<Void>promise().future());
      assertThat(parts.out).isEqualTo(2);
      Future<WorkQueue.Slot> waiter = queue.acquire(Deadline.in(10_000, NanoClock.SYSTEM), true);
      assertThat(waiter.isComplete()).isFalse();
      parts.answer(1);
      assertThat(waiter.succeeded()).as("the lane's slot went to the waiting request").isTrue();
      assertThat(parts.out).as("the lane stopped; the attempt's lane goes on").isEqualTo(1);
      parts.answer(0);
      parts.answer(2);
      parts.answer(3);
      assertThat(all.result()).hasSize(4);
      assertThat(parts.mostOut).isEqualTo(2);
      assertThat(queue.inFlight()).as("the attempt's slot and the waiter's").isEqualTo(2);
    });
  }

  @Test
  void theFirstFailureFailsTheWholeAndEndsTheOtherParts(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 8, 10);
      attemptSlot(queue);
      Parts parts = new Parts();
      Future<List<String>> all = Lanes.run(queue, 6, parts, Promise.<Void>promise().future());
      assertThat(parts.out).isEqualTo(6);
      RuntimeException dropped = new RuntimeException("connection dropped");
      parts.sent.get(2).fail(dropped);
      assertThat(all.cause()).isSameAs(dropped);
      assertThat(parts.stops).allMatch(Future::isComplete);
      // The parts still out end as their transport sees the stop: their slots come back.
      for (int i = 0; i < 6; i++) {
        parts.sent.get(i).tryFail("stopped");
      }
      assertThat(parts.order).as("nothing more sent after the failure").hasSize(6);
      assertThat(queue.inFlight()).isEqualTo(1);
    });
  }

  @Test
  void aCancelledAttemptEndsEveryPart(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 3, 10);
      attemptSlot(queue);
      Parts parts = new Parts();
      Promise<Void> cancel = Promise.promise();
      Lanes.run(queue, 5, parts, cancel.future());
      assertThat(parts.stops).noneMatch(Future::isComplete);
      cancel.complete();
      assertThat(parts.stops).hasSize(3).allMatch(Future::isComplete);
      parts.sent.forEach((Promise<String> p) -> p.tryFail("stopped"));
      assertThat(parts.order).hasSize(3);
      assertThat(queue.inFlight()).isEqualTo(1);
    });
  }

  @Test
  void noPartsTakeNoSlot(Vertx vertx, VertxTestContext ctx) {
    onTheLoop(vertx, ctx, () -> {
      WorkQueue queue = new WorkQueue(TimeSource.of(vertx), 2, 10);
      Parts parts = new Parts();
      Future<List<String>> all = Lanes.run(queue, 0, parts, Promise.<Void>promise().future());
      assertThat(all.result()).isEmpty();
      assertThat(parts.sent).isEmpty();
      assertThat(queue.inFlight()).isZero();
    });
  }
}
