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
    }).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(first.isComplete() && second.isComplete()).as("answered at the deadline")
          .isTrue();
      assertThat(time.nowMs()).isEqualTo(200);
      assertThat(started).as("one flight shared by both askers").hasValue(1);
      for (Future<String> f : java.util.List.of(first, second)) {
        assertThat(f.cause()).isInstanceOf(DaemonException.class);
        assertThat(((DaemonException) f.cause()).code()).isEqualTo(DaemonException.UNAVAILABLE);
      }
      assertThat(gaveUp).as("each asker's 503 counted once").hasValue(2);
      assertThat(flights.inFlight()).as("the flight flies on to its own deadline").isOne();
      ctx.completeNow();
    })));
  }

  @Test
  void aFailureOfTheWorkItselfIsNotCountedHere(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger gaveUp = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Flights<String> flights = new Flights<>(time, "probe", 10, gaveUp::incrementAndGet);
    // The retry loop under the work has counted its own 503 already; a 503 of the work with
    // as much time as the asker's is the asker's answer, not a reason to start another.
    Future<String> answer = flights.join("m", Deadline.in(5_000, time), (Deadline own) -> {
      started.incrementAndGet();
      return Future.failedFuture(DaemonException.unavailable("the loop gave up"));
    });
    ctx.verify(() -> {
      assertThat(answer.failed()).as("answered at once").isTrue();
      assertThat(answer.cause()).hasMessageContaining("the loop gave up");
      assertThat(started).hasValue(1);
      assertThat(gaveUp).hasValue(0);
      assertThat(flights.inFlight()).isZero();
    });
    ctx.completeNow();
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
    time.advance(50).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
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
    time.advance(3_000).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(early.failed()).isTrue();
      // The first flight expired with its starter's deadline (150 ms); the second, started
      // then, has the later asker's whole deadline left (2,850 ms) and landed 100 ms later.
      assertThat(late.result()).isEqualTo("landed at 250, own deadline 2750");
      assertThat(started.get()).as("a second flight for the later asker").isEqualTo(2);
      assertThat(gaveUp).as("only the early asker got a 503").hasValue(1);
      ctx.completeNow();
    })));
  }

  @Test
  void aJoinerWhoseDeadlineIsTheFlightsIsAnsweredByItsExpiryAndCounted(Vertx vertx,
                                                                      VertxTestContext ctx) {
    AtomicInteger gaveUp = new AtomicInteger();
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    // Flights last at least 100 ms: longer than the starter's 50.
    Flights<String> flights = new Flights<>(time, "probe", 100, gaveUp::incrementAndGet);
    Promise<String> hung = Promise.promise();
    Future<String> starter = flights.join("m", Deadline.in(50, time), (Deadline own) -> hung.future());
    Future<String> joiner = flights.join("m", Deadline.in(100, time), (Deadline own) -> {
      throw new AssertionError("a second flight was started");
    });
    time.advance(100).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(starter.cause()).hasMessageContaining("deadline passed while waiting");
      assertThat(joiner.cause()).as("the flight's expiry, which came first")
          .hasMessageContaining("did not end by its deadline");
      assertThat(gaveUp).as("each asker's 503 counted once").hasValue(2);
      assertThat(flights.inFlight()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void anAskerWhoseFlightExpiredDoesNotJoinAnotherEndingBeforeItsDeadline(Vertx vertx,
                                                                         VertxTestContext ctx) {
    AtomicInteger started = new AtomicInteger();
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Flights<String> flights = new Flights<>(time, "probe", 10, () -> { });
    Promise<String> third = Promise.promise();
    // The first flight ends at 150 ms with its starter's deadline. A joiner with the same
    // deadline is answered by its expiry and asks again at once with 100 ms: a flight ending at
    // 250 ms. The late asker (3 s), whose turn comes next, must not join that one.
    Deadline at150 = Deadline.in(150, time);
    flights.join("m", at150, (Deadline own) -> {
      started.incrementAndGet();
      return Promise.<String>promise().future();
    });
    flights.join("m", at150, (Deadline own) -> {
      throw new AssertionError("the first flight is joined");
    }).onFailure(e -> flights.join("m", Deadline.in(100, time), (Deadline own) -> {
      started.incrementAndGet();
      return Promise.<String>promise().future();
    }).onComplete(third));
    Future<String> late = flights.join("m", Deadline.in(3_000, time), (Deadline own) -> {
      started.incrementAndGet();
      Promise<String> landed = Promise.promise();
      time.setTimer(500, (Long t) -> landed.complete("landed at " + time.nowMs()));
      return landed.future();
    });
    time.advance(3_000).onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(third.future().failed()).isTrue();
      assertThat(late.result()).isEqualTo("landed at 650");
      assertThat(started).as("the first, the early asker's second, the late asker's own")
          .hasValue(3);
      ctx.completeNow();
    })));
  }
}
