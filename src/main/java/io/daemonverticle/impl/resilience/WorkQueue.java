package io.daemonverticle.impl.resilience;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Bounds the HTTP requests in flight to the daemon (ElectrumX's workqueue semaphore: bitcoind
 * refuses work past its own queue of 16) and the line of requests waiting for a slot, so that
 * memory cannot grow without limit. Waiters are served in arrival order. Vert.x core has no
 * asynchronous semaphore; this one also gives the in-flight and queued counts that status
 * reports. All methods run on the verticle's event loop.
 *
 * <p>The slots in use at once are also bounded by a limit that may change (the daemon URL's
 * {@link AdaptiveLimit}, cut when the daemon pushes back): requests over it wait here, in
 * order, exactly like requests over {@code maxInFlight}.
 *
 * <p>Every wait has an end: a waiter leaves the line with its slot, at its deadline (503), or
 * when the queue closes (503). A held slot is the caller's to release on every path.
 */
public final class WorkQueue {

  private final TimeSource time;
  private final int maxInFlight;
  private final int maxQueued;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private IntSupplier limit = () -> Integer.MAX_VALUE;
  private int inFlight;
  private int highWater;
  /** True while {@link #release} hands slots over: a release from inside only frees its slot. */
  private boolean handingOver;
  private DaemonException closed;

  /** A waiter's deadline is kept by a timer of {@code time}, the deadlines' own source. */
  public WorkQueue(TimeSource time, int maxInFlight, int maxQueued) {
    this.time = time;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /**
   * Bounds the slots in use by {@code limit} too (read at every grant); call
   * {@link #limitChanged} when it may have grown other than with a release.
   */
  public void limitBy(IntSupplier limit) {
    this.limit = limit;
  }

  /** The slots that may be in use now: min(maxInFlight, the limit). */
  public int capacity() {
    return Math.max(1, Math.min(maxInFlight, limit.getAsInt()));
  }

  /** The limit may have grown: hands slots that are now free to waiters. */
  public void limitChanged() {
    handOver();
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
    if (inFlight < capacity() && waiting.isEmpty()) {
      return Future.succeededFuture(grant());
    }
    if (mayReject && waiting.size() >= maxQueued) {
      return Future.failedFuture(DaemonException.busy("too many requests waiting for the "
          + "daemon: " + waiting.size() + " queued behind " + inFlight + " in flight; "
          + "nothing was sent"));
    }
    Waiter waiter = new Waiter(Promise.promise());
    waiter.timer = time.setTimer(Math.max(1, deadline.remainingMs()), id -> {
      if (waiting.remove(waiter)) {
        waiter.promise.tryFail(DaemonException.unavailable("deadline passed while waiting in "
            + "the work queue for a free slot to the daemon (" + inFlight + " requests in "
            + "flight, " + capacity() + " allowed now, maxWorkqueue " + maxInFlight + ")"));
      }
    });
    waiting.add(waiter);
    return waiter.promise.future();
  }

  /**
   * A slot now, or null: never waits and never goes ahead of a waiter. For extra work that is
   * only worth doing while there is room (a hedged read).
   */
  public Slot tryAcquire() {
    if (closed != null || !waiting.isEmpty() || inFlight >= capacity()) {
      return null;
    }
    return grant();
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
      time.cancelTimer(waiter.timer);
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
    handOver();
  }

  private void handOver() {
    if (handingOver) {
      return;
    }
    handingOver = true;
    try {
      Waiter next;
      while (inFlight < capacity() && (next = waiting.poll()) != null) {
        time.cancelTimer(next.timer);
        // Never completed before: a waiter's promise is completed only once it is out of the
        // line (here, by its timer, by close), and it leaves the line only so.
        next.promise.complete(grant());
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
