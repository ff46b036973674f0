package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
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
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A URL's chain check and those waiting for it, bounded in virtual time: the check by its
 * {@code checkMs} whoever started it, each waiter by its own {@code timeoutMs}.
 */
@ExtendWith(VertxExtension.class)
class UrlStandingTest {

  private static final DaemonUrl URL = DaemonUrl.parse("http://u:p@127.0.0.1:1", 8332, false);

  /** The checks asked for, in order; each answers when the test completes it. */
  private final List<Promise<ChainCheck.Outcome>> checks = new ArrayList<>();
  private final ChainCheck check = (url, timeoutMs) -> {
    Promise<ChainCheck.Outcome> answer = Promise.promise();
    checks.add(answer);
    return answer.future();
  };
  private VirtualTime time;
  private UrlStanding standing;

  @BeforeEach
  void create(Vertx vertx) {
    time = new VirtualTime(vertx.getOrCreateContext());
    standing = new UrlStanding(time);
  }

  private void advance(long ms) throws Exception {
    time.advance(ms).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCheckThatNeverAnswersFailsAtItsBoundAndTheNextAdmissionChecksAgain() throws Exception {
    Future<Void> admitted = standing.admission(check, URL, 1_000, 5_000);
    advance(999);
    assertThat(admitted.isComplete()).as("at 999 ms").isFalse();
    advance(1);
    assertThat(admitted.cause()).as("at 1,000 ms, the check's bound")
        .isInstanceOf(TimeoutException.class).hasMessage("Timeout 1000 (ms) fired");
    assertThat(standing.verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
    assertThat(time.pending()).as("the waiter's bound, cancelled").isZero();
    Future<Void> again = standing.admission(check, URL, 1_000, 5_000);
    assertThat(checks).as("a check of its own, not the one given up").hasSize(2);
    checks.get(1).complete(ChainCheck.Outcome.GOOD);
    assertThat(again.succeeded()).isTrue();
    assertThat(standing.verdict()).isEqualTo(UrlStanding.Verdict.GOOD);
  }

  @Test
  void aWaiterGivesUpAtItsOwnBoundWhileTheSharedCheckGoesOn() throws Exception {
    Future<Void> brief = standing.admission(check, URL, 10_000, 2_000);
    Future<Void> patient = standing.admission(check, URL, 10_000, 5_000);
    assertThat(checks).as("one check for both").hasSize(1);
    advance(1_999);
    assertThat(brief.isComplete()).as("at 1,999 ms").isFalse();
    advance(1);
    assertThat(brief.cause()).as("at 2,000 ms").isInstanceOf(TimeoutException.class)
        .hasMessage("Timeout 2000 (ms) fired");
    assertThat(patient.isComplete()).as("its bound is 5,000 ms").isFalse();
    checks.get(0).complete(ChainCheck.Outcome.GOOD);
    assertThat(patient.succeeded()).isTrue();
    assertThat(standing.verdict()).isEqualTo(UrlStanding.Verdict.GOOD);
    assertThat(time.pending()).as("the check's bound (id 0) and the waiter's, cancelled")
        .isZero();
  }

  @Test
  void aWaiterOfAFailedCheckHasItsFailureBeforeItsBound() throws Exception {
    Future<Void> admitted = standing.admission(check, URL, 1_000, 5_000);
    advance(500);
    IllegalStateException refused = new IllegalStateException("connection refused");
    checks.get(0).fail(refused);
    assertThat(admitted.cause()).isSameAs(refused);
    assertThat(time.pending()).isZero();
    assertThat(standing.verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
  }

  @Test
  void aCheckAnsweredUselesslyLetsTheUrlServeUnverifiedAndAnUnansweredOneDoesNot() {
    List<Throwable> useless = List.of(
        DaemonException.unavailable("the daemon said no"),
        new TransientFailure(
            TransientFailure.Kind.PARSE_ERROR, "not JSON"),
        new TransientFailure(
            TransientFailure.Kind.TOO_LONG, "too long"));
    for (Throwable answer : useless) {
      UrlStanding fresh = new UrlStanding(time);
      Future<Void> admitted = fresh.admission((url, ms) -> Future.failedFuture(answer), URL,
          1_000, 5_000);
      assertThat(admitted.succeeded()).as(answer.getMessage()).isTrue();
      assertThat(fresh.verdict()).as(answer.getMessage())
          .isEqualTo(UrlStanding.Verdict.UNVERIFIED);
      fresh.doubt();
      assertThat(fresh.verdict()).as("an unverified URL doubted is checked again")
          .isEqualTo(UrlStanding.Verdict.UNCHECKED);
    }
    Future<Void> refused = standing.admission((url, ms) -> Future.failedFuture(
        new TransientFailure(
            TransientFailure.Kind.WARMING_UP, "warming up")),
        URL, 1_000, 5_000);
    assertThat(refused.failed()).isTrue();
    assertThat(standing.verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
  }

  @Test
  void aCheckKeepsTheChainAndWhatThePollSaw() {
    standing.judged(new ChainCheck.Outcome(null, "regtest",
        new UrlPoll(120, 125, true, 7), true, null));
    assertThat(standing.chain()).isEqualTo("regtest");
    assertThat(standing.height()).isEqualTo(120);
    assertThat(standing.headers()).isEqualTo(125);
    assertThat(standing.syncing()).isTrue();
    assertThat(standing.pruneHeight()).isEqualTo(7);
    standing.judged(new ChainCheck.Outcome(null, null, null, false, null));
    assertThat(standing.chain()).as("a check that did not say keeps what was said")
        .isEqualTo("regtest");
    assertThat(standing.verdict()).isEqualTo(UrlStanding.Verdict.GOOD);
    standing.doubt();
    assertThat(standing.verdict()).isEqualTo(UrlStanding.Verdict.UNCHECKED);
    standing.judged(new ChainCheck.Outcome("on chain main", "main", null, true, null));
    standing.doubt();
    assertThat(standing.verdict()).as("quarantined until a check passes")
        .isEqualTo(UrlStanding.Verdict.QUARANTINED);
  }
}
