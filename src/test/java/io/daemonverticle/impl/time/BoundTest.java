package io.daemonverticle.impl.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A wait bounded on the time source, in virtual time: the bound to the millisecond, the timer
 * gone on every path. Each test's time is fresh, so its first timer's id is 0.
 */
@ExtendWith(VertxExtension.class)
class BoundTest {

  @Test
  void aFutureThatNeverCompletesFailsAtTheBoundAndNotAMillisecondEarlier(Vertx vertx,
                                                                          VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Future<String> bounded = Bound.within(Promise.<String>promise().future(), 300, time);
    time.advance(299).compose((Void v) -> {
      ctx.verify(() -> assertThat(bounded.isComplete()).as("at 299 ms").isFalse());
      return time.advance(1);
    }).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(bounded.failed()).as("at 300 ms").isTrue();
      assertThat(bounded.cause()).isInstanceOf(TimeoutException.class)
          .hasMessage("Timeout 300 (ms) fired");
      assertThat(time.delaysSet()).containsExactly(300L);
      ctx.completeNow();
    })));
  }

  @Test
  void aValueBeforeTheBoundIsGivenAndItsTimerCancelled(Vertx vertx, VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Promise<String> answer = Promise.promise();
    Future<String> bounded = Bound.within(answer.future(), 300, time);
    time.advance(299).compose((Void v) -> {
      ctx.verify(() -> assertThat(time.pending()).as("the bound's timer, id 0").isOne());
      answer.complete("answered");
      ctx.verify(() -> assertThat(time.pending()).as("cancelled by its id, 0").isZero());
      return time.advance(10_000);
    }).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(bounded.succeeded()).as("not failed by a timer at 300 ms").isTrue();
      assertThat(bounded.result()).isEqualTo("answered");
      ctx.completeNow();
    })));
  }

  @Test
  void aFailureBeforeTheBoundIsGivenAndItsTimerCancelled(Vertx vertx, VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Promise<String> answer = Promise.promise();
    Future<String> bounded = Bound.within(answer.future(), 300, time);
    IllegalStateException refused = new IllegalStateException("refused");
    answer.fail(refused);
    ctx.verify(() -> assertThat(time.pending()).isZero());
    time.advance(300).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(bounded.cause()).isSameAs(refused);
      ctx.completeNow();
    })));
  }

  @Test
  void anOutcomeAfterTheBoundIsDropped(Vertx vertx, VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Promise<String> answer = Promise.promise();
    Future<String> bounded = Bound.within(answer.future(), 50, time);
    time.advance(50).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      answer.complete("late");
      assertThat(bounded.cause()).isInstanceOf(TimeoutException.class);
      assertThat(time.pending()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void aCompleteFutureIsItselfAndSetsNoTimer(Vertx vertx, VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Future<String> done = Future.succeededFuture("at once");
    ctx.verify(() -> {
      assertThat(Bound.within(done, 300, time)).isSameAs(done);
      assertThat(time.delaysSet()).isEmpty();
    });
    ctx.completeNow();
  }

  @Test
  void aBoundOfZeroOrLessIsOneMillisecond(Vertx vertx, VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Future<String> zero = Bound.within(Promise.<String>promise().future(), 0, time);
    Future<String> negative = Bound.within(Promise.<String>promise().future(), -5, time);
    ctx.verify(() -> assertThat(time.delaysSet()).containsExactly(1L, 1L));
    time.advance(1).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      for (Future<String> bounded : List.of(zero, negative)) {
        assertThat(bounded.cause()).isInstanceOf(TimeoutException.class)
            .hasMessage("Timeout 1 (ms) fired");
      }
      ctx.completeNow();
    })));
  }
}
