package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.transport.TransientFailure;
import org.junit.jupiter.api.Test;

/** A connection the daemon closed under a request at its server timeout, told apart. */
class ServerTimeoutTest {

  private static TransientFailure failure(TransientFailure.Kind kind) {
    return new TransientFailure(kind, "test");
  }

  @Test
  void aDisconnectAfterAboutThirtySecondsIsTheServerTimeoutAndNothingElseIs() {
    assertThat(RetryLoop.closedByServerTimeout(failure(TransientFailure.Kind.DISCONNECTED),
        29_000)).isTrue();
    assertThat(RetryLoop.closedByServerTimeout(failure(TransientFailure.Kind.DISCONNECTED),
        28_999)).as("a second short of it at most").isFalse();
    assertThat(RetryLoop.closedByServerTimeout(failure(TransientFailure.Kind.TIMEOUT),
        31_000)).as("our own timeout").isFalse();
    assertThat(RetryLoop.closedByServerTimeout(failure(TransientFailure.Kind.CONNECTION),
        31_000)).isFalse();
  }
}
