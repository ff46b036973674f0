package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.JsonReplyReader;
import io.daemonverticle.impl.transport.TransientFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.daemonverticle.testing.Transports;
import io.daemonverticle.testing.VirtualTime;
import io.daemonverticle.impl.time.NanoClock;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retry loop on its own, against in-process fake daemons: one attempt per work-queue slot,
 * jittered backoff under a ceiling that doubles to its cap, JSON-RPC errors never retried,
 * fail-over once a circuit opens, and a 503 carrying the last transport failure at the
 * deadline. Runs on one Vert.x context, as the verticle does.
 *
 * <p>In virtual time ({@link VirtualTime}): backoffs, hedges, deadlines and waits for a slot
 * are asserted to the millisecond and take no wall time; the HTTP exchanges with the fakes are
 * real and take no virtual time. A few tests stay in real time ({@code Loop.inRealTime}), with
 * loose bounds: an attempt timeout that uses up the deadline (the transport's timer is real),
 * and a circuit that half-opens (the Vert.x CircuitBreaker's own reset timer).
 */
@ExtendWith(VertxExtension.class)
class RetryLoopTest {

  /**
   * The tests in real time: PIT leaves them out (pom.xml, excludedGroups), since a mutant that
   * stops an answer makes them wait out real timeouts, which proves nothing on a loaded machine.
   */
  static final String REAL_TIME = "real-time";

  private static final Buffer PAYLOAD = new JsonObject().put("method", "getblockcount")
      .put("id", 0).toBuffer();
  /** Returns the reply's result, as JsonRpc's single() would for an answer without error. */
  private static final Function<Object, Object> RESULT = (Object reply) ->
      ((JsonObject) reply).getValue("result");

  private final List<FakeDaemon> fakes = new ArrayList<>();
  private Loop loop;
  private LogCapture logs;

  @AfterEach
  void close() {
    if (logs != null) {
      logs.close();
    }
    if (loop != null) {
      loop.close();
    }
    fakes.forEach(FakeDaemon::close);
  }

  @Test
  void answersWithTheProcessedReplyAtTheFirstAttempt(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 120);
    loop = new Loop(vertx, List.of(fake), settings(50, 200), breakers(3), 2);
    loop.send(RESULT, 5_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(120);
      assertThat(fake.httpRequests()).isEqualTo(1);
      assertThat(loop.counters.requests()).isEqualTo(1);
      assertThat(loop.counters.retries()).isZero();
      assertThat(loop.workQueue.inFlight()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void backoffIsJitteredUnderADoublingCeilingFromInitRetryMsToMaxRetryMs(Vertx vertx,
                                                                        VertxTestContext ctx) {
    int failures = 14;
    long init = 20;
    long max = 160;
    FakeDaemon fake = fake(vertx, 7);
    for (int i = 0; i < failures; i++) {
      fake.failNext(Fault.HTML_500);
    }
    // A breaker that never opens here: only the backoff spaces the attempts.
    loop = new Loop(vertx, List.of(fake), settings(init, max), breakers(100), 2);
    List<Sent> sent = new ArrayList<>();
    loop.drive(loop.onContext(() -> loop.retryLoop.exchange(loop.recorded(sent),
            loop.deadline(10_000), false)))
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(7);
      assertThat(sent).hasSize(failures + 1);
      List<Long> gaps = new ArrayList<>();
      for (int k = 1; k < sent.size(); k++) {
        gaps.add(sent.get(k).atMs() - sent.get(k - 1).atMs());
      }
      // Each retry went out when its backoff ended, to the millisecond: the waits are the
      // timers the loop set, and nothing else was waited for.
      assertThat(gaps).isEqualTo(loop.virtual.delaysSet());
      List<Long> atTheCap = new ArrayList<>();
      for (int k = 0; k < gaps.size(); k++) {
        // Retry k waits within [initRetryMs, min(maxRetryMs, initRetryMs * 2^k)].
        long ceiling = Math.min(max, init << Math.min(k, 20));
        assertThat(gaps.get(k)).as("gap %d", k).isBetween(init, ceiling);
        if (ceiling == max) {
          atTheCap.add(gaps.get(k));
        }
      }
      // Jitter: with the ceiling at maxRetryMs the waits spread over [init, max]; a plain
      // doubling would wait max (160 ms) every time. Eleven uniform draws all at 100 ms or
      // more happen about once in 10,000 runs.
      assertThat(atTheCap).hasSize(11);
      assertThat(atTheCap).anySatisfy((Long gap) -> assertThat(gap).isLessThan(100L));
      // ... and a ceiling that doubles reaches above the first waits (all eleven at 60 ms or
      // less: about once in a million runs).
      assertThat(atTheCap).anySatisfy((Long gap) -> assertThat(gap).isGreaterThan(60L));
      assertThat(loop.counters.retries()).isEqualTo(failures);
      assertThat(loop.counters.transientFailures()).isEqualTo(failures);
      ctx.completeNow();
    })));
  }

  @Test
  void atTheCeilingOfTheJitterTheAttemptsGoAtZero100And300And700MsThenEvery800(
      Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 7);
    for (int i = 0; i < 6; i++) {
      fake.failNext(Fault.HTML_500);
    }
    loop = new Loop(vertx, List.of(fake), settings(100, 800), breakers(100), ScriptedLoop.top());
    List<Sent> sent = new ArrayList<>();
    loop.drive(loop.onContext(() -> loop.retryLoop.exchange(loop.recorded(sent),
            loop.deadline(10_000), false)))
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(7);
      // The ceiling doubles from initRetryMs (100) at each backoff and stops at maxRetryMs.
      assertThat(sent).map(Sent::atMs).containsExactly(0L, 100L, 300L, 700L, 1_500L, 2_300L,
          3_100L);
      assertThat(loop.virtual.delaysSet()).containsExactly(100L, 200L, 400L, 800L, 800L, 800L);
      ctx.completeNow();
    })));
  }

  @Test
  void atTheFloorOfTheJitterEveryBackoffIsInitRetryMs(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 7);
    fake.failNext(Fault.HTML_500, Fault.HTML_500, Fault.HTML_500);
    loop = new Loop(vertx, List.of(fake), settings(100, 800), breakers(100), ScriptedLoop.floor());
    List<Sent> sent = new ArrayList<>();
    loop.drive(loop.onContext(() -> loop.retryLoop.exchange(loop.recorded(sent),
            loop.deadline(10_000), false)))
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(sent).map(Sent::atMs).containsExactly(0L, 100L, 200L, 300L);
      ctx.completeNow();
    })));
  }

  @Test
  void theLastBackoffIsCutToTheDeadlineAndTheRequestIsAnsweredThen(Vertx vertx,
                                                                   VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 7);
    fake.setDown(true);
    // Backoffs of 100, 200, 400: the fourth (800) would end past the deadline (1,000).
    loop = new Loop(vertx, List.of(fake), settings(100, 800), breakers(100), ScriptedLoop.top());
    List<Sent> sent = new ArrayList<>();
    loop.drive(loop.onContext(() -> loop.retryLoop.exchange(loop.recorded(sent),
            loop.deadline(1_000), false)))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(sent).map(Sent::atMs).containsExactly(0L, 100L, 300L, 700L);
      assertThat(loop.virtual.delaysSet()).containsExactly(100L, 200L, 400L, 300L);
      assertThat(loop.virtual.nowMs()).as("answered at the deadline").isEqualTo(1_000);
      assertThat(loop.virtual.pending()).as("no timer left behind").isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void eachBackoffStaysWithinItsBounds() {
    RetryLoop.Settings settings = new RetryLoop.Settings(100, 300, 2_000, 0);
    List<Long> atTheCap = new ArrayList<>();
    for (int run = 0; run < 200; run++) {
      assertThat(RetryLoop.backoffMs(settings, 0)).isEqualTo(100);
      assertThat(RetryLoop.backoffMs(settings, 1)).isBetween(100L, 200L);
      for (int k = 2; k < 70; k += 7) {
        long delay = RetryLoop.backoffMs(settings, k);
        assertThat(delay).isBetween(100L, 300L);
        atTheCap.add(delay);
      }
    }
    assertThat(atTheCap.stream().distinct().count()).as("not all equal").isGreaterThan(50);
  }

  @Test
  void aDaemonErrorIsAnsweredAtOnceAndNotRetried(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    loop = new Loop(vertx, List.of(fake), settings(50, 200), breakers(1), 2);
    DaemonRpcException error = DaemonRpcException.of(new JsonObject().put("code", -8)
        .put("message", "Block height out of range"));
    loop.send((Object reply) -> {
      throw error;
    }, 5_000).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(e).isSameAs(error);
      assertThat(fake.httpRequests()).isEqualTo(1);
      assertThat(loop.counters.daemonErrors()).isEqualTo(1);
      // The daemon answered: that is no failure of the URL, even with a breaker of one.
      assertThat(loop.endpoints.get(0).circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
      ctx.completeNow();
    })));
  }

  @Test
  void anUnexpectedReplyIsATransientFailureAndRetried(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 9);
    AtomicInteger seen = new AtomicInteger();
    loop = new Loop(vertx, List.of(fake), settings(20, 20), breakers(10), 2);
    loop.send((Object reply) -> {
      if (seen.incrementAndGet() == 1) {
        throw new ClassCastException("not what was expected");
      }
      return RESULT.apply(reply);
    }, 5_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(9);
      assertThat(fake.httpRequests()).isEqualTo(2);
      assertThat(loop.counters.transientFailures()).isEqualTo(1);
      assertThat(loop.virtual.nowMs()).as("after one backoff").isEqualTo(20);
      ctx.completeNow();
    })));
  }

  @Test
  void givesUpAtTheDeadlineWithTheLastTransportFailure(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    fake.setDown(true);
    loop = new Loop(vertx, List.of(fake), settings(50, 100), breakers(100), 2);
    loop.send(RESULT, 600).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(DaemonException.class);
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      // The transport's own failure, from the loop itself at the deadline.
      assertThat(e.getMessage()).contains("127.0.0.1:" + fake.port());
      assertThat(e.getMessage()).doesNotContain(Answered.SAFETY_NET);
      assertThat(loop.virtual.nowMs()).as("at the deadline, to the millisecond")
          .isEqualTo(600);
      assertThat(loop.counters.transientFailures()).as("tried until then").isGreaterThan(6);
      assertThat(loop.counters.unavailable()).isEqualTo(1);
      assertThat(loop.workQueue.inFlight()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void failsOverToTheNextUrlOnceTheCircuitOpens(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 1);
    FakeDaemon second = fake(vertx, 2);
    first.failNext(Fault.HTML_500, Fault.HTML_500, Fault.HTML_500, Fault.HTML_500);
    loop = new Loop(vertx, List.of(first, second), settings(20, 40), breakers(2), 2);
    loop.send(RESULT, 5_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(2);
      // Exactly breakerMaxFailures attempts at the failing URL, then the next one answered.
      assertThat(first.httpRequests()).isEqualTo(2);
      assertThat(second.httpRequests()).isEqualTo(1);
      assertThat(loop.endpoints.get(0).circuitState()).isEqualTo(CircuitBreakerState.OPEN);
      assertThat(loop.endpoints.currentIndex()).isEqualTo(1);
      assertThat(loop.counters.failovers()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void eachAttemptHoldsAWorkQueueSlot(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 3).setLatency(30);
    fake.failNext(Fault.HTML_500, Fault.HTML_500, Fault.HTML_500);
    loop = new Loop(vertx, List.of(fake), settings(10, 10), breakers(100), 2);
    List<Future<Object>> sent = new ArrayList<>();
    loop.drive(loop.onContext(() -> {
      for (int i = 0; i < 6; i++) {
        sent.add(loop.sendHere(RESULT, 10_000));
      }
      return Future.all(sent);
    })).onComplete(ctx.succeeding((CompositeFuture all) -> ctx.verify(() -> {
      assertThat(sent).allSatisfy((Future<Object> f) -> assertThat(f.result()).isEqualTo(3));
      assertThat(loop.workQueue.highWater()).isEqualTo(2);
      assertThat(fake.maxConcurrent()).isLessThanOrEqualTo(2);
      assertThat(loop.workQueue.inFlight()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void aRunOfFailuresBelowTheBreakersCountLeavesTheCircuitClosedAndAnAnswerEndsTheRun(
      Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 4);
    fake.failNext(Fault.HTML_500, Fault.DROP_CONNECTION);
    loop = new Loop(vertx, List.of(fake), settings(10, 20), breakers(3), 2);
    loop.send(RESULT, 5_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(4);
      Endpoints.Endpoint url = loop.endpoints.get(0);
      assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
      assertThat(url.failureCount()).as("the answer ended the run of failures").isZero();
      assertThat(url.lastFailure()).as("the last failure is kept for the log and a 503")
          .isNotNull();
      assertThat(loop.counters.retries()).isEqualTo(2);
      assertThat(loop.counters.transientFailures()).isEqualTo(2);
      assertThat(loop.counters.unavailable()).isZero();
      assertThat(loop.counters.failovers()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void theDaemonsBackPressureIsRetriedCountedAndNeverOpensTheCircuit(Vertx vertx,
                                                                      VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 5).setWorkQueue(1).setLatency(50);
    FakeDaemon second = fake(vertx, 6);
    // The fake takes one request at a time and refuses the others; with a breaker of two,
    // were the refusals failures, the circuit would open and requests would move on.
    loop = new Loop(vertx, List.of(first, second), settings(10, 20), breakers(2), 4);
    List<Future<Object>> sent = new ArrayList<>();
    loop.drive(loop.onContext(() -> {
      for (int i = 0; i < 6; i++) {
        sent.add(loop.sendHere(RESULT, 10_000));
      }
      return Future.all(sent);
    })).onComplete(ctx.succeeding((CompositeFuture all) -> ctx.verify(() -> {
      assertThat(sent).allSatisfy((Future<Object> f) -> assertThat(f.result()).isEqualTo(5));
      assertThat(second.httpRequests()).isZero();
      assertThat(loop.endpoints.get(0).circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
      assertThat(loop.counters.backPressure()).isPositive()
          .isEqualTo(first.workQueueRefusals());
      assertThat(loop.endpoints.get(0).limit().current()).as("the limit was cut")
          .isLessThan(4);
      assertThat(loop.counters.failovers()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void anAttemptThatTimedOutGoesToTheOtherUrlAtOnceWithoutBackoff(Vertx vertx,
                                                                  VertxTestContext ctx) {
    FakeDaemon hung = fake(vertx, 1);
    FakeDaemon healthy = fake(vertx, 2);
    hung.failNext(Fault.HANG);
    // A backoff of 2 s would show; the breaker (5) does not open after one timeout.
    loop = new Loop(vertx, List.of(hung, healthy), new RetryLoop.Settings(2_000, 2_000, 300, 0),
        breakers(5), 2);
    loop.send(RESULT, 10_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(2);
      assertThat(loop.virtual.history()).as("no backoff").isEmpty();
      assertThat(hung.httpRequests()).isEqualTo(1);
      assertThat(healthy.httpRequests()).isEqualTo(1);
      assertThat(loop.endpoints.currentIndex()).as("the current URL stays").isZero();
      assertThat(loop.endpoints.get(0).circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
      ctx.completeNow();
    })));
  }

  @Test
  void aHedgedReadIsAnsweredByTheOtherUrlAndTheSlowAttemptIsCancelled(Vertx vertx,
                                                                      VertxTestContext ctx) {
    FakeDaemon slow = fake(vertx, 1).setLatency(3_000);
    FakeDaemon fast = fake(vertx, 2);
    loop = new Loop(vertx, List.of(slow, fast), new RetryLoop.Settings(50, 100, 5_000, 100),
        breakers(5), 4);
    List<Sent> sent = new ArrayList<>();
    Future<Object> answer = loop.onContext(() -> loop.retryLoop.exchange(loop.recorded(sent),
        loop.deadline(10_000), true));
    loop.virtual.once(() -> loop.virtual.pending() == 1)
        .compose((Void set) -> {
          ctx.verify(() -> assertThat(loop.virtual.delaysSet()).containsExactly(100L));
          return loop.virtual.advance(100);
        })
        .compose((Void fired) -> answer)
        .map((Object result) -> ctx.verify(() -> {
          assertThat(result).isEqualTo(2);
          assertThat(sent).as("the hedge went at 100 ms, to the second URL")
              .extracting(Sent::atMs, Sent::url)
              .containsExactly(tuple(0L, 0), tuple(100L, 1));
          assertThat(loop.counters.hedges()).isEqualTo(1);
          assertThat(loop.counters.retries()).as("a cancelled attempt is no failure").isZero();
          assertThat(loop.endpoints.get(0).failureCount()).isZero();
        }))
        // The slow attempt ends (cancelled) and gives its slot back: only then can a retry
        // or a failure of it show.
        .compose((VertxTestContext result) -> ended(sent))
        .compose((Void v) -> loop.virtual.once(() -> loop.workQueue.inFlight() == 0))
        .onComplete(ctx.succeeding((Void t) -> ctx.verify(() -> {
          assertThat(loop.workQueue.inFlight()).as("the slow attempt's slot is freed")
              .isZero();
          // The slow attempt ended (reset by us) after the answer: nothing of it counts.
          assertThat(loop.counters.retries()).as("no retry after the answer").isZero();
          assertThat(loop.counters.transientFailures()).as("a cancel is no failure").isZero();
          assertThat(loop.endpoints.get(0).lastFailure()).as("nor a failure of the slow URL")
              .isNull();
          ctx.completeNow();
        })));
  }

  @Test
  void aReadThatMayNotBeHedgedWaitsForItsUrl(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon slow = fake(vertx, 1).setLatency(400);
    FakeDaemon fast = fake(vertx, 2);
    loop = new Loop(vertx, List.of(slow, fast), new RetryLoop.Settings(50, 100, 5_000, 100),
        breakers(5), 4);
    loop.send(RESULT, 10_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(1);
      assertThat(fast.httpRequests()).isZero();
      assertThat(loop.counters.hedges()).isZero();
      assertThat(loop.virtual.history()).as("no hedge timer either").isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void stopAnswersEveryRequestBackingOffOrWaitingAtOnceAndRefusesNewOnes(Vertx vertx,
                                                                          VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    fake.setDown(true);
    // One slot: the second request waits in the queue while the first backs off for 5 s.
    loop = new Loop(vertx, List.of(fake), settings(5_000, 5_000), breakers(100), 1);
    List<Future<Object>> sent = new ArrayList<>();
    loop.onContext(() -> {
      sent.add(loop.sendHere(RESULT, 30_000));
      sent.add(loop.sendHere(RESULT, 30_000));
      return Future.succeededFuture();
    }).compose((Object v) -> loop.virtual.once(() -> loop.workQueue.inFlight() == 0
        && loop.virtual.pending() == 2 && loop.counters.retries() == 2))
        .compose((Void bothBackingOff) -> loop.onContext(() -> {
          loop.retryLoop.stop();
          return Future.join(sent).otherwiseEmpty();
        })).onComplete(ctx.succeeding((CompositeFuture v) -> ctx.verify(() -> {
      assertThat(loop.virtual.nowMs()).as("answered at once, not at the backoff's end")
          .isZero();
      assertThat(loop.virtual.pending()).as("the backoffs' timers cancelled").isZero();
      for (Future<Object> f : sent) {
        assertThat(f.cause()).isInstanceOf(DaemonException.class);
        assertThat(((DaemonException) f.cause()).code()).isEqualTo(DaemonException.UNAVAILABLE);
        assertThat(f.cause().getMessage()).containsIgnoringCase("stopping");
      }
      Future<Object> after = loop.retryLoop.send(PAYLOAD, RESULT, loop.deadline(5_000));
      assertThat(after.failed()).as("refused at once after stop").isTrue();
      assertThat(after.cause().getMessage()).containsIgnoringCase("stopping");
      ctx.completeNow();
    })));
  }

  @Test
  void aWaitForASlotThatOutlivesItsDeadlineIs503AndCounted(Vertx vertx,
                                                            VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1).setLatency(1_500);
    loop = new Loop(vertx, List.of(fake), settings(50, 100), breakers(100), 1);
    List<Future<Object>> sent = new ArrayList<>();
    loop.onContext(() -> {
      sent.add(loop.sendHere(RESULT, 10_000));
      sent.add(loop.sendHere(RESULT, 300));
      return Future.succeededFuture();
    }).compose((Object v) -> loop.virtual.once(() -> loop.workQueue.queued() == 1
            && fake.httpRequests() == 1))
        .compose((Void waiting) -> loop.virtual.advance(299))
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(sent.get(1).isComplete()).as("still in line at 299 ms")
              .isFalse());
          return loop.virtual.advance(1);
        })
        .compose((Void v) -> loop.onContext(() -> sent.get(1).otherwiseEmpty()))
        .onComplete(ctx.succeeding((Object v) -> ctx.verify(() -> {
      assertThat(loop.virtual.nowMs()).isEqualTo(300);
      assertThat(sent.get(0).isComplete()).as("the first is still on the wire").isFalse();
      Throwable e = sent.get(1).cause();
      assertThat(e).isInstanceOf(DaemonException.class);
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(loop.counters.unavailable()).isEqualTo(1);
      assertThat(fake.httpRequests()).as("the second request never reached the daemon")
          .isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void aHedgeThatFailsLeavesThePrimaryToAnswerWithoutARetry(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon slow = fake(vertx, 1).setLatency(400);
    FakeDaemon failing = fake(vertx, 2);
    failing.failNext(Fault.HTML_500);
    loop = new Loop(vertx, List.of(slow, failing), new RetryLoop.Settings(50, 100, 5_000, 100),
        breakers(5), 4);
    Future<Object> answer = loop.onContext(() ->
        loop.retryLoop.send(PAYLOAD, RESULT, loop.deadline(10_000), true));
    loop.virtual.once(() -> loop.virtual.pending() == 1)
        .compose((Void hedgeTimer) -> loop.virtual.advance(100))
        .compose((Void hedged) -> answer)
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
          assertThat(result).as("the primary's answer").isEqualTo(1);
          assertThat(loop.virtual.history()).as("no backoff after the hedge's failure")
              .hasSize(1);
          assertThat(loop.counters.hedges()).isEqualTo(1);
          assertThat(loop.counters.transientFailures()).as("the hedge's failure is noted")
              .isEqualTo(1);
          assertThat(loop.counters.retries()).as("and not retried: the primary was out")
              .isZero();
          assertThat(slow.httpRequests()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void noHedgeWhenTheAttemptEndsBeforeTheHedgeWouldStart(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon slow = fake(vertx, 1).setLatency(200);
    FakeDaemon other = fake(vertx, 2);
    // hedgeAfterMs (500) is not below the attempt's time (300): hedging could not help.
    loop = new Loop(vertx, List.of(slow, other), new RetryLoop.Settings(50, 100, 300, 500),
        breakers(5), 4);
    loop.onContext(() -> loop.retryLoop.send(PAYLOAD, RESULT, loop.deadline(10_000), true))
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
          assertThat(result).isEqualTo(1);
          assertThat(loop.virtual.history()).as("no hedge timer set").isEmpty();
          assertThat(loop.counters.hedges()).isZero();
          assertThat(other.httpRequests()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void withItsOnlyCircuitOpenTheAnswerAtTheDeadlineNamesTheUrlsLastFailure(Vertx vertx,
                                                                          VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    for (int i = 0; i < 50; i++) {
      fake.failNext(Fault.HTTP_401);
    }
    loop = new Loop(vertx, List.of(fake), settings(20, 40), breakers(2), 2);
    loop.send(RESULT, 800).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(loop.virtual.nowMs()).as("retried until the deadline").isEqualTo(800);
      assertThat(loop.endpoints.get(0).circuitState()).isEqualTo(CircuitBreakerState.OPEN);
      assertThat(fake.httpRequests()).as("nothing sent while the circuit is open")
          .isEqualTo(2);
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      // The URL's own failure says more than "circuit open".
      assertThat(e.getMessage()).contains("401").doesNotContain("circuit open");
      assertThat(loop.counters.failovers()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void stopAnswersARequestOnTheWireAndOneWaitingForASlot(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1).setLatency(5_000);
    loop = new Loop(vertx, List.of(fake), new RetryLoop.Settings(50, 100, 8_000, 0),
        breakers(5), 1);
    List<Future<Object>> sent = new ArrayList<>();
    loop.onContext(() -> {
      sent.add(loop.sendHere(RESULT, 20_000));
      sent.add(loop.sendHere(RESULT, 20_000));
      return Future.succeededFuture();
    }).compose((Object v) -> loop.virtual.once(() -> loop.workQueue.queued() == 1))
        .compose((Void secondWaits) -> loop.onContext(() -> {
          loop.retryLoop.stop();
          return Future.join(sent).otherwiseEmpty();
        })).onComplete(ctx.succeeding((CompositeFuture v) -> ctx.verify(() -> {
      assertThat(loop.virtual.pending()).as("the wait's timer cancelled").isZero();
      for (Future<Object> f : sent) {
        assertThat(f.failed()).isTrue();
        assertThat(f.cause().getMessage()).containsIgnoringCase("stopping");
      }
      assertThat(loop.workQueue.queued()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  @Tag(REAL_TIME)
  void aLastAttemptCutShortByTheDeadlineKeepsTheEarlierReason(Vertx vertx,
                                                             VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    // A refusal, then an attempt that can only end at the request's deadline.
    fake.failNext(Fault.HTML_500, Fault.HANG);
    loop = Loop.inRealTime(vertx, List.of(fake), settings(20, 20), breakers(100), 2);
    loop.send(RESULT, 1_500).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(fake.httpRequests()).isEqualTo(2);
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(e.getMessage()).contains("500").doesNotContain("no reply");
      ctx.completeNow();
    })));
  }

  @Test
  void theBackoffCeilingItselfIsDrawnToo() {
    RetryLoop.Settings settings = new RetryLoop.Settings(10, 20, 2_000, 0);
    java.util.Set<Long> drawn = new java.util.TreeSet<>();
    for (int run = 0; run < 1_000; run++) {
      drawn.add(RetryLoop.backoffMs(settings, 1));
    }
    // Uniform over [10, 20]: missing either end in 1,000 draws is about e^-95.
    assertThat(drawn).contains(10L, 20L).allSatisfy((Long d) -> assertThat(d).isBetween(10L, 20L));
  }

  @Test
  void afterAFailoverTheRetryGoesAtOnceWithoutBackoff(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 1);
    FakeDaemon second = fake(vertx, 2);
    first.failNext(Fault.HTML_500);
    // A backoff of 3 s would show; a breaker of one opens at the first failure.
    loop = new Loop(vertx, List.of(first, second), settings(3_000, 3_000), breakers(1), 2);
    loop.send(RESULT, 10_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(2);
      assertThat(loop.virtual.history()).as("no backoff after moving on").isEmpty();
      assertThat(loop.counters.failovers()).isEqualTo(1);
      assertThat(loop.counters.retries()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void aRequestRefusedAfterStopIsNotCounted(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    loop = new Loop(vertx, List.of(fake), settings(50, 100), breakers(5), 2);
    loop.send(RESULT, 5_000).compose((Object r) -> loop.onContext(() -> {
      loop.retryLoop.stop();
      return loop.sendHere(RESULT, 5_000);
    })).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(e.getMessage()).containsIgnoringCase("stopping");
      assertThat(loop.counters.requests()).as("only the request before stop").isEqualTo(1);
      assertThat(fake.httpRequests()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void theUrlsLearntLimitBoundsTheRequestsInFlight(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 3).setLatency(100);
    loop = new Loop(vertx, List.of(fake), settings(10, 10), breakers(5), 4);
    List<Future<Object>> sent = new ArrayList<>();
    loop.drive(loop.onContext(() -> {
      // The daemon refused a request that was alone in flight: at most one at a time now.
      AdaptiveLimit limit = loop.endpoints.get(0).limit();
      limit.refused(limit.sent());
      assertThat(limit.current()).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        sent.add(loop.sendHere(RESULT, 10_000));
      }
      return Future.all(sent);
    })).onComplete(ctx.succeeding((CompositeFuture all) -> ctx.verify(() -> {
      assertThat(sent).allSatisfy((Future<Object> f) -> assertThat(f.result()).isEqualTo(3));
      // One alone; its answer raises the limit to two (one more per `limit` answers), not
      // to maxWorkqueue (4).
      assertThat(fake.maxConcurrent()).isLessThanOrEqualTo(2);
      assertThat(loop.workQueue.highWater()).isEqualTo(2);
      ctx.completeNow();
    })));
  }

  @Test
  void noHedgeWithoutAFreeSlot(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon slow = fake(vertx, 1).setLatency(400);
    FakeDaemon fast = fake(vertx, 2);
    // One slot, held by the primary attempt.
    loop = new Loop(vertx, List.of(slow, fast), new RetryLoop.Settings(50, 100, 5_000, 100),
        breakers(5), 1);
    Future<Object> answer = loop.onContext(() ->
        loop.retryLoop.send(PAYLOAD, RESULT, loop.deadline(10_000), true));
    loop.virtual.once(() -> loop.virtual.pending() == 1)
        .compose((Void hedgeTimer) -> loop.virtual.advance(100))
        .compose((Void hedgeTimerFired) -> answer)
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
          assertThat(result).isEqualTo(1);
          assertThat(loop.counters.hedges()).isZero();
          assertThat(fast.httpRequests()).isZero();
          assertThat(loop.workQueue.highWater()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void noHedgeWhenEveryOtherCircuitIsOpen(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon slow = fake(vertx, 1).setLatency(400);
    FakeDaemon other = fake(vertx, 2);
    loop = new Loop(vertx, List.of(slow, other), new RetryLoop.Settings(50, 100, 5_000, 100),
        breakers(1), 4);
    loop.onContext(() -> loop.endpoints.get(1).execute(() -> Future.failedFuture(
            new TransientFailure(TransientFailure.Kind.CONNECTION, "down"))).otherwiseEmpty())
        .compose((Object v) -> loop.onContext(() -> {
          assertThat(loop.endpoints.get(1).circuitState()).isEqualTo(CircuitBreakerState.OPEN);
          Future<Object> answer = loop.retryLoop.send(PAYLOAD, RESULT, loop.deadline(10_000),
              true);
          return loop.virtual.once(() -> loop.virtual.pending() == 1)
              .compose((Void hedgeTimer) -> loop.virtual.advance(100))
              .compose((Void hedgeTimerFired) -> answer);
        }))
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
          assertThat(result).isEqualTo(1);
          assertThat(loop.counters.hedges()).isZero();
          assertThat(other.httpRequests()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgeableReadWithHedgingOffIsSentOnce(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon slow = fake(vertx, 1).setLatency(300);
    FakeDaemon other = fake(vertx, 2);
    loop = new Loop(vertx, List.of(slow, other), new RetryLoop.Settings(50, 100, 5_000, 0),
        breakers(5), 4);
    loop.onContext(() -> loop.retryLoop.send(PAYLOAD, RESULT, loop.deadline(10_000), true))
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
          assertThat(result).isEqualTo(1);
          assertThat(loop.virtual.history()).as("no hedge timer").isEmpty();
          assertThat(loop.counters.hedges()).isZero();
          assertThat(other.httpRequests()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  @Tag(REAL_TIME)
  void aFullAttemptTimeoutAfterABadReplyIsTheReasonGiven(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    // An answer the processor cannot use, then attempts that each wait out a whole
    // attemptTimeoutMs (300 ms, well inside the deadline): they say more than the bad reply.
    fake.failNext(Fault.DELAY(0));
    for (int i = 0; i < 10; i++) {
      fake.failNext(Fault.HANG);
    }
    AtomicInteger seen = new AtomicInteger();
    loop = Loop.inRealTime(vertx, List.of(fake), new RetryLoop.Settings(20, 20, 300, 0),
        breakers(100), 2);
    loop.send((Object reply) -> {
      if (seen.incrementAndGet() == 1) {
        throw new ClassCastException("a reply of the wrong shape");
      }
      return RESULT.apply(reply);
    }, 1_500).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(fake.httpRequests()).as("the bad reply, then at least one whole timeout")
          .isGreaterThanOrEqualTo(2);
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(e.getMessage()).contains("no reply").doesNotContain("wrong shape");
      ctx.completeNow();
    })));
  }

  @Test
  @Tag(REAL_TIME)
  void aFirstAttemptCutShortByTheDeadlineStillNamesTheTimeout(Vertx vertx,
                                                              VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    fake.failNext(Fault.HANG, Fault.HANG);
    // The deadline (400 ms) comes before attemptTimeoutMs (2 s): the only failure seen.
    loop = Loop.inRealTime(vertx, List.of(fake), settings(20, 20), breakers(100), 2);
    loop.send(RESULT, 400).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(fake.httpRequests()).isBetween(1, 2);
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(e.getMessage()).contains("no reply")
          .doesNotContain("deadline passed before");
      ctx.completeNow();
    })));
  }

  @Test
  void theFailureLogWarnsOnceAndSaysWhenTheDaemonAnswersAgain(Vertx vertx,
                                                             VertxTestContext ctx) {
    logs = LogCapture.start();
    FakeDaemon fake = fake(vertx, 6);
    loop = new Loop(vertx, List.of(fake), settings(10, 10), breakers(100), 2);
    DaemonRpcException error = DaemonRpcException.of(new JsonObject().put("code", -8)
        .put("message", "Block height out of range"));
    AtomicInteger seen = new AtomicInteger();
    // A dropped connection, then an answer; a refusal, then the daemon's own error.
    fake.failNext(Fault.DROP_CONNECTION);
    loop.send(RESULT, 5_000).compose((Object first) -> {
      fake.failNext(Fault.HTML_500);
      return loop.send((Object reply) -> {
        seen.incrementAndGet();
        throw error;
      }, 5_000).otherwise((Throwable e) -> e);
    }).onComplete(ctx.succeeding((Object second) -> ctx.verify(() -> {
      assertThat(second).isSameAs(error);
      assertThat(seen).hasValue(1);
      List<String> lines = logs.lines().stream()
          .filter((String l) -> l.contains(FailureLog.class.getName())).toList();
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0)).startsWith("WARN").contains("127.0.0.1:" + fake.port())
          .contains("Retrying occasionally");
      assertThat(lines.get(1)).isEqualTo("INFO " + FailureLog.class.getName()
          + " - connection restored");
      assertThat(lines.get(2)).startsWith("WARN").contains("refused")
          .contains("Retrying occasionally");
      assertThat(lines.get(3)).isEqualTo("INFO " + FailureLog.class.getName()
          + " - running normally");
      assertThat(loop.counters.transientFailures()).isEqualTo(2);
      assertThat(loop.counters.retries()).isEqualTo(2);
      assertThat(loop.counters.daemonErrors()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void afterATimeoutEveryOtherUrlIsTriedAtOnceThenTheRequestBacksOff(Vertx vertx,
                                                                     VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 1);
    FakeDaemon second = fake(vertx, 2);
    for (int i = 0; i < 10; i++) {
      first.failNext(Fault.HANG);
      second.failNext(Fault.HANG);
    }
    // Attempts of 300 ms, a backoff (10 s) past the deadline (2.5 s), breakers that stay
    // closed: the first URL, the second at once, the first again at once (one immediate retry
    // per URL), then the backoff, cut to the deadline.
    loop = new Loop(vertx, List.of(first, second),
        new RetryLoop.Settings(10_000, 10_000, 300, 0), breakers(5), 2);
    loop.send(RESULT, 2_500).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(first.httpRequests()).isEqualTo(2);
      assertThat(second.httpRequests()).isEqualTo(1);
      assertThat(loop.counters.retries()).isEqualTo(3);
      assertThat(loop.counters.transientFailures()).isEqualTo(3);
      assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(e.getMessage()).contains("no reply");
      // The attempts took no virtual time (their timeouts are real): one backoff, cut to
      // the whole deadline.
      assertThat(loop.virtual.delaysSet()).containsExactly(2_500L);
      assertThat(loop.virtual.nowMs()).isEqualTo(2_500);
      ctx.completeNow();
    })));
  }

  @Test
  void aRequestMeetingAnOpenCircuitFirstNamesTheUrlsOwnFailure(Vertx vertx,
                                                              VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 1);
    fake.failNext(Fault.HTTP_401);
    loop = new Loop(vertx, List.of(fake), settings(20, 40), breakers(1), 2);
    // The first request opens the circuit; the second never reaches the daemon, and its
    // own first failure is the open circuit: the URL's last failure says why. Deadlines of a
    // whole attempt's time: the HTTP exchange's own limit is real time, and the 401 must
    // come back inside it on a loaded machine too (at 300 ms it did not, at load 18).
    loop.send(RESULT, 2_000).otherwiseEmpty()
        .compose((Object first) -> loop.send(RESULT, 2_000))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(fake.httpRequests()).isEqualTo(1);
          assertThat(loop.endpoints.get(0).circuitState())
              .isEqualTo(CircuitBreakerState.OPEN);
          assertThat(((DaemonException) e).code()).isEqualTo(DaemonException.UNAVAILABLE);
          assertThat(e.getMessage()).contains("401").doesNotContain("circuit open");
          assertThat(loop.counters.transientFailures()).as("only the sent attempt")
              .isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  @Tag(REAL_TIME)
  void afterATimeoutAtTheSecondUrlTheRetryGoesBackToTheFirstOnceItsCircuitIsHalfOpen(
      Vertx vertx, VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 1);
    FakeDaemon second = fake(vertx, 2);
    // The first URL fails twice (its circuit opens, the request fails over), the second
    // never answers its attempt (1 s); meanwhile (200 ms) the first's circuit half-opens.
    first.failNext(Fault.HTML_500, Fault.HTML_500);
    second.failNext(Fault.HANG);
    loop = Loop.inRealTime(vertx, List.of(first, second),
        new RetryLoop.Settings(20, 20, 1_000, 0), new Endpoints.BreakerSettings(2, 200, 100), 2);
    loop.send(RESULT, 10_000).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).as("answered by the first URL's probe").isEqualTo(1);
      assertThat(first.httpRequests()).isEqualTo(3);
      assertThat(second.httpRequests()).isEqualTo(1);
      assertThat(loop.counters.failovers()).isEqualTo(1);
      assertThat(loop.endpoints.get(0).circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
      ctx.completeNow();
    })));
  }

  @Test
  @Tag(REAL_TIME)
  void aHedgeFromTheSecondUrlGoesToTheFirstOnceItsCircuitIsHalfOpen(Vertx vertx,
                                                                   VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 1);
    FakeDaemon second = fake(vertx, 2);
    first.failNext(Fault.HTML_500, Fault.HTML_500);
    loop = Loop.inRealTime(vertx, List.of(first, second),
        new RetryLoop.Settings(20, 20, 5_000, 100), new Endpoints.BreakerSettings(2, 200, 100), 4);
    // A request fails over to the second URL; 400 ms later the first's circuit is half-open
    // and a slow read at the second is hedged to the first.
    loop.send(RESULT, 10_000)
        .compose((Object failedOver) -> {
          ctx.verify(() -> assertThat(failedOver).isEqualTo(2));
          return vertx.timer(400);
        })
        .compose((Void t) -> {
          second.setLatency(2_000);
          return loop.onContext(() ->
              loop.retryLoop.send(PAYLOAD, RESULT, Deadline.in(10_000, NanoClock.SYSTEM), true));
        })
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
          assertThat(result).as("the hedge's answer, from the first URL").isEqualTo(1);
          assertThat(loop.counters.hedges()).isEqualTo(1);
          assertThat(first.httpRequests()).isEqualTo(3);
          assertThat(loop.counters.failovers()).isEqualTo(1);
          assertThat(loop.endpoints.currentIndex()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void aPrimaryThatFailsBeforeItsHedgeTakesItsHedgeTimerWithIt(Vertx vertx,
                                                             VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 1).setLatency(800);
    FakeDaemon second = fake(vertx, 2).setLatency(500);
    // The first attempt fails at once (its hedge timer, 200 ms, must go with it); the retry
    // (20 ms later) is slow and hedged once, 200 ms after it started.
    first.failNext(Fault.HTML_500);
    loop = new Loop(vertx, List.of(first, second), new RetryLoop.Settings(20, 20, 5_000, 200),
        breakers(5), 4);
    Future<Object> answer = loop.onContext(() ->
        loop.retryLoop.send(PAYLOAD, RESULT, loop.deadline(10_000), true));
    // The first timer ever set (id 0) is the first attempt's hedge: a failure must cancel it.
    loop.virtual.once(() -> loop.counters.retries() == 1 && loop.workQueue.inFlight() == 0)
        .compose((Void backingOff) -> {
          ctx.verify(() -> {
            assertThat(loop.virtual.delaysSet()).containsExactly(200L, 20L);
            assertThat(loop.virtual.pending()).as("only the backoff: the hedge went")
                .isEqualTo(1);
          });
          return loop.virtual.advance(20);
        })
        .compose((Void retried) -> loop.virtual.once(() -> loop.virtual.pending() == 1))
        .compose((Void hedgeTimer) -> loop.virtual.advance(200))
        .compose((Void hedged) -> answer)
        .onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
          assertThat(result).as("the hedge answers first").isEqualTo(2);
          assertThat(loop.counters.hedges()).isEqualTo(1);
          assertThat(second.httpRequests()).isEqualTo(1);
          assertThat(first.httpRequests()).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void aRetryIsNeverRefusedForAFullLine(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 8).setLatency(500);
    fake.failNext(Fault.HTML_500);
    // One slot, one place in line. The first request fails at once; the second takes the
    // slot (500 ms), a third takes the place in line (at 150 ms), and the first's retry
    // (400 ms) finds the line full: it was admitted, so it waits rather than being refused.
    loop = new Loop(vertx, List.of(fake), settings(400, 400), breakers(100), 1, 1);
    List<Future<Object>> sent = new ArrayList<>();
    AtomicInteger queuedBeforeTheThird = new AtomicInteger(-1);
    AtomicInteger queuedAfterTheRetry = new AtomicInteger(-1);
    loop.onContext(() -> {
      sent.add(loop.sendHere(RESULT, 10_000));
      sent.add(loop.sendHere(RESULT, 10_000));
      return Future.succeededFuture();
    }).compose((Object v) -> loop.virtual.once(() -> loop.counters.retries() == 1
            && loop.workQueue.inFlight() == 1))
        .compose((Void firstBacksOffSecondOnTheWire) -> loop.virtual.advance(150))
        .compose((Void t) -> loop.onContext(() -> {
          queuedBeforeTheThird.set(loop.workQueue.queued());
          sent.add(loop.sendHere(RESULT, 10_000));
          return loop.virtual.advance(250);
        }))
        .compose((Void t) -> loop.onContext(() -> {
          queuedAfterTheRetry.set(loop.workQueue.queued());
          return loop.drive(Future.join(sent));
        })).onComplete(ctx.succeeding((CompositeFuture all) -> ctx.verify(() -> {
      assertThat(queuedBeforeTheThird).as("the second left the line").hasValue(0);
      assertThat(queuedAfterTheRetry).as("the retry waits behind the third, past the line's "
          + "one place").hasValue(2);
      assertThat(sent).allSatisfy((Future<Object> f) -> assertThat(f.result()).isEqualTo(8));
      assertThat(fake.httpRequests()).isEqualTo(4);
      assertThat(loop.counters.retries()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void eachBackoffStaysWithinItsBoundsFarIntoTheRetries() {
    RetryLoop.Settings settings = new RetryLoop.Settings(100, 300, 2_000, 0);
    for (int retry : new int[] {63, 64, 100, 1_000}) {
      java.util.Set<Long> drawn = new java.util.HashSet<>();
      for (int run = 0; run < 200; run++) {
        drawn.add(RetryLoop.backoffMs(settings, retry));
      }
      // Still uniform over [100, 300] (no doubling past the cap, which would overflow).
      assertThat(drawn).as("retry %d", retry).hasSizeGreaterThan(50)
          .allSatisfy((Long d) -> assertThat(d).isBetween(100L, 300L));
    }
  }

  @Test
  void readersAndTheUnavailableCountAreTheLoops(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = fake(vertx, 11);
    loop = new Loop(vertx, List.of(fake), settings(20, 20), breakers(5), 2);
    loop.onContext(() -> {
      loop.retryLoop.recordUnavailable();
      return loop.retryLoop.sendReading(PAYLOAD,
          (DaemonUrl url) -> new JsonReplyReader<>(loop.transport.offloader(), RESULT,
              url.toString()),
          loop.deadline(5_000));
    }).onComplete(ctx.succeeding((Object result) -> ctx.verify(() -> {
      assertThat(result).isEqualTo(11);
      assertThat(loop.counters.unavailable()).isEqualTo(1);
      assertThat(loop.counters.requests()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void requestsWaitingForASlotGoOnAtOnceWhenAFailoverRaisesTheLimit(Vertx vertx,
                                                                   VertxTestContext ctx) {
    FakeDaemon first = fake(vertx, 1);
    FakeDaemon second = fake(vertx, 2);
    loop = new Loop(vertx, List.of(first, second), settings(20, 20),
        new Endpoints.BreakerSettings(2, 60_000, 4), 4);
    // Scripted attempts (nothing is sent to the fakes): at the first URL a timeout after
    // 100 ms, then a refusal after 200 ms (its circuit opens: two failures in a row); the
    // second URL answers each attempt after 1.5 s.
    List<Integer> calls = new ArrayList<>();
    RetryLoop.Exchange<Object> exchange = (DaemonUrl url, long timeoutMs, Future<Void> cancel) -> {
      int at = url == loop.endpoints.get(0).url() ? 0 : 1;
      calls.add(at);
      Promise<Object> outcome = Promise.promise();
      if (at == 1) {
        loop.time.setTimer(1_500, (Long t) -> outcome.tryComplete("answered"));
      } else if (calls.size() == 1) {
        loop.time.setTimer(100, (Long t) -> outcome.tryFail(
            new TransientFailure(TransientFailure.Kind.TIMEOUT, "timeout: no reply")));
      } else {
        loop.time.setTimer(200, (Long t) -> outcome.tryFail(
            new TransientFailure(TransientFailure.Kind.REFUSED, "refused")));
      }
      cancel.onComplete((AsyncResult<Void> v) -> outcome.tryFail(
          new TransientFailure(TransientFailure.Kind.CANCELLED, "cancelled")));
      return outcome.future();
    };
    List<Future<Object>> sent = new ArrayList<>();
    AtomicInteger atTheSecondBy900Ms = new AtomicInteger(-1);
    loop.onContext(() -> {
      // The first URL takes one request at a time (its learnt limit); the second four.
      AdaptiveLimit limit = loop.endpoints.get(0).limit();
      limit.refused(limit.sent());
      // W1 times out at the first URL (100 ms) and waits for the slot again, now to try the
      // second URL; F takes the slot meanwhile and is refused (300 ms); W2 (200 ms) waits
      // behind W1. F's failure opens the first URL's circuit: W1 takes F's slot to the second
      // URL, and F's failover raises the limit to four, so W2 and F go on at once instead of
      // waiting for W1's answer (1.8 s).
      sent.add(loop.retryLoop.exchange(exchange, loop.deadline(10_000), false));
      sent.add(loop.retryLoop.exchange(exchange, loop.deadline(10_000), false));
      loop.time.setTimer(200, (Long t) -> sent.add(
          loop.retryLoop.exchange(exchange, loop.deadline(10_000), false)));
      return loop.virtual.advance(900);
    }).compose((Void t) -> loop.onContext(() -> {
      atTheSecondBy900Ms.set((int) calls.stream().filter((Integer at) -> at == 1).count());
      return loop.virtual.advance(2_000).compose((Void later) -> Future.join(sent));
    })).onComplete(ctx.succeeding((CompositeFuture all) -> ctx.verify(() -> {
      assertThat(sent).hasSize(3)
          .allSatisfy((Future<Object> f) -> assertThat(f.result()).isEqualTo("answered"));
      assertThat(calls).as("W1, F at the first URL; W1, W2, F at the second")
          .containsExactly(0, 0, 1, 1, 1);
      assertThat(atTheSecondBy900Ms).hasValue(3);
      assertThat(loop.counters.failovers()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  private FakeDaemon fake(Vertx vertx, int height) {
    FakeDaemon fake = await(FakeDaemon.bitcoinLike(vertx, height));
    fakes.add(fake);
    return fake;
  }

  private static RetryLoop.Settings settings(long initRetryMs, long maxRetryMs) {
    return new RetryLoop.Settings(initRetryMs, maxRetryMs, 2_000, 0);
  }

  private static Endpoints.BreakerSettings breakers(int maxFailures) {
    return new Endpoints.BreakerSettings(maxFailures, 60_000, 100);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** An attempt sent at {@code atMs} (virtual) to the URL at {@code url}, and how it ended. */
  private record Sent(long atMs, int url, Future<Object> outcome) {
  }

  /** Every attempt recorded has ended (answered, failed, or cancelled). */
  private static Future<Void> ended(List<Sent> sent) {
    return Future.join(sent.stream().map(Sent::outcome).toList()).otherwiseEmpty().mapEmpty();
  }

  /**
   * A retry loop and its parts, built and called on one context as the verticle does; in
   * virtual time unless built by {@link #inRealTime}. The HTTP exchanges with the fakes are
   * real: an attempt takes no virtual time, and its timeout is real.
   */
  private static final class Loop {
    final Context context;
    /** The loop's time: {@link #virtual}, or the real time. */
    final TimeSource time;
    /** Null in real time. */
    final VirtualTime virtual;
    final RpcCounters counters = new RpcCounters();
    final WorkQueue workQueue;
    final Endpoints endpoints;
    final HttpTransport transport;
    final RetryLoop retryLoop;

    Loop(Vertx vertx, List<FakeDaemon> daemons, RetryLoop.Settings settings,
         Endpoints.BreakerSettings breakers, int maxInFlight) {
      this(vertx, daemons, settings, breakers, maxInFlight, 100);
    }

    Loop(Vertx vertx, List<FakeDaemon> daemons, RetryLoop.Settings settings,
         Endpoints.BreakerSettings breakers, int maxInFlight, int maxQueued) {
      this(vertx, daemons, settings, breakers, maxInFlight, maxQueued, true, null);
    }

    /** Each backoff drawn from {@code jitter}. */
    Loop(Vertx vertx, List<FakeDaemon> daemons, RetryLoop.Settings settings,
         Endpoints.BreakerSettings breakers, RandomGenerator jitter) {
      this(vertx, daemons, settings, breakers, 2, 100, true, jitter);
    }

    /** For what happens in real time: attempt timeouts that use up a deadline. */
    static Loop inRealTime(Vertx vertx, List<FakeDaemon> daemons, RetryLoop.Settings settings,
                           Endpoints.BreakerSettings breakers, int maxInFlight) {
      return new Loop(vertx, daemons, settings, breakers, maxInFlight, 100, false, null);
    }

    private Loop(Vertx vertx, List<FakeDaemon> daemons, RetryLoop.Settings settings,
                 Endpoints.BreakerSettings breakers, int maxInFlight, int maxQueued,
                 boolean virtualTime, RandomGenerator jitter) {
      context = vertx.getOrCreateContext();
      virtual = virtualTime ? new VirtualTime(context) : null;
      time = virtualTime ? virtual : TimeSource.of(vertx);
      List<DaemonUrl> urls = daemons.stream()
          .map((FakeDaemon d) -> DaemonUrl.parse(d.url("user", "pass"), null, false)).toList();
      workQueue = new WorkQueue(time, maxInFlight, maxQueued);
      endpoints = new Endpoints(vertx, urls, breakers, counters);
      transport = Transports.plain(vertx, maxInFlight);
      retryLoop = jitter == null
          ? new RetryLoop(time, transport, workQueue, endpoints, counters, settings)
          : new RetryLoop(time, transport, workQueue, endpoints, counters, settings, jitter);
    }

    /** Sends a request from the loop's context; in virtual time, moves it as it waits. */
    Future<Object> send(Function<Object, Object> processor, long timeoutMs) {
      return drive(onContext(() -> sendHere(processor, timeoutMs)));
    }

    Future<Object> sendHere(Function<Object, Object> processor, long timeoutMs) {
      return retryLoop.send(PAYLOAD, processor, deadline(timeoutMs));
    }

    Deadline deadline(long timeoutMs) {
      return Deadline.in(timeoutMs, time);
    }

    /**
     * Completes as {@code outcome}; in virtual time, meanwhile, fires each timer when it is
     * the only thing the loop waits for (no attempt holds a slot).
     */
    <T> Future<T> drive(Future<T> outcome) {
      return virtual == null ? outcome
          : virtual.runUntil(outcome, () -> workQueue.inFlight() == 0);
    }

    <T> Future<T> onContext(Supplier<Future<T>> work) {
      Promise<T> promise = Promise.promise();
      context.runOnContext((Void v) -> {
        // A future that is not there (a mutant's null) fails the test at once, where it
        // would otherwise throw on the context and leave the test waiting for its limit.
        try {
          work.get().onComplete(promise);
        } catch (RuntimeException e) {
          promise.tryFail(e);
        }
      });
      return promise.future();
    }

    /** POSTs of the payload, each attempt sent added to {@code sent}. */
    RetryLoop.Exchange<Object> recorded(List<Sent> sent) {
      RetryLoop.Exchange<Object> post = retryLoop.post(PAYLOAD, (DaemonUrl url) ->
          new JsonReplyReader<>(transport.offloader(), RESULT, url.toString()));
      return (DaemonUrl url, long timeoutMs, Future<Void> cancel) -> {
        Future<Object> outcome = post.attempt(url, timeoutMs, cancel);
        sent.add(new Sent(virtual.nowMs(), url == endpoints.get(0).url() ? 0 : 1, outcome));
        return outcome;
      };
    }

    void close() {
      endpoints.close();
      transport.close();
    }
  }
}
