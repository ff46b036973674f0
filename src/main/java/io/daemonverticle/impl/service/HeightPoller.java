package io.daemonverticle.impl.service;

import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.Bound;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the daemon its height every {@code heightPollMs} so that height changes get published.
 * Only the instance holding the poller lease asks: however many instances serve the address,
 * the daemon sees one poll per period; when the holder dies its lease runs out and another
 * instance takes over within a few periods. The holder renews its lease only after its daemon
 * has answered: a holder whose daemon fails or hangs gives the lease up and stands back for
 * {@link #STAND_BACK_PERIODS} periods, so that an instance whose daemon answers takes over
 * (should none, it takes the lease again). Each tick is bounded by the lease, so a cluster
 * that does not answer never stops the ticks.
 *
 * <p>Its ticks, the stand-back and the lease's bound on a tick are on the service's
 * {@link TimeSource}.
 */
public final class HeightPoller {

  private static final Logger LOG = LoggerFactory.getLogger(HeightPoller.class);
  static final String LEASE = "heightPoller.lease";
  /** Periods a holder whose poll failed leaves the lease to the others: each ticks once. */
  static final int STAND_BACK_PERIODS = 2;

  private final TimeSource time;
  private final Heights daemon;
  private final SharedState shared;
  private final long periodMs;
  private final long leaseMs;
  private final TipWatch tips;
  private long timer = -1;
  private boolean stopped;
  private long polls;
  private boolean standingBack;
  private long standBackUntilNanos;

  /** Where the poll asks the height: the daemon's {@code height(deadline, mayDecrease)}. */
  @FunctionalInterface
  interface Heights {
    Future<Integer> height(Deadline deadline, boolean mayDecrease);
  }

  /**
   * @param time   where the ticks are timed and the poll's deadline measured
   * @param daemon whom the poll asks
   * @param tips   polled after each good height poll, and told whether this node leads
   */
  HeightPoller(TimeSource time, Heights daemon, SharedState shared, long periodMs,
               TipWatch tips) {
    this.tips = tips;
    this.time = time;
    this.daemon = daemon;
    this.shared = shared;
    this.periodMs = periodMs;
    this.leaseMs = Math.max(3 * periodMs, periodMs + 2000);
  }

  public void start() {
    if (periodMs > 0) {
      schedule(0);
    }
  }

  public void stop() {
    // A drained verticle stops its poller before it is undeployed, which stops it again.
    if (stopped) {
      return;
    }
    stopped = true;
    tips.leading(false);
    if (timer >= 0) {
      time.cancelTimer(timer);
    }
    if (periodMs > 0) {
      shared.leases().release(LEASE);
    }
  }

  /** The poll period (0: not polling). */
  public long periodMs() {
    return periodMs;
  }

  public long polls() {
    return polls;
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = time.setTimer(Math.max(1, delayMs), id -> poll());
    }
  }

  private void poll() {
    long started = time.nanoTime();
    if (standingBack && started - standBackUntilNanos < 0) {
      schedule(periodMs);
      return;
    }
    standingBack = false;
    // Held since the last renewal: poll first, renew after. Not held: take it (or renew it
    // when this instance's own lease ran out without anyone taking it over).
    Future<Boolean> mayPoll = shared.leases().holds(LEASE) ? Future.succeededFuture(true)
        : shared.leases().tryTake(LEASE, leaseMs);
    Future<Void> tick = mayPoll
        .compose(held -> {
          if (!held || stopped) {
            tips.leading(false);
            return Future.<Void>succeededFuture();
          }
          polls++;
          return daemon.height(Deadline.in(Math.max(periodMs, 1000), time), true)
              .transform(ar -> ar.succeeded() ? renew().compose(v -> pollTip())
                  : standBack(ar.cause()));
        });
    // A cluster that does not answer must not stop the ticks.
    Bound.within(tick, leaseMs, time).onComplete(ar -> {
      if (ar.failed()) {
        LOG.debug("height poll failed: {}", ar.cause().getMessage());
      }
      long elapsedMs = (time.nanoTime() - started) / 1_000_000L;
      schedule(periodMs - elapsedMs);
    });
  }

  private Future<Void> renew() {
    if (stopped) {
      return Future.succeededFuture();
    }
    // Readiness reads this stamp; a map that does not take it only makes the height look old.
    shared.heightConfirmed(leaseMs).onFailure(e ->
        LOG.debug("height confirmation not stored: {}", e.getMessage()));
    return shared.leases().tryTake(LEASE, leaseMs).map(held -> {
      tips.leading(held && !stopped);
      return null;
    });
  }

  /** The tip's safety net; its failure is the tip's, not the height's: no standing back. */
  private Future<Void> pollTip() {
    if (stopped || !shared.leases().holds(LEASE)) {
      return Future.succeededFuture();
    }
    return tips.poll().recover(e -> {
      LOG.debug("tip poll failed: {}", e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> standBack(Throwable cause) {
    standingBack = true;
    tips.leading(false);
    standBackUntilNanos = time.nanoTime() + STAND_BACK_PERIODS * periodMs * 1_000_000L;
    return shared.leases().release(LEASE)
        .transform(ar -> Future.<Void>failedFuture(cause));
  }
}
