package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The URL choice when URLs mislead (issue 31), in virtual time (the fleet's clock and the
 * checks' bounds are a {@link VirtualTime} the test moves): a quarantined URL is never chosen and is left at once; a lagging
 * one (maxLagBlocks or more behind the best height of the last minute, or syncing) is the last
 * choice; the best height forgets a URL's height after a minute; a check is shared by the
 * attempts that wait for it, and a URL is doubted (checked again) after its connection was
 * refused or its circuit opened.
 */
@ExtendWith(VertxExtension.class)
class EndpointsFleetTest {

  private static final int MAX_LAG = 2;

  private final List<Endpoints> made = new ArrayList<>();
  private VirtualTime time;
  private final AtomicInteger checks = new AtomicInteger();
  /** What the next checks answer: null, a good chain. */
  private volatile String mismatch;
  private volatile Promise<ChainCheck.Outcome> pending;

  @BeforeEach
  void time(Vertx vertx) {
    time = new VirtualTime(vertx.getOrCreateContext());
  }

  /** Moves the fleet's time on by {@code nanos}, firing whatever falls due. */
  private void pass(long nanos) {
    try {
      time.advanceNanos(nanos).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @AfterEach
  void close() {
    made.forEach(Endpoints::close);
  }

  private Endpoints endpoints(Vertx vertx, int urls) {
    return endpoints(vertx, urls, 1);
  }

  private Endpoints endpoints(Vertx vertx, int urls, int maxFailures) {
    List<DaemonUrl> list = new ArrayList<>();
    for (int i = 0; i < urls; i++) {
      list.add(DaemonUrl.parse("http://u:p@127.0.0.1:" + (2000 + i) + "/", null, false));
    }
    ChainCheck check = (url, timeoutMs) -> {
      checks.incrementAndGet();
      if (pending != null) {
        return pending.future();
      }
      return Future.succeededFuture(new ChainCheck.Outcome(
          mismatch == null ? null : url + " " + mismatch, "regtest", null, true, null));
    };
    Endpoints e = new Endpoints(vertx, list, new Endpoints.BreakerSettings(maxFailures, 60_000, 8),
        new RpcCounters(), new CircuitEvents(vertx, null),
        new Endpoints.FleetSettings(check, MAX_LAG, 1_000, time));
    made.add(e);
    return e;
  }

  private static void settle(Future<?> attempt) {
    try {
      attempt.otherwiseEmpty().toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ChainCheck.Outcome wrong(String why) {
    return new ChainCheck.Outcome(why, "main", null, true, null);
  }

  private static ChainCheck.Outcome at(int height) {
    return new ChainCheck.Outcome(null, "regtest", new UrlPoll(height, height, false, null),
        false, null);
  }

  @Test
  void aQuarantinedUrlIsLeftAtOnceAndNeverTheAlternative(Vertx vertx) {
    Endpoints e = endpoints(vertx, 3);
    e.judged(0, wrong("url0 is on chain main"));
    assertThat(e.currentIndex()).as("left at once for the next").isEqualTo(1);
    assertThat(e.get(0).standing().quarantined()).isTrue();
    assertThat(e.alternative(2)).as("wraps past the quarantined first").isEqualTo(1);
    assertThat(e.alternative(1)).isEqualTo(2);
    e.judged(2, wrong("url2 is on chain test"));
    assertThat(e.alternative(1)).as("none left but itself").isEqualTo(-1);
    assertThat(e.allQuarantined()).isFalse();
    e.judged(1, wrong("url1 is on chain main"));
    assertThat(e.allQuarantined()).isTrue();
    assertThat(e.quarantineSummary())
        .isEqualTo("url0 is on chain main; url1 is on chain main; url2 is on chain test");
  }

  @Test
  void aFullCheckWithoutMismatchLiftsTheQuarantineAndAPartialOneDoesNot(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, wrong("url0 is on chain main"));
    e.judged(0, at(10));
    assertThat(e.get(0).standing().quarantined()).as("a poll alone proves nothing").isTrue();
    e.judged(0, new ChainCheck.Outcome(null, "regtest", null, true, null));
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.GOOD);
    assertThat(e.get(0).standing().quarantineReason()).isNull();
    e.judged(0, new ChainCheck.Outcome(null, "regtest", null, true, "no block 0"));
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNVERIFIED);
  }

  @Test
  void aUrlMaxLagBlocksBehindIsTheLastChoiceAndOneBlockIsNot(Vertx vertx) {
    Endpoints e = endpoints(vertx, 3);
    e.judged(1, at(100));
    e.judged(2, at(100));
    e.judged(0, at(100 - (MAX_LAG - 1)));
    assertThat(e.lagging(0)).as("one block less than maxLagBlocks behind").isFalse();
    assertThat(e.currentIndex()).isZero();
    e.judged(0, at(100 - MAX_LAG));
    assertThat(e.behind(0)).isEqualTo(MAX_LAG);
    assertThat(e.lagging(0)).isTrue();
    assertThat(e.currentIndex()).as("left for a URL that is not behind").isEqualTo(1);
    assertThat(e.alternative(1)).as("the other URL not behind, before the one behind")
        .isEqualTo(2);
    e.judged(2, at(90));
    assertThat(e.alternative(1)).as("both others behind: the next one").isEqualTo(2);
    assertThat(e.behind(2)).isEqualTo(10);
  }

  @Test
  void aLaggingUrlIsLeftOnlyForOneThatIsNot(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(50));
    e.judged(1, at(49));
    assertThat(e.currentIndex()).isZero();
    e.judged(0, at(30));
    assertThat(e.lagging(0)).as("50 was seen in the last minute").isTrue();
    assertThat(e.currentIndex()).as("moves to the URL that is not behind").isEqualTo(1);
    e.judged(1, at(20));
    e.judged(0, at(40));
    assertThat(e.lagging(0)).isTrue();
    assertThat(e.currentIndex()).as("both behind: no reason to move").isEqualTo(1);
    pass(TimeUnit.SECONDS.toNanos(61));
    e.judged(0, at(40));
    assertThat(e.bestHeight()).as("50 forgotten; 20 is older than a minute too")
        .isEqualTo(40);
    assertThat(e.lagging(0)).isFalse();
  }

  @Test
  void theBestHeightForgetsAUrlsHeightAfterAMinute(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(30));
    e.judged(1, at(90));
    assertThat(e.bestHeight()).isEqualTo(100);
    pass(TimeUnit.SECONDS.toNanos(30));
    assertThat(e.bestHeight()).as("exactly a minute old still counts").isEqualTo(100);
    pass(1);
    assertThat(e.bestHeight()).as("older than a minute").isEqualTo(90);
    assertThat(e.behind(1)).isZero();
    assertThat(e.lagging(1)).isFalse();
  }

  @Test
  void aSyncingUrlLagsWhateverItsHeight(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, new ChainCheck.Outcome(null, "regtest", new UrlPoll(100, 200, true, null),
        false, null));
    e.judged(1, at(99));
    assertThat(e.lagging(0)).isTrue();
    assertThat(e.currentIndex()).isEqualTo(1);
    assertThat(e.get(0).standing().headers()).isEqualTo(200);
  }

  @Test
  void oneCheckIsSharedByTheAttemptsThatWaitAndAQuarantineFailsThemAll(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    pending = Promise.promise();
    Future<Void> a = e.get(0).admission(1_000);
    Future<Void> b = e.get(0).admission(1_000);
    assertThat(checks.get()).as("one check for both").isEqualTo(1);
    assertThat(a.isComplete()).isFalse();
    pending.complete(wrong("url0 is on chain main"));
    assertThat(a.failed()).isTrue();
    assertThat(b.failed()).isTrue();
    assertThat(((TransientFailure) a.cause()).kind())
        .isEqualTo(TransientFailure.Kind.QUARANTINED);
    assertThat(a.cause()).hasMessage("url0 is on chain main");
    pending = null;
    assertThat(e.get(0).admission(1_000).failed()).as("refused without a new check").isTrue();
    assertThat(checks.get()).isEqualTo(1);
  }

  @Test
  void aCheckAnsweredWithAnErrorLetsTheRequestGoUnverified(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1);
    pending = Promise.promise();
    Future<Void> a = e.get(0).admission(1_000);
    pending.fail(new TransientFailure(TransientFailure.Kind.PARSE_ERROR, "not JSON-RPC"));
    assertThat(a.succeeded()).isTrue();
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNVERIFIED);
    pending = null;
    assertThat(e.get(0).admission(1_000).succeeded()).isTrue();
    assertThat(checks.get()).as("not checked before each request").isEqualTo(1);
  }

  @Test
  void aCheckThatGetsNoAnswerFailsTheAttemptAndIsRunAgainNextTime(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1);
    pending = Promise.promise();
    Future<Void> a = e.get(0).admission(1_000);
    pending.fail(new TransientFailure(TransientFailure.Kind.CONNECTION, "refused"));
    assertThat(a.failed()).isTrue();
    assertThat(a.cause()).hasMessage("refused");
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
    pending = null;
    assertThat(e.get(0).admission(1_000).succeeded()).isTrue();
    assertThat(checks.get()).isEqualTo(2);
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.GOOD);
  }

  @Test
  void aRefusedConnectionOrAnOpenCircuitMakesTheUrlBeCheckedAgain(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    assertThat(e.get(0).admission(1_000).succeeded()).isTrue();
    settle(e.get(0).execute(() -> Future.failedFuture(
        new TransientFailure(TransientFailure.Kind.TIMEOUT, "slow"))));
    // One failure opens this breaker (breakerMaxFailures 1): the circuit opened.
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
    assertThat(e.get(1).admission(1_000).succeeded()).isTrue();
    assertThat(e.get(1).standing().verdict()).isEqualTo(UrlStanding.Verdict.GOOD);
    settle(e.get(1).execute(() -> Future.failedFuture(new java.net.ConnectException(
        "Connection refused"))));
    assertThat(e.get(1).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
  }

  @Test
  void aQuarantineIsNoFailureOfTheUrl(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, wrong("url0 is on chain main"));
    Future<Object> attempt = e.get(0).execute(() -> e.get(0).admission(1_000).map(v -> null));
    settle(attempt);
    assertThat(attempt.failed()).isTrue();
    assertThat(e.get(0).failureCount()).as("not counted toward its circuit").isZero();
    assertThat(e.get(0).limit().inFlight()).isZero();
  }

  @Test
  void theAlternativeSkipsALaggingUrlForALaterOneThatIsNotAndElseTakesTheFirstLagging(
      Vertx vertx) {
    Endpoints e = endpoints(vertx, 3);
    e.judged(0, at(100));
    e.judged(1, at(90));
    e.judged(2, at(100));
    assertThat(e.alternative(0)).as("past the lagging second to the third").isEqualTo(2);
    e.judged(0, at(80));
    assertThat(e.alternative(2)).as("both others lag: the first of them in order")
        .isZero();
  }

  @Test
  void aUrlsOwnHeightExactlyAMinuteOldStillCountsWhenTheBestIsForgotten(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(30));
    e.judged(1, at(90));
    pass(TimeUnit.SECONDS.toNanos(60));
    assertThat(e.bestHeight()).as("100 is 90 s old; the second URL's 90 exactly a minute")
        .isEqualTo(90);
    pass(1);
    assertThat(e.bestHeight()).as("nothing seen in the last minute").isNull();
  }

  @Test
  void reconsiderSaysWhetherItMoved(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    assertThat(e.reconsider()).as("nothing known: stays").isFalse();
    e.judged(0, at(100));
    e.judged(1, at(100));
    assertThat(e.reconsider()).as("neither lags").isFalse();
    e.get(0).standing().judged(at(90));
    assertThat(e.reconsider()).isTrue();
    assertThat(e.currentIndex()).isEqualTo(1);
    assertThat(e.reconsider()).as("already on the URL that does not lag").isFalse();
    Endpoints single = endpoints(vertx, 1);
    single.get(0).standing().judged(wrong("url0 is on chain main"));
    assertThat(single.reconsider()).as("nowhere else to go").isFalse();
  }

  @Test
  void aHeightSeenAgainKeepsTheBestForAnotherMinuteAfterItsUrlGoesLower(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(59));
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(1));
    e.judged(0, at(90));
    e.judged(1, at(90));
    pass(TimeUnit.SECONDS.toNanos(30));
    assertThat(e.bestHeight()).as("seen again 31 s ago").isEqualTo(100);
    pass(TimeUnit.SECONDS.toNanos(29));
    assertThat(e.bestHeight()).as("exactly a minute after it was last seen").isEqualTo(100);
    pass(1);
    assertThat(e.bestHeight()).isEqualTo(90);
  }


  @Test
  void aRefusedConnectionDoubtsTheUrlWhileItsCircuitStaysClosed(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 3);
    assertThat(e.get(0).admission(1_000).succeeded()).isTrue();
    settle(e.get(0).execute(() -> Future.failedFuture(
        new TransientFailure(TransientFailure.Kind.TIMEOUT, "slow"))));
    assertThat(e.get(0).standing().verdict()).as("a timeout is no other daemon")
        .isEqualTo(UrlStanding.Verdict.GOOD);
    settle(e.get(0).execute(() -> Future.failedFuture(new java.net.ConnectException(
        "Connection refused"))));
    assertThat(e.get(0).circuitState()).isEqualTo(io.vertx.circuitbreaker.CircuitBreakerState.CLOSED);
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
  }

  @Test
  void a401DoubtsTheUrlItsCookieIsReadAgainAndAnotherRefusalDoesNot(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 5);
    assertThat(e.get(0).admission(1_000).succeeded()).isTrue();
    settle(e.get(0).execute(() -> Future.failedFuture(new TransientFailure(
        TransientFailure.Kind.REFUSED, "daemon service refused: 403 Forbidden", 403))));
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.GOOD);
    settle(e.get(0).execute(() -> Future.failedFuture(new TransientFailure(
        TransientFailure.Kind.REFUSED, "daemon service refused: 401 Unauthorized", 401))));
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
  }

  @Test
  void anUnverifiedUrlIsDoubtedTooAndADaemonErrorToTheCheckLeavesItUnverified(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 3);
    pending = Promise.promise();
    Future<Void> a = e.get(0).admission(1_000);
    pending.fail(io.daemonverticle.DaemonException.unavailable("no batches here"));
    assertThat(a.succeeded()).isTrue();
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNVERIFIED);
    settle(e.get(0).execute(() -> Future.failedFuture(new java.net.ConnectException(
        "Connection refused"))));
    assertThat(e.get(0).standing().verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
  }

  @Test
  void theBestHeightSeenCountsForAMinuteEvenWhenItsUrlWentLower(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1);
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(30));
    e.judged(0, at(90));
    pass(TimeUnit.SECONDS.toNanos(30));
    assertThat(e.bestHeight()).as("100, seen exactly a minute ago").isEqualTo(100);
    pass(1);
    assertThat(e.bestHeight()).as("100 forgotten: the URL's own 90").isEqualTo(90);
  }

  @Test
  void heightsSeenOnlyByAdmissionChecksCountForAMinuteTheHighestFirst(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    for (int url = 0; url < 2; url++) {
      pending = Promise.promise();
      Future<Void> admitted = e.get(url).admission(1_000);
      int height = 100 + 20 * url;
      pending.complete(new ChainCheck.Outcome(null, "regtest",
          new UrlPoll(height, height, false, null), true, null));
      assertThat(admitted.succeeded()).isTrue();
    }
    assertThat(e.bestHeight()).as("the second URL's, higher").isEqualTo(120);
    pass(TimeUnit.MINUTES.toNanos(1));
    assertThat(e.bestHeight()).isEqualTo(120);
    pass(1);
    assertThat(e.bestHeight()).isNull();
  }

  @Test
  void aBestHeightExactlyAMinuteOldIsNotYetReplacedByALowerOne(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(1));
    e.judged(0, at(70));
    pass(TimeUnit.SECONDS.toNanos(59));
    e.judged(1, at(80));
    assertThat(e.bestHeight()).as("100, seen exactly a minute ago").isEqualTo(100);
  }

  @Test
  void aLaggingUrlIsNotLeftForAnotherLaggingOne(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(50));
    e.judged(1, at(50 - MAX_LAG - 3));
    e.judged(0, at(50 - MAX_LAG - 4));
    assertThat(e.lagging(0)).isTrue();
    assertThat(e.lagging(1)).isTrue();
    assertThat(e.currentIndex()).as("no better URL to go to").isZero();
  }

  @Test
  void aPollsHeightIsTheBestForAMinuteEvenWhenTheUrlGoesLower(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1);
    e.polled(0, new UrlPoll(100, 100, false, null));
    e.polled(0, new UrlPoll(90, 90, false, null));
    assertThat(e.bestHeight()).isEqualTo(100);
    assertThat(e.behind(0)).isEqualTo(10);
  }

  @Test
  void theSameBestHeightSeenAgainCountsForAnotherMinute(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(50));
    e.judged(1, at(100));
    pass(TimeUnit.SECONDS.toNanos(5));
    e.judged(1, at(90));
    pass(TimeUnit.SECONDS.toNanos(6));
    assertThat(e.bestHeight()).as("100 seen again 11 s ago; no URL says it now")
        .isEqualTo(100);
  }

  @Test
  void aBestHeightOlderThanAMinuteGivesWayToALowerOne(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(100));
    pass(TimeUnit.SECONDS.toNanos(61));
    e.judged(1, at(80));
    pass(TimeUnit.SECONDS.toNanos(1));
    e.judged(1, at(70));
    assertThat(e.bestHeight()).as("80, seen a second ago, over the URL's own 70")
        .isEqualTo(80);
    assertThat(e.behind(1)).isEqualTo(10);
  }

  @Test
  void withMaxLagBlocksZeroNoUrlLagsWhateverItsHeight(Vertx vertx) {
    List<DaemonUrl> list = List.of(DaemonUrl.parse("http://u:p@127.0.0.1:2000/", null, false),
        DaemonUrl.parse("http://u:p@127.0.0.1:2001/", null, false));
    Endpoints e = new Endpoints(vertx, list, new Endpoints.BreakerSettings(1, 60_000, 8),
        new RpcCounters(), new CircuitEvents(vertx, null),
        new Endpoints.FleetSettings(ChainCheck.NONE, 0, 1_000, time));
    made.add(e);
    e.judged(0, at(10));
    e.judged(1, at(100));
    assertThat(e.behind(0)).isEqualTo(90);
    assertThat(e.lagging(0)).isFalse();
    assertThat(e.currentIndex()).isZero();
  }

  @Test
  void aLaggingSecondUrlIsLeftForTheFirst(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(1, at(50));
    e.judged(0, wrong("url0 is on chain main"));
    e.judged(0, new ChainCheck.Outcome(null, "regtest", new UrlPoll(50, 50, false, null), true,
        null));
    assertThat(e.currentIndex()).isEqualTo(1);
    e.judged(1, at(50 - MAX_LAG));
    assertThat(e.currentIndex()).as("the first URL is not behind").isZero();
  }

  @Test
  void aQuarantinedUrlIsLeftEvenForALaggingOne(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(50));
    e.judged(1, at(50 - MAX_LAG));
    assertThat(e.lagging(1)).isTrue();
    e.judged(0, wrong("url0 is on chain main"));
    assertThat(e.currentIndex()).as("behind, but on our chain").isEqualTo(1);
  }

  @Test
  void aQuarantinedUrlsHeightIsNoMark(Vertx vertx) {
    // A URL on another chain (mainnet, far higher) must not make ours look behind.
    Endpoints e = endpoints(vertx, 2);
    e.judged(0, at(100));
    e.judged(1, new ChainCheck.Outcome("url1 is on chain main", "main",
        new UrlPoll(900_000, 900_000, false, null), true, null));
    e.polled(1, new UrlPoll(900_001, 900_001, false, null));
    assertThat(e.get(1).standing().height()).as("its own height is kept").isEqualTo(900_001);
    assertThat(e.bestHeight()).isEqualTo(100);
    assertThat(e.lagging(0)).isFalse();
  }

  @Test
  void aPollKeepsTheUrlsHeightAndTheBestAndMovesOffALaggingUrl(Vertx vertx) {
    Endpoints e = endpoints(vertx, 2);
    e.polled(1, new UrlPoll(100, 100, false, null));
    e.polled(0, new UrlPoll(100 - MAX_LAG, 100 - MAX_LAG, false, null));
    assertThat(e.get(0).standing().height()).isEqualTo(100 - MAX_LAG);
    assertThat(e.bestHeight()).isEqualTo(100);
    assertThat(e.currentIndex()).as("left for the URL not behind").isEqualTo(1);
  }

  @Test
  void eachVerdictChangeIsLoggedOnceWhereverItCameFrom(Vertx vertx) {
    try (LogCapture logs = LogCapture.start()) {
      Endpoints e = endpoints(vertx, 2);
      e.judged(0, wrong("url0 is on chain main"));
      e.judged(0, wrong("url0 is on chain main"));
      e.judged(0, new ChainCheck.Outcome(null, "regtest", null, true, null));
      e.judged(0, new ChainCheck.Outcome(null, "regtest", null, true, null));
      mismatch = "is on chain test";
      settle(e.get(1).check());
      settle(e.get(1).check());
      mismatch = "is on chain regtest2";
      e.get(0).standing().doubt();
      settle(e.get(0).admission(1_000));
      List<String> lines = logs.lines().stream()
          .filter(l -> l.contains(Endpoints.class.getName()))
          .map(l -> l.replace(Endpoints.class.getName() + " - ", "")).toList();
      assertThat(lines).containsExactly(
          "WARN quarantined: url0 is on chain main",
          "INFO leaving a quarantined URL for 127.0.0.1:2001/",
          "INFO 127.0.0.1:2000/ passed its chain check: out of quarantine",
          "WARN quarantined: 127.0.0.1:2001/ is on chain test",
          "WARN quarantined: 127.0.0.1:2000/ is on chain regtest2");
    }
  }

  @Test
  void aUrlsCheckIsBoundedOnTheFleetsTimers(Vertx vertx) throws Exception {
    Endpoints e = new Endpoints(vertx,
        List.of(DaemonUrl.parse("http://u:p@127.0.0.1:2000/", null, false)),
        new Endpoints.BreakerSettings(1, 60_000, 8), new RpcCounters(),
        new CircuitEvents(vertx, null), new Endpoints.FleetSettings(
            (url, ms) -> Promise.<ChainCheck.Outcome>promise().future(), MAX_LAG, 1_000,
            time));
    made.add(e);
    Future<Void> admitted = e.get(0).admission(5_000);
    time.advance(1_000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(admitted.cause()).as("at the check's 1,000 ms of virtual time")
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
  }
}
