package io.daemonverticle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The benchmark's stall probe sees a loop held by long work, lets loops sleep between their
 * work (the timer it replaced kept them polling about half of the time), and stops with its
 * Vert.x.
 */
@ExtendWith(VertxExtension.class)
class LoopProbeTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void aLoopHeldFor100MsIsSeenLateByAboutThat(Vertx vertx) throws Exception {
    LoopProbe probe = new LoopProbe(vertx);
    Thread.sleep(20);
    probe.reset();
    CompletableFuture<Void> held = new CompletableFuture<>();
    vertx.runOnContext((Void v) -> {
      long end = System.nanoTime() + 100 * MS;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      held.complete(null);
    });
    held.get(10, TimeUnit.SECONDS);
    Thread.sleep(20);
    // A task is handed out each millisecond, so one waited for the whole stall but the first
    // millisecond; on a loaded machine the probe's own thread may wake some milliseconds late.
    assertThat(probe.worstNanos()).isGreaterThanOrEqualTo(80 * MS);

    probe.reset();
    assertThat(probe.worstNanos()).isZero();
    Thread.sleep(100);
    assertThat(probe.worstNanos()).as("idle loops: measured, and not late by a stall's length")
        .isPositive().isLessThan(80 * MS);
  }

  @Test
  void anUnwatchingProbeSeesNoStallAndWatchingAgainItDoes(Vertx vertx) throws Exception {
    LoopProbe probe = new LoopProbe(vertx);
    probe.watch(false);
    Thread.sleep(20);
    probe.reset();
    holdALoop(vertx, 100);
    assertThat(probe.worstNanos()).as("no task handed out while not watching").isZero();

    probe.watch(true);
    Thread.sleep(20);
    probe.reset();
    holdALoop(vertx, 100);
    Thread.sleep(20);
    assertThat(probe.worstNanos()).isGreaterThanOrEqualTo(80 * MS);
  }

  private static void holdALoop(Vertx vertx, long ms) throws Exception {
    CompletableFuture<Void> held = new CompletableFuture<>();
    vertx.runOnContext((Void v) -> {
      long end = System.nanoTime() + ms * MS;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      held.complete(null);
    });
    held.get(10, TimeUnit.SECONDS);
  }

  @Test
  void loopsWokenOftenStillSleepBetweenTheirWork(Vertx vertx) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<EventExecutor> loops = new ArrayList<>();
    List<Long> loopThreads = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loops.add(loop);
      loopThreads.add(loop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS));
    }
    LoopProbe probe = new LoopProbe(vertx);
    Thread.sleep(50);
    long before = cpuNanos(threads, loopThreads);
    long start = System.nanoTime();
    // Each loop gets a trivial task every 300 microseconds, as a loop serving many small
    // replies is woken by its sockets: the timer this probe replaced was then due within half
    // a millisecond at about half of the wake-ups, and Netty polls instead of sleeping then.
    while (System.nanoTime() - start < 500 * MS) {
      for (EventExecutor loop : loops) {
        loop.execute(() -> { });
      }
      LockSupport.parkNanos(300_000);
    }
    long elapsed = System.nanoTime() - start;
    long used = cpuNanos(threads, loopThreads) - before;
    assertThat(probe.worstNanos()).isPositive();
    assertThat(used).as("CPU of %d loops over %d ms", loopThreads.size(), elapsed / MS)
        .isLessThan(elapsed * loopThreads.size() / 10);
  }

  @Test
  void itsThreadEndsWhenItsVertxCloses() throws Exception {
    Vertx own = Vertx.vertx();
    LoopProbe probe = new LoopProbe(own);
    Thread.sleep(20);
    assertThat(probe.isRunning()).isTrue();
    own.close().await(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + 5_000 * MS;
    while (probe.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    // Else each test's probe would go on waking every millisecond for the rest of the run.
    assertThat(probe.isRunning()).isFalse();
  }

  private static long cpuNanos(ThreadMXBean threads, List<Long> ids) {
    long sum = 0;
    for (long id : ids) {
      sum += threads.getThreadCpuTime(id);
    }
    return sum;
  }
}
