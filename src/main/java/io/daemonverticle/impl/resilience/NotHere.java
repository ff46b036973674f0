package io.daemonverticle.impl.resilience;

import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The daemon's answer that it does not have what was asked while another daemon may have it:
 * a pruned node asked for a block it has discarded. An answer, not a failure of its URL (its
 * circuit and its run of failures are untouched, as for any JSON-RPC error): {@link RetryLoop}
 * asks each other URL whose circuit is not open once, and when none has it answers with the
 * daemon's own error, {@link #answer()} (422).
 */
public final class NotHere extends DaemonException {

  private final DaemonRpcException answer;

  public NotHere(DaemonRpcException answer) {
    super(ReplyFailure.RECIPIENT_FAILURE, answer.code(), answer.getMessage(),
        answer.debugInfo());
    this.answer = answer;
  }

  /** What the request is answered with when no URL has it: the daemon's error. */
  public DaemonRpcException answer() {
    return answer;
  }
}
