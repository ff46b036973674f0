package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.time.TimeSource;
import static io.daemonverticle.impl.resilience.ScriptedLoop.after;
import static io.daemonverticle.impl.resilience.ScriptedLoop.answer;
import static io.daemonverticle.impl.resilience.ScriptedLoop.doing;
import static io.daemonverticle.impl.resilience.ScriptedLoop.error;
import static io.daemonverticle.impl.resilience.ScriptedLoop.fails;
import static io.daemonverticle.impl.resilience.ScriptedLoop.hangs;
import static io.daemonverticle.impl.resilience.ScriptedLoop.notHere;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.transport.TransientFailure;
import io.daemonverticle.impl.transport.TransientFailure.Kind;
import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retry loop's course, with scripted URLs in virtual time ({@link ScriptedLoop}): where
 * each attempt goes and when, with how much time, and what the request is answered. The
 * paths a real daemon takes long or rarely to show: a URL without the block (pruned), URLs on
 * another chain, a slot or a failure that comes at the deadline, the daemon's server timeout,
 * hedges at their bounds, the reason a 503 gives. Each test's attempts are all scripted, so an
 * attempt too many fails it, and a request left unanswered fails it at once.
 */
@ExtendWith(VertxExtension.class)
class RetryLoopCourseTest {

  private static final long ATTEMPT_MS = 1_000;

  private ScriptedLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  // A URL without what was asked (a pruned block).

