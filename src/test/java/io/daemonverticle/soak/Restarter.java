package io.daemonverticle.soak;

import io.daemonverticle.it.CoreNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Restarts the regtest node every period on its own thread (scripts/core/stop, then
 * scripts/core/start --reuse: same chain, same URL) and mines a block after each start, so
 * the height moves. It keeps when each restart began and when the node answered again: the
 * node counts as down from the moment the stop is asked for until start has seen it answer
 * getblockcount (a generous reading: it is down for less than that).
 */
final class Restarter {

  /** One restart: down from {@code fromNanos} until {@code toNanos} (System.nanoTime). */
  record Outage(long fromNanos, long toNanos) {
    long millis() {
      return (toNanos - fromNanos) / 1_000_000;
    }
  }

  private final CoreNode node;
  private final long periodMs;
  private final List<Outage> outages = new ArrayList<>();
  private volatile long downSinceNanos = -1;
  private volatile boolean stopping;
  private volatile Exception failure;
  private Thread thread;

  Restarter(CoreNode node, long periodMs) {
    this.node = node;
    this.periodMs = periodMs;
  }

  void start() {
    thread = new Thread(this::run, "soak-restarter");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stopping) {
        synchronized (this) {
          wait(periodMs);
        }
        if (stopping) {
          return;
        }
        downSinceNanos = System.nanoTime();
        node.stop();
        node.restart();
        long up = System.nanoTime();
        synchronized (outages) {
          outages.add(new Outage(downSinceNanos, up));
        }
        downSinceNanos = -1;
        node.mine(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failure = e;
    }
  }

  /** Stops restarting; waits for a restart in progress, so the node is up when it returns. */
  void stop() throws InterruptedException {
    stopping = true;
    synchronized (this) {
      notifyAll();
    }
    thread.join(180_000);
  }

  /** The restarts so far, and one in progress as ending now. */
  List<Outage> outages() {
    List<Outage> all;
    synchronized (outages) {
      all = new ArrayList<>(outages);
    }
    long since = downSinceNanos;
    if (since >= 0) {
      all.add(new Outage(since, System.nanoTime()));
    }
    return all;
  }

  /** Why restarting stopped early (a script failed), or null. */
  Exception failure() {
    return failure;
  }
}
