package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.time.NanoClock;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Once a minute per kind (per URL for wrong bytes), on a clock the test sets: the minute is
 * asserted to the millisecond, and takes none.
 */
class FailureLogTest {

  private static final DaemonUrl FIRST = DaemonUrl.parse("http://u:p@127.0.0.1:1", 8332, false);
  private static final DaemonUrl SECOND = DaemonUrl.parse("http://u:p@127.0.0.1:2", 8332, false);

  /** Far from 0, as the machine's clock: a "last logged" of 0 meaning "never" shows itself. */
  private final long[] nowNanos = {TimeUnit.DAYS.toNanos(3)};
  private final NanoClock clock = () -> nowNanos[0];

  private void at(long ms) {
    nowNanos[0] = TimeUnit.DAYS.toNanos(3) + TimeUnit.MILLISECONDS.toNanos(ms);
  }

  private static TransientFailure wrong(DaemonUrl url) {
    return new TransientFailure(TransientFailure.Kind.WRONG_BYTES, "wrong bytes from " + url);
  }

  private static TransientFailure timeout(String text) {
    return new TransientFailure(TransientFailure.Kind.TIMEOUT, text);
  }

  /** Each URL serving other data is one the operator must hear of, whatever another does. */
  @Test
  void wrongBytesAreLoggedOnceAMinutePerUrl() {
    FailureLog log = new FailureLog(clock);
    try (LogCapture logs = LogCapture.start()) {
      log.failed(wrong(FIRST), FIRST);
      at(10_000);
      log.failed(wrong(FIRST), FIRST);
      log.failed(wrong(SECOND), SECOND);
      at(59_999);
      log.failed(wrong(FIRST), FIRST);
      assertThat(logs.linesWith("wrong bytes from " + FIRST)).hasSize(1);
      at(60_000);
      log.failed(wrong(FIRST), FIRST);
      log.failed(wrong(SECOND), SECOND);
      assertThat(logs.linesWith("wrong bytes from " + FIRST)).as("a minute after its first")
          .hasSize(2);
      assertThat(logs.linesWith("wrong bytes from " + SECOND))
          .as("its own minute began at 10 s").hasSize(1);
      at(70_000);
      log.failed(wrong(SECOND), SECOND);
      assertThat(logs.linesWith("wrong bytes from " + SECOND)).hasSize(2);
    }
  }

  /** Any other kind is logged once a minute whichever URL failed, as before. */
  @Test
  void otherKindsAreLoggedOnceAMinuteWhateverTheUrl() {
    FailureLog log = new FailureLog(clock);
    try (LogCapture logs = LogCapture.start()) {
      log.failed(timeout("timeout at first"), FIRST);
      log.failed(timeout("timeout at second"), SECOND);
      at(59_999);
      log.failed(timeout("timeout at first"), FIRST);
      assertThat(logs.linesWith("timeout at")).hasSize(1);
      at(60_000);
      log.failed(timeout("timeout at second"), SECOND);
      assertThat(logs.linesWith("timeout at")).containsExactly(
          logs.linesWith("timeout at first").get(0), logs.linesWith("timeout at second").get(0));
    }
  }

  /**
   * The daemon back is said once after a logged failure, and does not restart the minute: a
   * flaky proxy failing a few attempts in a hundred still gets one line a minute.
   */
  @Test
  void aRecoveryIsSaidOnceAndLeavesTheMinuteRunning() {
    FailureLog log = new FailureLog(clock);
    try (LogCapture logs = LogCapture.start()) {
      log.failed(timeout("timeout one"), FIRST);
      at(1_000);
      log.answered();
      log.answered();
      assertThat(logs.linesWith("connection restored")).hasSize(1);
      at(2_000);
      log.failed(timeout("timeout two"), FIRST);
      at(3_000);
      log.answered();
      assertThat(logs.linesWith("timeout two")).as("within the minute of the first").isEmpty();
      assertThat(logs.linesWith("connection restored"))
          .as("nothing logged went wrong since the last").hasSize(1);
      at(60_000);
      log.failed(timeout("timeout three"), FIRST);
      log.answered();
      assertThat(logs.linesWith("timeout three")).hasSize(1);
      assertThat(logs.linesWith("connection restored")).hasSize(2);
    }
  }
}
