package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import org.junit.jupiter.api.Test;

class FailureLogTest {

  private static final DaemonUrl FIRST = DaemonUrl.parse("http://u:p@127.0.0.1:1", 8332, false);
  private static final DaemonUrl SECOND = DaemonUrl.parse("http://u:p@127.0.0.1:2", 8332, false);

  private static TransientFailure wrong(DaemonUrl url) {
    return new TransientFailure(TransientFailure.Kind.WRONG_BYTES, "wrong bytes from " + url);
  }

  /** Each URL serving other data is one the operator must hear of, whatever another does. */
  @Test
  void wrongBytesAreLoggedOnceAMinutePerUrl() {
    FailureLog log = new FailureLog();
    try (LogCapture logs = LogCapture.start()) {
      log.failed(wrong(FIRST), FIRST);
      log.failed(wrong(FIRST), FIRST);
      log.failed(wrong(SECOND), SECOND);
      log.failed(wrong(SECOND), SECOND);
      log.failed(wrong(FIRST), FIRST);
      assertThat(logs.linesWith("wrong bytes from " + FIRST)).hasSize(1);
      assertThat(logs.linesWith("wrong bytes from " + SECOND)).hasSize(1);
    }
  }

  /** Any other kind is logged once a minute whichever URL failed, as before. */
  @Test
  void otherKindsAreLoggedOnceAMinuteWhateverTheUrl() {
    FailureLog log = new FailureLog();
    try (LogCapture logs = LogCapture.start()) {
      log.failed(new TransientFailure(TransientFailure.Kind.TIMEOUT, "timeout at first"), FIRST);
      log.failed(new TransientFailure(TransientFailure.Kind.TIMEOUT, "timeout at second"),
          SECOND);
      assertThat(logs.linesWith("timeout at")).hasSize(1);
    }
  }
}
