package io.daemonverticle.bench;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures event-loop stalls: a thread of its own hands every event loop of a Vert.x instance a
 * task each millisecond and records how long the task waited for its loop. A loop held by long
 * work (parsing or copying a large reply) runs it late by as long as that work took. The tasks
 * go to the Netty loops themselves, so they see every loop whatever context the service runs
 * on.
 *
 * <p>Why not a 1 ms timer on each loop, as this probe first was: Netty's NIO loop does not
 * sleep when its next timer is due in under half a millisecond, it polls the selector without
 * blocking until then. A timer every millisecond kept every loop polling half of the time, on
 * 2 cores shared with the daemon: it cost the service up to 45 % of its height calls/s (26,000
 * instead of 46,000 on the bench machine) and slowed the transport-limit client it ran beside.
 * A task handed over from another thread wakes a sleeping loop once, and costs nothing to a
 * busy one.
 *
 * <p>Once a millisecond is still a wake-up a millisecond for every sleeping loop: in the
 * getRawTransactions passes, whose loops sleep between requests, it cost the service 8-10 % of
 * its rate. The bench reports stalls for the blocks passes only, so it turns the probe off
 * ({@link #watch}) for the others.
 */
final class LoopProbe {

  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** How often an unwatching probe's thread looks whether its loops have shut down. */
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final List<Tick> ticks = new ArrayList<>();
  private final Thread thread;
  private volatile boolean watching = true;

  LoopProbe(Vertx vertx) {
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      ticks.add(new Tick(loop));
    }
    // A daemon thread: it ends when every loop shuts down, or with its JVM.
    thread = new Thread(this::handOut, "bench-loop-probe");
    thread.setDaemon(true);
    thread.start();
  }

  /** The longest lateness of any loop since the last reset, in nanoseconds. */
  long worstNanos() {
    long worst = 0;
    for (Tick tick : ticks) {
      worst = Math.max(worst, tick.worst.get());
    }
    return worst;
  }

  /** Whether its thread still hands out tasks: until every loop has shut down. */
  boolean isRunning() {
    return thread.isAlive();
  }

  /**
   * Whether tasks are handed out (from construction on): while not, no loop is woken and none
   * is measured.
   */
  void watch(boolean on) {
    watching = on;
    LockSupport.unpark(thread);
  }

  void reset() {
    for (Tick tick : ticks) {
      tick.worst.set(0);
    }
  }

  private void handOut() {
    while (!ticks.stream().allMatch((Tick tick) -> tick.loop.isShuttingDown())) {
      if (watching) {
        for (Tick tick : ticks) {
          tick.handOut();
        }
      }
      LockSupport.parkNanos(watching ? PERIOD_NANOS : IDLE_NANOS);
    }
  }

  /** One loop's task; at most one is waiting for its loop at any time. */
  private static final class Tick implements Runnable {

    private final EventExecutor loop;
    private final AtomicLong worst = new AtomicLong();
    /** When the waiting task was handed over; 0 when none waits. */
    private final AtomicLong handedAt = new AtomicLong();

    Tick(EventExecutor loop) {
      this.loop = loop;
    }

    /**
     * Hands the loop its task unless the last one still waits: a stalled loop is measured by
     * that one task, when it finally runs, as long as the stall lasted.
     */
    void handOut() {
      long now = System.nanoTime();
      if (handedAt.compareAndSet(0, now)) {
        try {
          loop.execute(this);
        } catch (RejectedExecutionException closing) {
          // The loop is shutting down: the probe's thread ends once all of them are.
          handedAt.set(0);
        }
      }
    }

    @Override
    public void run() {
      long late = System.nanoTime() - handedAt.getAndSet(0);
      worst.accumulateAndGet(late, Math::max);
    }
  }
}
