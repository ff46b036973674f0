package io.daemonverticle.impl.service;

import io.vertx.core.Future;

/**
 * A running service instance as health and metrics see it, from other event loops: a
 * snapshot of what it is doing, and the two things only the cluster knows, each read with a
 * bound on the wait.
 */
public interface LiveInstance {

  /** What it is doing now. */
  ServiceSnapshot snapshot();

  /** How often it polls the daemon's height; 0 when it does not. */
  long heightPollMs();

  /** The last height any node saw, from the cluster's map, waited for at most this long. */
  Future<Integer> cachedHeight(long timeoutMs);

  /** When a daemon last confirmed the cached height (epoch ms; null: never), likewise. */
  Future<Long> heightConfirmedAt(long timeoutMs);
}
