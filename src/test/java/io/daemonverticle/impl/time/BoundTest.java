package io.daemonverticle.impl.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A wait bounded on the time source, in virtual time: the bound to the millisecond, the timer
 * gone on every path. Each test's time is fresh, so the first timer's id is 0.
 */
@ExtendWith(VertxExtension.class)
class BoundTest {

  private VirtualTime time;
  /** What is waited for: the test completes it, or not. */
  private final Promise<String> answer = Promise.promise();

  @BeforeEach
  void create(Vertx vertx) {
    time = new VirtualTime(vertx.getOrCreateContext());
  }

  private void advance(long ms) throws Exception {
    time.advance(ms).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFutureThatNeverCompletesFailsAtTheBoundAndNotAMillisecondEarlier() throws Exception {
    Future<String> bounded = Bound.within(answer.future(), 300, time);
    advance(299);
    assertThat(bounded.isComplete()).as("at 299 ms").isFalse();
    advance(1);
    assertThat(bounded.cause()).as("at 300 ms").isInstanceOf(TimeoutException.class)
        .hasMessage("Timeout 300 (ms) fired");
    assertThat(time.delaysSet()).containsExactly(300L);
  }

  @Test
  void aValueBeforeTheBoundIsGivenAndItsTimerCancelled() throws Exception {
    Future<String> bounded = Bound.within(answer.future(), 300, time);
    advance(299);
    assertThat(time.pending()).as("the bound's timer, id 0").isOne();
    answer.complete("answered");
    assertThat(time.pending()).as("cancelled by its id, 0").isZero();
    advance(10_000);
    assertThat(bounded.result()).as("not failed by a timer at 300 ms").isEqualTo("answered");
  }

  @Test
  void aFailureBeforeTheBoundIsGivenAndItsTimerCancelled() throws Exception {
    Future<String> bounded = Bound.within(answer.future(), 300, time);
    IllegalStateException refused = new IllegalStateException("refused");
    answer.fail(refused);
    assertThat(time.pending()).isZero();
    advance(300);
    assertThat(bounded.cause()).isSameAs(refused);
  }

  @Test
  void anOutcomeAfterTheBoundIsDropped() throws Exception {
    Future<String> bounded = Bound.within(answer.future(), 50, time);
    advance(50);
    answer.complete("late");
    assertThat(bounded.cause()).isInstanceOf(TimeoutException.class);
    assertThat(time.pending()).isZero();
  }

  @Test
  void aCompleteFutureIsItselfAndSetsNoTimer() {
    Future<String> done = Future.succeededFuture("at once");
    assertThat(Bound.within(done, 300, time)).isSameAs(done);
    assertThat(time.delaysSet()).isEmpty();
  }

  @Test
  void aBoundOfZeroOrLessIsOneMillisecond() throws Exception {
    Future<String> zero = Bound.within(answer.future(), 0, time);
    Future<String> negative = Bound.within(answer.future(), -5, time);
    assertThat(time.delaysSet()).containsExactly(1L, 1L);
    advance(1);
    for (Future<String> bounded : List.of(zero, negative)) {
      assertThat(bounded.cause()).isInstanceOf(TimeoutException.class)
          .hasMessage("Timeout 1 (ms) fired");
    }
  }
}
