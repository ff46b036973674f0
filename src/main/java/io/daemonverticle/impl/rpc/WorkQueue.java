package io.daemonverticle.impl.rpc;

import io.daemonverticle.DaemonException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Bounds the HTTP requests in flight to the daemon (ElectrumX's workqueue semaphore: bitcoind
 * refuses work past its own queue of 16) and the line of requests waiting for a slot, so that
 * memory cannot grow without limit. Waiters are served in arrival order. Vert.x core has no
 * asynchronous semaphore; this one also gives the in-flight and queued counts that status
 * reports. All methods run on the verticle's event loop.
 */
public final class WorkQueue {

  private final Vertx vertx;
  private final int maxInFlight;
  private final int maxQueued;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int inFlight;
  private int highWater;

  public WorkQueue(Vertx vertx, int maxInFlight, int maxQueued) {
    this.vertx = vertx;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /**
   * A slot, once one is free. A new request ({@code mayReject}) is refused with 429 when the
   * line is full; a retry of an admitted request always queues, as refusing it would waste the
   * work already done. A waiter whose deadline passes leaves the line with 503.
   */
  public Future<Slot> acquire(Deadline deadline, boolean mayReject) {
    if (inFlight < maxInFlight && waiting.isEmpty()) {
      return Future.succeededFuture(grant());
    }
    if (mayReject && waiting.size() >= maxQueued) {
      return Future.failedFuture(DaemonException.busy("too many requests waiting for the "
          + "daemon: " + waiting.size() + " queued behind " + inFlight + " in flight; "
          + "nothing was sent"));
    }
    Waiter waiter = new Waiter(Promise.promise());
    waiter.timer = vertx.setTimer(Math.max(1, deadline.remainingMs()), id -> {
      if (waiting.remove(waiter)) {
        waiter.promise.tryFail(DaemonException.unavailable("deadline passed while waiting for a "
            + "free slot to the daemon (" + maxInFlight + " requests in flight)"));
      }
    });
    waiting.add(waiter);
    return waiter.promise.future();
  }

  public int inFlight() {
    return inFlight;
  }

  public int queued() {
    return waiting.size();
  }

  /** The most requests ever in flight at once: what tests check against the bound. */
  public int highWater() {
    return highWater;
  }


  private Slot grant() {
    inFlight++;
    highWater = Math.max(highWater, inFlight);
    return new Slot();
  }

  private void release() {
    inFlight--;
    Iterator<Waiter> it = waiting.iterator();
    while (inFlight < maxInFlight && it.hasNext()) {
      Waiter next = it.next();
      it.remove();
      vertx.cancelTimer(next.timer);
      next.promise.complete(grant());
    }
  }

  private static final class Waiter {
    final Promise<Slot> promise;
    long timer;

    Waiter(Promise<Slot> promise) {
      this.promise = promise;
    }
  }

  /** A held slot; releasing it twice is harmless. */
  public final class Slot {
    private boolean released;

    public void release() {
      if (!released) {
        released = true;
        WorkQueue.this.release();
      }
    }
  }
}
