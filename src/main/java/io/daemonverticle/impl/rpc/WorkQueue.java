package io.daemonverticle.impl.rpc;

import io.daemonverticle.DaemonException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds the HTTP requests in flight to the daemon (ElectrumX's workqueue semaphore: bitcoind
 * refuses work past its own queue of 16) and the line of requests waiting for a slot, so that
 * memory cannot grow without limit. Waiters are served in arrival order. Vert.x core has no
 * asynchronous semaphore; this one also gives the in-flight and queued counts that status
 * reports. All methods run on the verticle's event loop.
 *
 * <p>Every wait has an end: a waiter leaves the line with its slot, at its deadline (503), or
 * when the queue closes (503). A held slot is the caller's to release on every path.
 */
public final class WorkQueue {

  private final Vertx vertx;
  private final int maxInFlight;
  private final int maxQueued;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int inFlight;
  private int highWater;
  /** True while {@link #release} hands slots over: a release from inside only frees its slot. */
  private boolean handingOver;
  private DaemonException closed;

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
    if (closed != null) {
      return Future.failedFuture(closed);
    }
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

  /**
   * Answers every waiter with this failure, now and for any later {@link #acquire}: the
   * verticle is stopping. Slots already held stay the holders' to release.
   */
  public void close(DaemonException reason) {
    closed = reason;
    List<Waiter> left = new ArrayList<>(waiting);
    waiting.clear();
    for (Waiter waiter : left) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.tryFail(reason);
    }
  }

  /**
   * Frees a slot and hands free slots to the waiters in order. Completing a waiter runs its
   * handler at once, and that handler may release again (an attempt that fails without being
   * sent) or acquire again (a retry): the state is updated before each hand-over, and a
   * release from inside a hand-over only frees its slot, for the loop below to pass on. So
   * the line is never changed under an iterator and the stack does not grow with the line.
   */
  private void release() {
    inFlight--;
    if (handingOver) {
      return;
    }
    handingOver = true;
    try {
      Waiter next;
      while (inFlight < maxInFlight && (next = waiting.poll()) != null) {
        vertx.cancelTimer(next.timer);
        if (!next.promise.tryComplete(grant())) {
          inFlight--;
        }
      }
    } finally {
      handingOver = false;
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
