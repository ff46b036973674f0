package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Shared flights: each asker answered by its own deadline, and each such 503 counted once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FlightsTest {

  @Test
  void askersOfAHungFlightAreAnswered503ByTheirDeadlineAndEachIsCounted(Vertx vertx,
                                                                        VertxTestContext ctx) {
    AtomicInteger gaveUp = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    // The flight's own deadline (10 s) outlives the askers': their own timers answer them.
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Flights<String> flights = new Flights<>(time, "probe", 10_000, gaveUp::incrementAndGet);
    // The work never ends: only the deadlines can answer.
    Promise<String> hung = Promise.promise();
    Future<String> first = flights.join("m", Deadline.in(200, time), (Deadline own) -> {
      started.incrementAndGet();
      return hung.future();
    });
    Future<String> second = flights.join("m", Deadline.in(200, time), (Deadline own) -> {
      started.incrementAndGet();
      return hung.future();
    });
    time.advance(199).compose((Void v) -> {
      ctx.verify(() -> assertThat(first.isComplete() || second.isComplete())
          .as("not answered before the deadline").isFalse());
      return time.advance(1);
    }).compose((Void v) -> Future.join(first, second).otherwiseEmpty())
        .onComplete((AsyncResult<CompositeFuture> ar) -> ctx.verify(() -> {
      assertThat(time.nowMs()).isEqualTo(200);
      assertThat(started).as("one flight shared by both askers").hasValue(1);
      for (Future<String> f : java.util.List.of(first, second)) {
        assertThat(f.cause()).isInstanceOf(DaemonException.class);
        assertThat(((DaemonException) f.cause()).code()).isEqualTo(DaemonException.UNAVAILABLE);
      }
      assertThat(gaveUp).as("each asker's 503 counted once").hasValue(2);
      assertThat(flights.inFlight()).as("the flight flies on to its own deadline").isOne();
      ctx.completeNow();
    }));
  }

  @Test
  void aFailureOfTheWorkItselfIsNotCountedHere(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger gaveUp = new AtomicInteger();
    Flights<String> flights = new Flights<>(TimeSource.of(vertx), "probe", 10,
        gaveUp::incrementAndGet);
    // The retry loop under the work has counted its own 503 already.
    flights.join("m", Deadline.in(5_000),
            (Deadline own) -> Future.failedFuture(DaemonException.unavailable("the loop gave up")))
        .onComplete((AsyncResult<String> ar) -> ctx.verify(() -> {
          assertThat(ar.cause()).hasMessageContaining("the loop gave up");
          assertThat(gaveUp).hasValue(0);
          assertThat(flights.inFlight()).isZero();
          ctx.completeNow();
        }));
  }

  @Test
  void aLandedFlightAnswersEveryAskerAndCountsNothing(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger gaveUp = new AtomicInteger();
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Flights<String> flights = new Flights<>(time, "probe", 10, gaveUp::incrementAndGet);
    Promise<String> work = Promise.promise();
    Future<String> first = flights.join("m", Deadline.in(5_000, time),
        (Deadline own) -> work.future());
    Future<String> second = flights.join("m", Deadline.in(5_000, time),
        (Deadline own) -> Future.failedFuture(
        new AssertionError("a second flight was started")));
    time.setTimer(50, (Long id) -> work.complete("yes"));
    time.advance(50);
    Future.all(first, second).onComplete(ctx.succeeding((CompositeFuture v) -> ctx.verify(() -> {
      assertThat(first.result()).isEqualTo("yes");
      assertThat(second.result()).isEqualTo("yes");
      assertThat(gaveUp).hasValue(0);
      ctx.completeNow();
    })));
  }

  @Test
  void anAskerWithALaterDeadlineIsNotAnsweredByAFlightThatExpiredFirst(Vertx vertx,
                                                                      VertxTestContext ctx) {
    AtomicInteger gaveUp = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    // Flights last at least 10 ms: the first one lives as long as its starter's 150 ms.
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Flights<String> flights = new Flights<>(time, "probe", 10, gaveUp::incrementAndGet);
    Future<String> early = flights.join("m", Deadline.in(150, time), (Deadline own) -> {
      started.incrementAndGet();
      return Promise.<String>promise().future();
    });
    Future<String> late = flights.join("m", Deadline.in(3_000, time), (Deadline own) -> {
      // Joined the first flight; when it expires, a second one covering 3 s is started.
      started.incrementAndGet();
      Promise<String> landed = Promise.promise();
      time.setTimer(100, (Long t) -> landed.complete("landed at " + time.nowMs()
          + ", own deadline " + own.remainingMs()));
      return landed.future();
    });
    time.advance(3_000);
    Future.join(early, late).onComplete((AsyncResult<CompositeFuture> ar) -> ctx.verify(() -> {
      assertThat(early.failed()).isTrue();
      // The first flight expired with its starter's deadline (150 ms); the second, started
      // then, has the later asker's whole deadline left (2,850 ms) and landed 100 ms later.
      assertThat(late.result()).isEqualTo("landed at 250, own deadline 2750");
      assertThat(started.get()).as("a second flight for the later asker").isEqualTo(2);
      assertThat(gaveUp).as("only the early asker got a 503").hasValue(1);
      ctx.completeNow();
    }));
  }
}