  @Test
  void aUrlWithoutTheBlockSendsTheRequestToTheNextAtOnceAndThatAnswerCounts(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 3).script(0, notHere()).script(1, answer("block"));
    AttemptCount count = new AttemptCount();
    loop.request(5_000, false, count).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result).isEqualTo("block");
      assertThat(loop.urls()).containsExactly(0, 1);
      assertThat(loop.times()).containsExactly(0L, 0L);
      assertThat(loop.loopTimers).as("no backoff: not a failure of the URL").isEmpty();
      assertThat(count.get()).isEqualTo(2);
      assertThat(count.answeredAt()).isEqualTo(1);
      assertThat(loop.counters.retries()).isZero();
      assertThat(loop.counters.daemonErrors()).isZero();
      assertThat(loop.counters.transientFailures()).isZero();
      assertThat(loop.endpoints.get(0).failureCount()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void whenNoUrlHasTheBlockEachIsAskedOnceAndTheAnswerIsTheDaemonsOwnError(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 3, 0, 3).script(0, notHere()).script(1, notHere()).script(2, notHere());
    loop.request(5_000).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      assertThat(failure).isExactlyInstanceOf(DaemonRpcException.class)
          .hasMessageContaining("pruned data");
      assertThat(loop.urls()).containsExactly(0, 1, 2);
      assertThat(loop.virtual.nowMs()).isZero();
      assertThat(loop.counters.daemonErrors()).isEqualTo(1);
      assertThat(loop.counters.unavailable()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void aRetryAfterATransientFailureNeverGoesBackToAUrlThatSaidItHasNotTheBlock(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 3).script(0, notHere())
        .script(1, fails(Kind.CONNECTION), answer("block"));
    AttemptCount count = new AttemptCount();
    loop.request(5_000, false, count).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result).isEqualTo("block");
      assertThat(loop.urls()).containsExactly(0, 1, 1);
      assertThat(loop.times()).containsExactly(0L, 0L, 100L);
      assertThat(count.get()).isEqualTo(3);
      assertThat(count.answeredAt()).isEqualTo(1);
      assertThat(loop.counters.retries()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void whenTheUrlsThatMayHaveTheBlockFailTheAnswerIsTheDaemonsError(Vertx vertx,
      VertxTestContext ctx) {
    // One failure opens a circuit: the only URL left to ask is gone.
    loop = loop(vertx, 2, 0, 1).script(0, notHere()).script(1, fails(Kind.CONNECTION));
    loop.request(5_000).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      assertThat(failure).isExactlyInstanceOf(DaemonRpcException.class)
          .hasMessageContaining("pruned data");
      assertThat(loop.urls()).containsExactly(0, 1);
      assertThat(loop.endpoints.get(1).circuitState()).isEqualTo(CircuitBreakerState.OPEN);
      assertThat(loop.counters.daemonErrors()).isEqualTo(1);
      assertThat(loop.counters.transientFailures()).isEqualTo(1);
      assertThat(loop.counters.retries()).isZero();
      assertThat(loop.loopTimers).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aQuarantinedUrlIsNotAskedForABlockTheOthersHaveNot(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 3).script(0, notHere());
    loop.quarantine(1);
    loop.request(5_000).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      assertThat(failure).isExactlyInstanceOf(DaemonRpcException.class);
      assertThat(loop.urls()).containsExactly(0);
      ctx.completeNow();
    })));
  }

  @Test
  void aUrlWithoutTheBlockIsNotTheOtherUrlTriedAfterATimeout(Vertx vertx,
      VertxTestContext ctx) {
    // The first URL timed out, so a retry would go elsewhere; the second said it has not the
    // block, so the retry goes back to the first, at once.
    // A failure there then is retried there: the URL that may have it.
    loop = loop(vertx, 2, 0, 3).script(0, hangs(), fails(Kind.CONNECTION), answer("block"))
        .script(1, notHere());
    loop.request(5_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result).isEqualTo("block");
      assertThat(loop.urls()).containsExactly(0, 1, 0, 0);
      assertThat(loop.times()).containsExactly(0L, ATTEMPT_MS, ATTEMPT_MS, ATTEMPT_MS + 100);
      ctx.completeNow();
    })));
  }

  @Test
  void aHedgeWithoutTheBlockLeavesThePrimaryToAnswer(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3).script(0, after(500, answer("block"))).script(1, notHere());
    loop.request(5_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).isEqualTo("block");
          assertThat(loop.times()).containsExactly(0L, 200L);
          assertThat(loop.virtual.nowMs()).isEqualTo(500);
          assertThat(loop.counters.hedges()).isEqualTo(1);
          assertThat(loop.counters.daemonErrors()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void aPrimaryWithoutTheBlockLeavesItsHedgeToAnswer(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3).script(0, after(300, notHere()))
        .script(1, after(400, answer("block")));
    loop.request(5_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).isEqualTo("block");
          assertThat(loop.urls()).containsExactly(0, 1);
          assertThat(loop.virtual.nowMs()).isEqualTo(600);
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgedPairNeitherOfWhichHasTheBlockAnswersWithTheDaemonsError(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3).script(0, after(300, notHere()))
        .script(1, after(200, notHere()));
    loop.request(5_000, true, new AttemptCount())
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          assertThat(failure).isExactlyInstanceOf(DaemonRpcException.class);
          assertThat(loop.urls()).containsExactly(0, 1);
          assertThat(loop.virtual.nowMs()).as("when the second of the pair said so")
              .isEqualTo(400);
          ctx.completeNow();
        })));
  }

  // URLs on another chain.

  @Test
  void withEveryUrlQuarantinedARequestIsAnswered503AtOnceNamingThem(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 3);
    loop.quarantine(0);
    loop.quarantine(1);
    loop.request(5_000).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "every daemon URL is quarantined: ");
      assertThat(failure).hasMessageContaining("127.0.0.1:18001")
          .hasMessageContaining("127.0.0.1:18002").hasMessageNotContaining("pass");
      assertThat(loop.attempts).isEmpty();
      assertThat(loop.counters.transientFailures()).as("nothing tried").isZero();
      assertThat(loop.virtual.nowMs()).isZero();
      assertThat(loop.counters.unavailable()).isEqualTo(1);
      assertThat(loop.workQueue.inFlight()).as("the slot given back").isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void urlsQuarantinedWhileAnAttemptFailsEndTheRequestAt503WithoutARetry(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 3);
    loop.script(0, doing(() -> {
      loop.quarantine(0);
      loop.quarantine(1);
    }, fails(Kind.TIMEOUT)));
    loop.request(5_000).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "every daemon URL is quarantined: ");
      assertThat(loop.urls()).containsExactly(0);
      assertThat(loop.counters.retries()).isZero();
      assertThat(loop.loopTimers).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aUrlFoundOnAnotherChainAtItsAdmissionSendsTheRequestToTheNextAtOnce(Vertx vertx,
      VertxTestContext ctx) {
    ChainCheck check = (url, timeoutMs) -> Future.succeededFuture(url.toString()
        .contains("18001") ? new ChainCheck.Outcome(url + " is on \"main\"", "main", null,
        true, null) : ChainCheck.Outcome.GOOD);
    loop = new ScriptedLoop(vertx, 2, settings(0), breakers(3), 4, ScriptedLoop.floor(), 0,
        new Endpoints.FleetSettings(check, 0, 10_000, null));
    loop.script(1, answer(7));
    loop.request(5_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result).isEqualTo(7);
      assertThat(loop.urls()).as("nothing was sent to the quarantined URL").containsExactly(1);
      assertThat(loop.times()).containsExactly(0L);
      assertThat(loop.endpoints.currentIndex()).isEqualTo(1);
      assertThat(loop.counters.failovers()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void anAttemptGetsWhatItsUrlsChainCheckLeftOfItsTime(Vertx vertx, VertxTestContext ctx) {
    // The check of a URL not yet checked runs within the attempt's time.
    VirtualTime[] clock = new VirtualTime[1];
    ChainCheck check = (url, timeoutMs) -> {
      Promise<ChainCheck.Outcome> judged = Promise.promise();
      clock[0].setTimer(300, id -> judged.complete(ChainCheck.Outcome.GOOD));
      return judged.future();
    };
    loop = new ScriptedLoop(vertx, 1, settings(0), breakers(3), 4, ScriptedLoop.floor(), 0,
        new Endpoints.FleetSettings(check, 0, 10_000, null));
    clock[0] = loop.virtual;
    loop.script(0, answer(7));
    loop.request(5_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.attempts).singleElement().satisfies(a -> {
        assertThat(a.atMs).isEqualTo(300);
        assertThat(a.timeoutMs).isEqualTo(ATTEMPT_MS - 300);
      });
      ctx.completeNow();
    })));
  }

  // At the deadline.

  @Test
  void aSlotFreedAtTheDeadlineIsGivenBackAndTheRequestAnswered503(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3, 1).script(0, after(100, answer(1)));
    Future<Object> first = loop.start(5_000, false, new AttemptCount());
    loop.settled()
        .compose(v -> {
          Future<Object> second = loop.start(100, false, new AttemptCount());
          return loop.drive(Future.join(first, second)).otherwiseEmpty().map(second);
        })
        .compose(second -> loop.settled().map(second))
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          assertThat(first.result()).isEqualTo(1);
          Answered.byTheRetryLoop(second.cause(), "deadline passed before the daemon could be "
              + "asked");
          assertThat(loop.attempts).as("nothing sent without time left").hasSize(1);
          assertThat(loop.virtual.nowMs()).isEqualTo(100);
          assertThat(loop.workQueue.inFlight()).as("the slot given back").isZero();
          assertThat(loop.counters.unavailable()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void aFailureAtTheDeadlineIsAnsweredThenWithoutABackoff(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3).script(0, hangs());
    loop.request(100).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "no whole reply in 100 ms");
      assertThat(loop.virtual.nowMs()).isEqualTo(100);
      assertThat(loop.loopTimers).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void anAttemptIsGivenTheTimeLeftWhenThatIsLessThanAWholeAttempt(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3).script(0, fails(Kind.REFUSED), answer(1));
    loop.request(700).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.attempts).extracting(a -> a.timeoutMs).containsExactly(700L, 600L);
      ctx.completeNow();
    })));
  }

  // The daemon's server timeout.

  @Test
  void aConnectionClosedAtTheDaemonsServerTimeoutIsNotedOnItsUrl(Vertx vertx,
      VertxTestContext ctx) {
    loop = new ScriptedLoop(vertx, 1, new RetryLoop.Settings(100, 800, 60_000, 0), breakers(3),
        4, ScriptedLoop.floor());
    loop.script(0, after(29_000, fails(Kind.DISCONNECTED)), answer(1));
    loop.request(120_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.endpoints.get(0).standing().wasClosedByServerTimeout()).isTrue();
      ctx.completeNow();
    })));
  }

  @Test
  void aConnectionClosedJustBeforeTheServerTimeoutIsNot(Vertx vertx, VertxTestContext ctx) {
    loop = new ScriptedLoop(vertx, 1, new RetryLoop.Settings(100, 800, 60_000, 0), breakers(3),
        4, ScriptedLoop.floor());
    loop.script(0, after(28_999, fails(Kind.DISCONNECTED)), answer(1));
    loop.request(120_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.endpoints.get(0).standing().wasClosedByServerTimeout()).isFalse();
      ctx.completeNow();
    })));
  }

  @Test
  void anAttemptTimeoutPastTheServerTimeoutIsNoClosedConnection(Vertx vertx,
      VertxTestContext ctx) {
    loop = new ScriptedLoop(vertx, 1, new RetryLoop.Settings(100, 800, 29_500, 0), breakers(3),
        4, ScriptedLoop.floor());
    loop.script(0, hangs(), answer(1));
    loop.request(120_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.endpoints.get(0).standing().wasClosedByServerTimeout()).isFalse();
      ctx.completeNow();
    })));
  }

  // Hedges at their bounds.

  @Test
  void noHedgeWhenItWouldStartAsTheAttemptTimesOut(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, ATTEMPT_MS, 3).script(0, after(300, answer(1)));
    loop.request(5_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loop.loopTimers).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgeIsSetWhenItWouldStartAMillisecondBeforeTheAttemptTimesOut(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, ATTEMPT_MS - 1, 3).script(0, after(300, answer(1)));
    loop.request(5_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loop.loopTimers).extracting(VirtualTime.Scheduled::delayMs)
              .containsExactly(ATTEMPT_MS - 1);
          assertThat(loop.urls()).as("answered before it").containsExactly(0);
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgeIsSetOnlyWhenItWouldStartBeforeTheDeadline(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 400, 3).script(0, after(300, answer(1)));
    loop.request(400, true, new AttemptCount())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loop.loopTimers).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void noHedgeTimerWithASingleUrl(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 200, 3).script(0, after(300, answer(1)));
    loop.request(5_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loop.loopTimers).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgeTimerThatFiresLatePastTheDeadlineSendsNothing(Vertx vertx, VertxTestContext ctx) {
    // A loaded machine: every timer fires 50 ms late, the hedge's after the deadline.
    loop = new ScriptedLoop(vertx, 2, new RetryLoop.Settings(100, 800, 2_000, 999),
        breakers(3), 4, ScriptedLoop.floor(), 50, Endpoints.FleetSettings.NONE);
    loop.script(0, hangs());
    loop.request(1_000, true, new AttemptCount())
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          Answered.byTheRetryLoop(failure, "no whole reply in 1000 ms");
          assertThat(loop.urls()).containsExactly(0);
          assertThat(loop.counters.hedges()).isZero();
          ctx.completeNow();
        })));
  }

  // What a 503 says.

  @Test
  void aFirstAttemptCutShortByTheDeadlineNamesTheTimeout(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3).script(0, hangs());
    loop.request(500).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "no whole reply in 500 ms");
      ctx.completeNow();
    })));
  }

  @Test
  void aLastAttemptCutShortByTheDeadlineKeepsTheEarlierReason(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3).script(0, fails(Kind.PARSE_ERROR), hangs());
    loop.request(1_050).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "PARSE_ERROR at URL 0");
      assertThat(loop.attempts).extracting(a -> a.timeoutMs).containsExactly(1_000L, 950L);
      ctx.completeNow();
    })));
  }

  @Test
  void aWholeAttemptTimeoutAfterABadReplyIsTheReasonGiven(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3).script(0, fails(Kind.PARSE_ERROR), hangs());
    loop.request(1_150).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "no whole reply in 1000 ms");
      assertThat(loop.virtual.nowMs()).isEqualTo(1_150);
      ctx.completeNow();
    })));
  }

  @Test
  void aFailureOtherThanATimeoutCutShortIsTheReasonGiven(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 5).script(0, fails(Kind.PARSE_ERROR),
        after(100, fails(Kind.REFUSED)), hangs());
    loop.request(350).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "REFUSED at URL 0");
      assertThat(loop.times()).containsExactly(0L, 100L, 300L);
      ctx.completeNow();
    })));
  }

  @Test
  void anOpenCircuitWithNoFailureKeptAtItsUrlSaysSo(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 1).script(0, fails(Kind.CONNECTION));
    loop.request(50)
        .otherwiseEmpty()
        .compose(first -> loop.on(() -> loop.endpoints.get(0).lastFailure(null)))
        .compose(v -> loop.request(300))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          Answered.byTheRetryLoop(failure,
              "circuit open for 127.0.0.1:18001/ after repeated failures");
          assertThat(failure).hasMessageNotContaining("pass");
          assertThat(loop.attempts).as("nothing sent through the open circuit").hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void aDaemonErrorIsTheAnswerAndEndsTheRunOfFailures(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3).script(0, fails(Kind.CONNECTION), error("bad params"));
    AttemptCount count = new AttemptCount();
    loop.request(5_000, false, count).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      assertThat(failure).isExactlyInstanceOf(DaemonRpcException.class)
          .hasMessageContaining("bad params");
      assertThat(((DaemonException) failure).code()).isEqualTo(DaemonException.DAEMON_ERROR);
      assertThat(loop.endpoints.get(0).failureCount()).isZero();
      assertThat(loop.counters.daemonErrors()).isEqualTo(1);
      assertThat(count.get()).isEqualTo(2);
      assertThat(count.answeredAt()).as("an error is no answer with a result").isEqualTo(-1);
      ctx.completeNow();
    })));
  }

  // Backoffs, and where a retry goes.

  @Test
  void atTheCeilingOfTheirJitterTheBackoffsDoubleFromInitRetryMsToMaxRetryMs(Vertx vertx,
      VertxTestContext ctx) {
    loop = new ScriptedLoop(vertx, 1, settings(0), breakers(10), 4, ScriptedLoop.top());
    loop.script(0, fails(Kind.CONNECTION), fails(Kind.CONNECTION), fails(Kind.CONNECTION),
        fails(Kind.CONNECTION), fails(Kind.CONNECTION), answer(1));
    loop.request(60_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.times()).containsExactly(0L, 100L, 300L, 700L, 1_500L, 2_300L);
      assertThat(loop.counters.retries()).isEqualTo(5);
      ctx.completeNow();
    })));
  }

  @Test
  void farIntoTheRetriesEachBackoffStaysAtMaxRetryMs(Vertx vertx, VertxTestContext ctx) {
    // Past 63 doublings a ceiling that kept doubling would have overflowed.
    loop = new ScriptedLoop(vertx, 1, settings(0), breakers(1_000), 4, ScriptedLoop.top());
    int failures = 70;
    for (int i = 0; i < failures; i++) {
      loop.script(0, fails(Kind.CONNECTION));
    }
    loop.script(0, answer(1));
    loop.request(600_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.loopTimers).hasSize(failures)
          .extracting(VirtualTime.Scheduled::delayMs).endsWith(800L, 800L, 800L);
      assertThat(loop.loopTimers.subList(3, failures))
          .extracting(VirtualTime.Scheduled::delayMs).containsOnly(800L);
      ctx.completeNow();
    })));
  }

  @Test
  void afterATimeoutEveryOtherUrlIsTriedAtOnceThenTheRequestBacksOff(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 10).script(0, hangs(), hangs()).script(1, hangs(), answer(1));
    loop.request(60_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.urls()).containsExactly(0, 1, 0, 1);
      assertThat(loop.times()).containsExactly(0L, 1_000L, 2_000L, 3_100L);
      ctx.completeNow();
    })));
  }

  @Test
  void aTimeoutAtTheSecondUrlSendsTheRetryToTheFirstAtOnce(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 10).script(1, hangs()).script(0, answer(1));
    loop.currentIs(1).compose(v -> loop.request(60_000))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(loop.urls()).containsExactly(1, 0);
          assertThat(loop.times()).containsExactly(0L, 1_000L);
          ctx.completeNow();
        })));
  }

  @Test
  void aSecondUrlWithoutTheBlockSendsTheRequestToTheFirst(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 10).script(1, notHere()).script(0, answer("block"));
    loop.currentIs(1).compose(v -> loop.request(60_000))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).isEqualTo("block");
          assertThat(loop.urls()).containsExactly(1, 0);
          ctx.completeNow();
        })));
  }

  @Test
  void wrongBytesSendTheRetryToTheOtherUrlAtOnce(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 10).script(0, fails(Kind.WRONG_BYTES)).script(1, answer(1));
    loop.request(60_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.urls()).containsExactly(0, 1);
      assertThat(loop.times()).containsExactly(0L, 0L);
      ctx.completeNow();
    })));
  }

  @Test
  void aCircuitThatOpensSendsTheRetryToTheNextUrlAtOnce(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 1).script(0, fails(Kind.CONNECTION)).script(1, answer(1));
    loop.request(60_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(loop.urls()).containsExactly(0, 1);
      assertThat(loop.times()).containsExactly(0L, 0L);
      assertThat(loop.endpoints.currentIndex()).isEqualTo(1);
      assertThat(loop.counters.failovers()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void aRequestMeetingAnOpenCircuitNamesTheUrlsOwnFailure(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 1).script(0, fails(Kind.CONNECTION));
    loop.request(50).otherwiseEmpty().compose(first -> loop.request(300))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          Answered.byTheRetryLoop(failure, "CONNECTION at URL 0");
          assertThat(loop.attempts).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void theDaemonsBackPressureIsCountedAndRetried(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3).script(0, fails(Kind.BACK_PRESSURE), answer(1));
    loop.request(60_000).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result).isEqualTo(1);
      assertThat(loop.times()).containsExactly(0L, 100L);
      assertThat(loop.counters.backPressure()).isEqualTo(1);
      assertThat(loop.counters.transientFailures()).isEqualTo(1);
      assertThat(loop.counters.retries()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void theFailureLogWarnsOfAFailureAndSaysWhenAnyAnswerComesAgain(Vertx vertx,
      VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    loop = loop(vertx, 1, 0, 10).script(0, fails(Kind.CONNECTION), answer(1),
        fails(Kind.REFUSED), notHere(), fails(Kind.PARSE_ERROR), error("bad params"));
    loop.request(60_000)
        .compose(v -> loop.request(60_000).otherwiseEmpty())
        .compose(v -> loop.request(60_000).otherwiseEmpty())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          logs.close();
          List<String> lines = logs.lines().stream()
              .filter(l -> l.contains(FailureLog.class.getName()))
              .map(l -> l.replace(FailureLog.class.getName() + " - ", "")).toList();
          assertThat(lines).containsExactly(
              "WARN CONNECTION at URL 0.  Retrying occasionally...",
              "INFO connection restored",
              "WARN REFUSED at URL 0.  Retrying occasionally...",
              "INFO running normally",
              "WARN PARSE_ERROR at URL 0.  Retrying occasionally...",
              "INFO running normally");
          ctx.completeNow();
        })));
  }

  // Hedges.

  @Test
  void aHedgeThatFailsLeavesThePrimaryToAnswerWithoutARetry(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3).script(0, after(300, answer(1)))
        .script(1, fails(Kind.CONNECTION));
    loop.request(60_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).isEqualTo(1);
          assertThat(loop.times()).containsExactly(0L, 200L);
          assertThat(loop.loopTimers).as("the hedge's, no backoff")
              .extracting(VirtualTime.Scheduled::delayMs).containsExactly(200L);
          assertThat(loop.counters.transientFailures()).isEqualTo(1);
          assertThat(loop.counters.retries()).isZero();
          assertThat(loop.endpoints.get(1).failureCount()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void aPrimaryThatFailsBeforeItsHedgeTakesItsHedgeTimerWithIt(Vertx vertx,
      VertxTestContext ctx) {
    // The retry at 150 answers at 250: the first attempt's hedge (due at 200) must not go.
    loop = loop(vertx, 2, 200, 3)
        .script(0, after(50, fails(Kind.CONNECTION)), after(100, answer(1)));
    loop.request(60_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(loop.urls()).containsExactly(0, 0);
          assertThat(loop.times()).containsExactly(0L, 150L);
          assertThat(loop.virtual.nowMs()).isEqualTo(250);
          ctx.completeNow();
        })));
  }

  @Test
  void aPrimaryWithoutTheBlockBeforeItsHedgeTakesItsHedgeTimerWithIt(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3).script(0, after(50, notHere()))
        .script(1, after(100, answer("block")));
    loop.request(60_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(loop.urls()).containsExactly(0, 1);
          assertThat(loop.virtual.nowMs()).isEqualTo(150);
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgeTimerWhoseIdIsZeroIsCancelledToo(Vertx vertx, VertxTestContext ctx) {
    // Vert.x 5 timer ids start at 0: with the URL's check answering without a timer and
    // bounded on Vert.x's timers, the hedge's is the first timer set on the loop's time.
    ChainCheck check = (url, timeoutMs) -> {
      Promise<ChainCheck.Outcome> judged = Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> judged.complete(ChainCheck.Outcome.GOOD));
      return judged.future();
    };
    loop = new ScriptedLoop(vertx, 2, settings(200), breakers(3), 4, ScriptedLoop.floor(), 0,
        new Endpoints.FleetSettings(check, 0, 10_000, TimeSource.of(vertx)));
    loop.script(0, after(100, answer(1)));
    loop.request(60_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(loop.virtual.history()).first().isEqualTo(new VirtualTime.Scheduled(0, 200));
          assertThat(loop.urls()).containsExactly(0);
          ctx.completeNow();
        })));
  }

  @Test
  void noHedgeWithoutAFreeSlot(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3, 1).script(0, after(300, answer(1)));
    loop.request(60_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(loop.urls()).containsExactly(0);
          assertThat(loop.counters.hedges()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgeableReadWithHedgingOffSetsNoHedge(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 3).script(0, after(300, answer(1)));
    loop.request(60_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(loop.loopTimers).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aHedgeFromTheSecondUrlGoesToTheFirst(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3).script(1, after(500, answer(1))).script(0, answer(2));
    loop.currentIs(1).compose(v -> loop.request(60_000, true, new AttemptCount()))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).isEqualTo(2);
          assertThat(loop.urls()).containsExactly(1, 0);
          assertThat(loop.times()).containsExactly(0L, 200L);
          ctx.completeNow();
        })));
  }

  // The work queue, and stop.

  @Test
  void theUrlsLearntLimitBoundsTheRequestsSentAtOnce(Vertx vertx, VertxTestContext ctx) {
    // The URL takes one request at a time; the work queue would allow four.
    loop = new ScriptedLoop(vertx, 1, settings(0), new Endpoints.BreakerSettings(3, 60_000, 1),
        4, ScriptedLoop.floor());
    loop.script(0, after(100, answer(1)), after(100, answer(2)));
    Future<Object> first = loop.start(60_000, false, new AttemptCount());
    Future<Object> second = loop.start(60_000, false, new AttemptCount());
    loop.drive(Future.all(first, second)).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(loop.times()).containsExactly(0L, 100L);
      assertThat(loop.workQueue.highWater()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void aRetryWaitingForASlotPastItsDeadlineSaysWhyItWasRetrying(Vertx vertx,
      VertxTestContext ctx) {
    // The retry's slot is held by another request until after its deadline.
    loop = loop(vertx, 1, 0, 10, 1).script(0, fails(Kind.CONNECTION), after(500, answer(2)));
    Future<Object> retried = loop.start(300, false, new AttemptCount());
    loop.settled()
        .compose(v -> {
          Future<Object> holder = loop.start(60_000, false, new AttemptCount());
          return loop.drive(Future.join(retried, holder)).otherwiseEmpty().map(holder);
        })
        .onComplete(ctx.succeeding(holder -> ctx.verify(() -> {
          assertThat(holder.result()).isEqualTo(2);
          Answered.byTheRetryLoop(retried.cause(), "deadline passed while waiting in the work "
              + "queue");
          assertThat(retried.cause()).hasMessageEndingWith("; last failure: CONNECTION at URL 0");
          assertThat(loop.counters.unavailable()).isEqualTo(1);
          assertThat(loop.attempts).hasSize(2);
          ctx.completeNow();
        })));
  }

  @Test
  void aBackoffEndingAtTheDeadlineIsAnsweredThenWithoutWaitingInLine(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 10, 1).script(0, fails(Kind.CONNECTION), after(500, answer(2)));
    Future<Object> retried = loop.start(100, false, new AttemptCount());
    loop.settled()
        .compose(v -> {
          Future<Object> holder = loop.start(60_000, false, new AttemptCount());
          return loop.drive(Future.join(retried, holder)).otherwiseEmpty().map(holder);
        })
        .onComplete(ctx.succeeding(holder -> ctx.verify(() -> {
          Answered.byTheRetryLoop(retried.cause(), "CONNECTION at URL 0");
          assertThat(retried.cause()).hasMessageNotContaining("work queue");
          ctx.completeNow();
        })));
  }

  @Test
  void stopAnswersEveryRequestWhereverItIsAndLeavesNothingBehind(Vertx vertx,
      VertxTestContext ctx) {
    // One backing off, one on the wire holding the only slot, one waiting for it.
    loop = loop(vertx, 1, 0, 10, 1).script(0, fails(Kind.CONNECTION), hangs());
    Future<Object> backingOff = loop.start(60_000, false, new AttemptCount());
    Future<Object>[] others = new Future[2];
    int[] queued = new int[2];
    loop.settled()
        .compose(v -> {
          others[0] = loop.start(60_000, false, new AttemptCount());
          return loop.settled();
        })
        .compose(v -> {
          others[1] = loop.start(60_000, false, new AttemptCount());
          return loop.settled();
        })
        .compose(v -> loop.on(() -> {
          queued[0] = loop.workQueue.queued();
          loop.retryLoop.stop();
          queued[1] = loop.workQueue.queued();
        }))
        .compose(v -> loop.settled())
        .compose(v -> loop.request(60_000).otherwise(e -> e))
        .onComplete(ctx.succeeding(afterStop -> ctx.verify(() -> {
          for (Future<Object> answered : List.of(backingOff, others[0], others[1])) {
            Answered.byTheRetryLoop(answered.cause(), RetryLoop.STOPPING);
          }
          Answered.byTheRetryLoop((Throwable) afterStop, RetryLoop.STOPPING);
          assertThat(queued).as("waiting before stop, and at once after").containsExactly(1, 0);
          assertThat(loop.attempts).hasSize(2);
          assertThat(loop.counters.requests()).as("the one after stop not counted").isEqualTo(3);
          assertThat(loop.virtual.nowMs()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void theVerticlesOwn503sAreCountedAsTheLoops(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 3);
    loop.on(() -> loop.retryLoop.recordUnavailable())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(loop.counters.unavailable()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void aFailoverRaisingTheLimitSendsTheRequestsWaitingForASlotAtOnce(Vertx vertx,
      VertxTestContext ctx) {
    // The first URL takes one request at a time (its learnt limit), the second four. W1 times
    // out at the first URL (100 ms) and waits for the slot again, to try the second; F takes
    // the slot meanwhile and is refused (300 ms); W2 (200 ms) waits behind W1. F's failure
    // opens the first URL's circuit: W1 takes F's slot to the second URL, and F's failover
    // raises the limit to four, so W2 and F go on at once instead of after W1's answer.
    loop = new ScriptedLoop(vertx, 2, new RetryLoop.Settings(20, 20, 2_000, 0),
        new Endpoints.BreakerSettings(2, 60_000, 4), 4, ScriptedLoop.floor());
    loop.script(0, after(100, fails(Kind.TIMEOUT)), after(200, fails(Kind.REFUSED)));
    loop.script(1, after(1_500, answer(1)), after(1_500, answer(2)), after(1_500, answer(3)));
    Promise<Object> w2 = Promise.promise();
    loop.on(() -> {
      AdaptiveLimit limit = loop.endpoints.get(0).limit();
      limit.refused(limit.sent());
      loop.virtual.setTimer(200, id -> loop.start(10_000, false, new AttemptCount())
          .onComplete(w2));
    }).compose(v -> {
      Future<Object> w1 = loop.start(10_000, false, new AttemptCount());
      Future<Object> f = loop.start(10_000, false, new AttemptCount());
      return loop.drive(Future.all(w1, f, w2.future()));
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(loop.urls()).containsExactly(0, 0, 1, 1, 1);
      assertThat(loop.times()).containsExactly(0L, 100L, 300L, 300L, 300L);
      assertThat(loop.counters.failovers()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void aNewRequestIsRefusedForAFullLineButARetryWaitsInIt(Vertx vertx, VertxTestContext ctx) {
    // One slot, one place in line: R is retried after a backoff while H holds the slot and N
    // waits; R's retry waits too, the later new request is refused.
    loop = new ScriptedLoop(vertx, 1, settings(0), breakers(10), 1, 1, ScriptedLoop.floor(), 0,
        Endpoints.FleetSettings.NONE);
    loop.script(0, fails(Kind.CONNECTION), after(500, answer("h")), answer("n"),
        answer("r"));
    Future<Object> r = loop.start(60_000, false, new AttemptCount());
    Future<Object>[] more = new Future[3];
    loop.settled()
        .compose(v -> {
          more[0] = loop.start(60_000, false, new AttemptCount());
          return loop.settled();
        })
        .compose(v -> {
          more[1] = loop.start(60_000, false, new AttemptCount());
          return loop.settled();
        })
        .compose(v -> {
          more[2] = loop.start(60_000, false, new AttemptCount());
          return loop.drive(Future.join(r, more[0], more[1], more[2])).otherwiseEmpty();
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(more[2].cause()).isInstanceOf(DaemonException.class)
              .hasMessageContaining("too many requests waiting");
          assertThat(((DaemonException) more[2].cause()).code())
              .isEqualTo(DaemonException.BUSY);
          assertThat(List.of(more[0].result(), more[1].result(), r.result()))
              .containsExactly("h", "n", "r");
          assertThat(loop.counters.unavailable()).as("a refusal is no 503").isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void aFirstWaitForASlotPastItsDeadlineIsTheQueuesOwn503(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 1, 0, 10, 1).script(0, after(500, answer(1)));
    Future<Object> holder = loop.start(60_000, false, new AttemptCount());
    loop.settled()
        .compose(v -> {
          Future<Object> waiter = loop.start(100, false, new AttemptCount());
          return loop.drive(Future.join(holder, waiter)).otherwiseEmpty().map(waiter);
        })
        .onComplete(ctx.succeeding(waiter -> ctx.verify(() -> {
          Answered.byTheRetryLoop(waiter.cause(), "deadline passed while waiting in the work "
              + "queue");
          assertThat(waiter.cause()).hasMessageNotContaining("last failure");
          assertThat(loop.virtual.nowMs()).isEqualTo(500);
          ctx.completeNow();
        })));
  }

  @Test
  void eachBackoffDrawnByTheThreadsGeneratorStaysWithinItsBounds() {
    RetryLoop.Settings settings = settings(0);
    for (int retry = 0; retry < 8; retry++) {
      long ceiling = Math.min(800, 100L << retry);
      assertThat(RetryLoop.backoffMs(settings, retry)).isBetween(100L, ceiling);
    }
  }

  @Test
  void noHedgeToAUrlThatSaidItHasNotTheBlock(Vertx vertx, VertxTestContext ctx) {
    loop = loop(vertx, 2, 200, 3).script(0, notHere()).script(1, after(500, answer("block")));
    loop.request(60_000, true, new AttemptCount())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).isEqualTo("block");
          assertThat(loop.urls()).containsExactly(0, 1);
          assertThat(loop.counters.hedges()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void aChainCheckThatThrowsIsAFailureKeptAtItsUrl(Vertx vertx, VertxTestContext ctx) {
    ChainCheck check = (url, timeoutMs) -> {
      throw new IllegalStateException("check broke");
    };
    loop = new ScriptedLoop(vertx, 1, settings(0), breakers(3), 4, ScriptedLoop.floor(), 0,
        new Endpoints.FleetSettings(check, 0, 10_000, null));
    loop.request(50).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "check broke");
      assertThat(loop.attempts).as("nothing sent to an unchecked URL").isEmpty();
      assertThat(loop.endpoints.get(0).lastFailure()).hasMessageContaining("check broke");
      ctx.completeNow();
    })));
  }

  @Test
  void backoffsUnderACapNearLongMaxValueNeverOverflow() {
    RetryLoop.Settings settings = new RetryLoop.Settings(100, Long.MAX_VALUE, ATTEMPT_MS, 0);
    long last = 0;
    for (int retry = 0; retry < 100; retry++) {
      long drawn = RetryLoop.backoffMs(settings, retry, ScriptedLoop.top());
      assertThat(drawn).as("retry %d", retry).isGreaterThanOrEqualTo(Math.max(100, last));
      last = drawn;
    }
    assertThat(last).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(RetryLoop.backoffMs(settings, 100, ScriptedLoop.floor())).isEqualTo(100);
  }

  @Test
  void aCeilingPastHalfTheCapGoesToTheCapNotPastIt() {
    // 100, 200, 400, 800, then the cap 801 (not 1600); 400 is not past half of 801.
    RetryLoop.Settings settings = new RetryLoop.Settings(100, 801, ATTEMPT_MS, 0);
    assertThat(IntStream.range(0, 6)
        .mapToObj(retry -> RetryLoop.backoffMs(settings, retry, ScriptedLoop.top())))
        .containsExactly(100L, 200L, 400L, 800L, 801L, 801L);
  }

  @Test
  void aCircuitThatOpensAtTheSecondUrlSendsTheRetryToTheFirst(Vertx vertx,
      VertxTestContext ctx) {
    loop = loop(vertx, 2, 0, 1).script(1, fails(Kind.CONNECTION)).script(0, answer(1));
    loop.currentIs(1).compose(v -> loop.request(60_000))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(loop.urls()).containsExactly(1, 0);
          assertThat(loop.times()).containsExactly(0L, 0L);
          assertThat(loop.endpoints.currentIndex()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void aQuarantinedUrlWithNowhereElseToGoBacksOffBetweenAttempts(Vertx vertx,
      VertxTestContext ctx) {
    // The first URL found on another chain while current; the second's circuit is open.
    loop = loop(vertx, 2, 0, 1);
    loop.on(() -> {
      loop.endpoints.get(1).execute(() -> Future.failedFuture(
          new TransientFailure(Kind.CONNECTION, "the second is down")));
      loop.endpoints.get(0).judge(new ChainCheck.Outcome("url0 is on chain main", "main", null,
          true, null));
    }).compose(v -> loop.request(350)).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      Answered.byTheRetryLoop(failure, "url0 is on chain main");
      assertThat(loop.attempts).as("nothing sent to either").isEmpty();
      assertThat(loop.loopTimers).extracting(VirtualTime.Scheduled::delayMs)
          .containsExactly(100L, 100L, 100L, 50L);
      assertThat(loop.counters.transientFailures()).as("one refusal per backoff, no retry "
          + "at once").isEqualTo(4);
      assertThat(loop.endpoints.currentIndex()).isZero();
      ctx.completeNow();
    })));
  }

  private static ScriptedLoop loop(Vertx vertx, int urls, long hedgeAfterMs, int maxFailures) {
    return loop(vertx, urls, hedgeAfterMs, maxFailures, 4);
  }

  private static ScriptedLoop loop(Vertx vertx, int urls, long hedgeAfterMs, int maxFailures,
                                   int maxInFlight) {
    return new ScriptedLoop(vertx, urls, settings(hedgeAfterMs), breakers(maxFailures),
        maxInFlight, ScriptedLoop.floor());
  }

  private static RetryLoop.Settings settings(long hedgeAfterMs) {
    return new RetryLoop.Settings(100, 800, ATTEMPT_MS, hedgeAfterMs);
  }

  private static Endpoints.BreakerSettings breakers(int maxFailures) {
    return new Endpoints.BreakerSettings(maxFailures, 60_000, 10);
  }
}
