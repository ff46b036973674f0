package io.daemonverticle.impl.bus;

import io.daemonverticle.ActionSpec;

/**
 * Told of every answered request: what the service offers to whoever measures it (the
 * metrics room implements it; the service does not know who listens).
 */
@FunctionalInterface
public interface RequestListener {

  /** Listens to nothing. */
  RequestListener NONE = (spec, code, startedNanos, reply) -> { };

  /**
   * @param spec         the action's declaration; null for a name the service does not serve
   * @param code         0 for an answer, else the failure code
   * @param startedNanos when the request was taken, on {@link System#nanoTime()}
   * @param reply        the answer, or null
   */
  void answered(ActionSpec spec, int code, long startedNanos, Object reply);
}
