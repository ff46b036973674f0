package io.daemonverticle.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;

/**
 * Which part of the service gave a 503: the retry loop answers with the transport's own
 * failure (which names the URL, credentials removed); the dispatcher's safety net, which
 * fires only for a bug, answers with its own text. A "503" assertion alone cannot tell them
 * apart.
 */
public final class Answered {

  /** The dispatcher's safety net's text (RequestDispatcher). */
  public static final String SAFETY_NET = "no answer from the daemon by the deadline";

  private Answered() {
  }

  /** A 503 from the retry loop, saying {@code cause} (the transport's failure). */
  public static void byTheRetryLoop(Throwable failure, String cause) {
    assertThat(failure).isInstanceOf(DaemonException.class);
    assertThat(((DaemonException) failure).code()).isEqualTo(DaemonException.UNAVAILABLE);
    assertThat(failure.getMessage()).doesNotContain(SAFETY_NET).contains(cause);
  }
}
