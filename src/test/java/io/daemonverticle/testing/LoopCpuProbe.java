package io.daemonverticle.testing;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The longest any one event-loop task of a Vert.x instance ran, in CPU time: what "does not
 * block the event loop" means, measured so that a loaded machine cannot fake it. Vert.x's
 * blocked-thread checker measures wall time: a loop thread that the OS leaves waiting for a
 * core (load 6 on 2 cores) reads as blocked while it runs nothing. Here a thread of its own hands
 * each loop a tiny task and reads the loop thread's CPU time: while a handed task has not run,
 * the CPU time the loop spent since its last one ran went to one piece of work that held the
 * loop. A thread that is descheduled spends no CPU, so load adds nothing to it.
 */
public final class LoopCpuProbe implements AutoCloseable {

  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final List<Loop> loops = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean running = true;

  public LoopCpuProbe(Vertx vertx) throws Exception {
    if (!threads.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot read a thread's CPU time");
    }
    threads.setThreadCpuTimeEnabled(true);
    for (EventExecutor executor : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      CompletableFuture<Long> id = new CompletableFuture<>();
      executor.execute(() -> id.complete(Thread.currentThread().getId()));
      loops.add(new Loop(executor, id.get(10, TimeUnit.SECONDS)));
    }
    sampler = new Thread(this::sample, "loop-cpu-probe");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** The most CPU time one task held a loop since the probe started, in nanoseconds. */
  public long worstNanos() {
    long worst = 0;
    for (Loop loop : loops) {
      worst = Math.max(worst, loop.worst);
    }
    return worst;
  }

  private void sample() {
    while (running) {
      for (Loop loop : loops) {
        loop.sample(threads);
      }
      LockSupport.parkNanos(PERIOD_NANOS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join(5_000);
  }

  private static final class Loop {
    final EventExecutor executor;
    final long threadId;
    /** Set by the handed task when it runs; cleared when the next one is handed. */
    volatile boolean ran = true;
    /** The loop thread's CPU time when its last handed task was seen to have run. */
    long cpuAtLastRun = -1;
    volatile long worst;

    Loop(EventExecutor executor, long threadId) {
      this.executor = executor;
      this.threadId = threadId;
    }

    void sample(ThreadMXBean threads) {
      long cpu = threads.getThreadCpuTime(threadId);
      if (cpu < 0) {
        return;
      }
      if (ran) {
        cpuAtLastRun = cpu;
        ran = false;
        try {
          executor.execute(() -> ran = true);
        } catch (RejectedExecutionException shutDown) {
          // The Vert.x instance is closing: nothing more to measure on this loop.
        }
      } else if (cpuAtLastRun >= 0) {
        worst = Math.max(worst, cpu - cpuAtLastRun);
      }
    }
  }
}
