package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.transport.DaemonUrl;
import io.vertx.core.Future;

/**
 * Asks one daemon URL which chain it is on, before it serves and whenever it may have become
 * another daemon: implemented above this layer (it speaks JSON-RPC), run here. One attempt at
 * that URL only, within {@code timeoutMs}; fails with the transport's failure when the URL
 * does not answer, succeeds with a verdict when it does.
 */
@FunctionalInterface
public interface ChainCheck {

  /** Every URL passes: for services that check nothing (and tests of other things). */
  ChainCheck NONE = (url, timeoutMs) -> Future.succeededFuture(Outcome.GOOD);

  Future<Outcome> check(DaemonUrl url, long timeoutMs);

  /**
   * A check's verdict.
   *
   * @param mismatch null when the URL is on the configured chain; else what is wrong, for the
   *                 status and the 503s: the URL, the chain it is on and the one expected
   * @param chain    the chain the URL says it is on (null: it does not say)
   * @param poll     what the check saw of its height (null: not asked)
   * @param full     everything was checked (block 0 too): a URL without a mismatch is good;
   *                 a partial check (a known-good URL's poll) can only find a mismatch
   * @param unknown    null, or why the URL's chain cannot be told (it answers no block 0): it
   *                 serves unverified, and is asked again each period
   */
  record Outcome(String mismatch, String chain, UrlPoll poll, boolean full, String unknown) {
    public static final Outcome GOOD = new Outcome(null, null, null, true, null);
  }
}
