package io.daemonverticle.impl.resilience;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.time.Bound;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * What the service believes of one daemon URL beyond whether it answers: is it on the right
 * chain (checked before it serves and whenever it may have become another daemon), how high is
 * it, is it still syncing, what has it pruned. Runs on the verticle's event loop.
 *
 * <p>A URL starts unchecked. The first attempt that goes to it runs the {@link ChainCheck}
 * first, shared with every attempt that arrives meanwhile; the check's own transport failure
 * is that attempt's failure (so it counts against the URL like any other). A URL that fails
 * the check is quarantined: it serves nothing until a later check (the next poll) passes.
 */
public final class UrlStanding {

  /** Whether the URL may serve, as far as its chain goes. */
  public enum Verdict {
    /** Not checked yet, or may have changed since (it was unreachable, its circuit opened). */
    UNCHECKED,
    /**
     * It answered the check, but not in a way that tells its chain (an error for the whole
     * batch or for block 0, a reply that is no JSON-RPC: a proxy that cannot batch, say). It serves; each
     * period's look checks it again.
     */
    UNVERIFIED,
    /** Checked, and on the configured chain. */
    GOOD,
    /** On another chain (or one that cannot be told): serves nothing. */
    QUARANTINED
  }

  /** Where the check and each waiter are bounded, and when a verdict's poll was seen. */
  private final TimeSource time;
  private Verdict verdict = Verdict.UNCHECKED;
  private String quarantineReason;
  private Future<Void> checking;
  private Integer height;
  private long heightAtNanos;
  private Integer headers;
  private boolean syncing;
  private Integer pruneHeight;
  private String chain;
  private volatile boolean closedByServerTimeout;

  /**
   * A URL not checked yet.
   *
   * @param time whose timers bound the check and the waiters, and whose clock dates the height
   *             a poll or a check saw
   */
  UrlStanding(TimeSource time) {
    this.time = time;
  }

  public Verdict verdict() {
    return verdict;
  }

  public boolean quarantined() {
    return verdict == Verdict.QUARANTINED;
  }

  /** Why the URL is quarantined (null when it is not): the URL's chain and the expected one. */
  public String quarantineReason() {
    return quarantineReason;
  }

  /**
   * Completes when the URL may be sent a request: at once when it was checked, after the
   * check when it was not (one check at a time, whoever asks). Fails with the check's
   * transport failure, or with a {@code QUARANTINED} failure when the URL is on another
   * chain. Every waiter gives up after its own {@code timeoutMs}; the check itself, shared,
   * is bounded by {@code checkMs} (an attempt's timeout) whoever started it.
   */
  Future<Void> admission(ChainCheck check, DaemonUrl url, long checkMs, long timeoutMs) {
    if (verdict == Verdict.GOOD || verdict == Verdict.UNVERIFIED) {
      return Future.succeededFuture();
    }
    if (verdict == Verdict.QUARANTINED) {
      return Future.failedFuture(quarantine());
    }
    return Bound.within(check(check, url, checkMs), timeoutMs, time);
  }

  /**
   * Runs the check now (or joins the one running), whatever the verdict: the period's look at
   * a URL not known good, and the admission of an unchecked one. Completes as
   * {@link #admission} does once it is judged.
   */
  Future<Void> check(ChainCheck check, DaemonUrl url, long checkMs) {
    Future<Void> running = checking;
    if (running == null) {
      Promise<Void> done = Promise.promise();
      running = done.future();
      checking = running;
      Future<Void> mine = running;
      Bound.within(check.check(url, checkMs), checkMs, time).onComplete(ar -> {
        if (checking == mine) {
          checking = null;
        }
        if (ar.succeeded()) {
          judged(ar.result());
        } else if (answeredUselessly(ar.cause())) {
          verdict = Verdict.UNVERIFIED;
          done.complete();
          return;
        }
        if (ar.failed()) {
          done.fail(ar.cause());
        } else if (verdict == Verdict.QUARANTINED) {
          done.fail(quarantine());
        } else {
          done.complete();
        }
      });
    }
    // A check that answered at once (no check configured) is already complete here.
    return running;
  }

  /**
   * Takes a check's outcome: quarantined with its reason, or good when the check was full (a
   * partial one leaves a URL not known good as it was).
   */
  public void judged(ChainCheck.Outcome outcome) {
    if (outcome.mismatch() == null) {
      if (outcome.unknown() != null) {
        verdict = Verdict.UNVERIFIED;
        quarantineReason = null;
      } else if (outcome.full()) {
        verdict = Verdict.GOOD;
        quarantineReason = null;
      }
    } else {
      verdict = Verdict.QUARANTINED;
      quarantineReason = outcome.mismatch();
    }
    if (outcome.chain() != null) {
      chain = outcome.chain();
    }
    if (outcome.poll() != null) {
      observed(outcome.poll());
    }
  }

  /**
   * Whether a check's failure says the URL answered, only not usefully: then the request may
   * go (it would meet no other answer by waiting). Not answering, refusing for now (busy,
   * warming up) is the attempt's own failure: the request would meet the same.
   */
  private static boolean answeredUselessly(Throwable cause) {
    if (cause instanceof DaemonException) {
      return true;
    }
    return cause instanceof TransientFailure tf && (tf.kind() == TransientFailure.Kind.PARSE_ERROR
        || tf.kind() == TransientFailure.Kind.TOO_LONG);
  }

  /**
   * The URL may now be another daemon than the one checked (it was unreachable, its circuit
   * opened, its credentials changed): check it again before its next request. A quarantined
   * URL stays quarantined until a check passes.
   */
  void doubt() {
    if (verdict == Verdict.GOOD || verdict == Verdict.UNVERIFIED) {
      verdict = Verdict.UNCHECKED;
    }
  }

  /** What a poll of the URL saw, now. */
  public void observed(UrlPoll poll) {
    this.height = poll.blocks();
    this.heightAtNanos = time.nanoTime();
    this.headers = poll.headers();
    this.syncing = poll.syncing();
    this.pruneHeight = poll.pruneHeight();
  }

  /** The URL's last polled height (null: none yet). */
  public Integer height() {
    return height;
  }

  long heightAtNanos() {
    return heightAtNanos;
  }

  public Integer headers() {
    return headers;
  }

  /** Still catching up with the network (headers ahead of blocks, initial block download). */
  public boolean syncing() {
    return syncing;
  }

  /** The lowest block the URL still has, where it prunes (null: not pruned, or unknown). */
  public Integer pruneHeight() {
    return pruneHeight;
  }

  /** The daemon closed a connection under a request that had run its server timeout. */
  public void closedByServerTimeout() {
    closedByServerTimeout = true;
  }

  /** Whether it ever closed a request's connection at about 30 s ({@code -rpcservertimeout}). */
  public boolean wasClosedByServerTimeout() {
    return closedByServerTimeout;
  }

  /** The chain the URL said it is on (getblockchaininfo's {@code chain}; null: unknown). */
  public String chain() {
    return chain;
  }

  private TransientFailure quarantine() {
    return new TransientFailure(TransientFailure.Kind.QUARANTINED, quarantineReason);
  }
}
