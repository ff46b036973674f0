package io.daemonverticle.bench;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures event-loop stalls: on every event loop of a Vert.x instance a task asks to run again
 * 1 ms later and records how late it actually ran. A loop held by long work (parsing or
 * copying a large reply) runs it late by as long as that work took. The task is scheduled on
 * the Netty loops themselves, so it sees every loop whatever context the service runs on.
 */
final class LoopProbe {

  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final List<Tick> ticks = new ArrayList<>();
  private volatile boolean running = true;

  LoopProbe(Vertx vertx) {
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      Tick tick = new Tick(loop);
      ticks.add(tick);
      loop.execute(tick::schedule);
    }
  }

  /** The longest lateness of any loop since the last reset, in nanoseconds. */
  long worstNanos() {
    long worst = 0;
    for (Tick tick : ticks) {
      worst = Math.max(worst, tick.worst.get());
    }
    return worst;
  }

  void reset() {
    for (Tick tick : ticks) {
      tick.worst.set(0);
    }
  }

  void stop() {
    running = false;
  }

  private final class Tick implements Runnable {

    private final EventExecutor loop;
    private final AtomicLong worst = new AtomicLong();
    private long due;

    Tick(EventExecutor loop) {
      this.loop = loop;
    }

    void schedule() {
      due = System.nanoTime() + PERIOD_NANOS;
      loop.schedule(this, PERIOD_NANOS, TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      long late = System.nanoTime() - due;
      worst.accumulateAndGet(late, Math::max);
      if (running) {
        schedule();
      }
    }
  }
}
