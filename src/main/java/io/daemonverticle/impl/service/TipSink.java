package io.daemonverticle.impl.service;

import io.daemonverticle.impl.cluster.Tip;
import io.vertx.core.Future;

/**
 * Where a push source of the tip (the long-poll) tells what it saw: {@link TipFollower} in the
 * service; its own in a test of the source alone.
 */
interface TipSink {

  /** Reads the daemon's best block now: it may have changed unseen ({@code source} says why). */
  Future<Void> poll(String source);

  /** The source saw this best block, and its parent when it knows it (else null). */
  Future<Void> saw(Tip tip, String parent, String source);
}
