package io.daemonverticle.impl.service;

import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.rpc.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the daemon its height every {@code heightPollMs} so that height changes get published.
 * Only the instance holding the poller lease asks: however many instances serve the address,
 * the daemon sees one poll per period; when the holder dies its lease expires and another
 * instance takes over within a few periods.
 */
public final class HeightPoller {

  private static final Logger LOG = LoggerFactory.getLogger(HeightPoller.class);
  static final String LEASE = "heightPoller.lease";

  private final Vertx vertx;
  private final BitcoinDaemon daemon;
  private final SharedState shared;
  private final long periodMs;
  private final long leaseMs;
  private long timer = -1;
  private boolean stopped;
  private long polls;

  public HeightPoller(Vertx vertx, BitcoinDaemon daemon, SharedState shared, long periodMs) {
    this.vertx = vertx;
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
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (periodMs > 0) {
      shared.leases().release(LEASE);
    }
  }

  public long polls() {
    return polls;
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, delayMs), id -> poll());
    }
  }

  private void poll() {
    long started = System.nanoTime();
    shared.leases().tryTake(LEASE, leaseMs)
        .compose(held -> {
          if (!held || stopped) {
            return Future.succeededFuture();
          }
          polls++;
          return daemon.height(Deadline.in(Math.max(periodMs, 1000)), true);
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.debug("height poll failed: {}", ar.cause().getMessage());
          }
          long elapsedMs = (System.nanoTime() - started) / 1_000_000L;
          schedule(periodMs - elapsedMs);
        });
  }
}
