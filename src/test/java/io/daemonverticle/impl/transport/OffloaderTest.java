package io.daemonverticle.impl.transport;

import io.daemonverticle.impl.resilience.RpcCounters;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Where reply work runs is proven by the thread that ran it, not by a wall clock. */
@ExtendWith(VertxExtension.class)
class OffloaderTest {

  private static final int THRESHOLD = 1_000;

  @Test
  void workOnAsManyBytesAsTheThresholdRunsOnAWorkerAndIsCounted(Vertx vertx,
                                                                 VertxTestContext ctx) {
    RpcCounters counters = new RpcCounters();
    Offloader offloader = new Offloader(vertx, THRESHOLD, counters::recordOffload);
    AtomicReference<String> ranOn = new AtomicReference<>();
    vertx.runOnContext((Void v) -> offloader.run(THRESHOLD, () -> {
      ranOn.set(Context.isOnWorkerThread() ? "worker" : Context.isOnEventLoopThread()
          ? "event loop" : "other");
      return 1;
    }).onComplete(ctx.succeeding((Integer one) -> ctx.verify(() -> {
      assertThat(ranOn).hasValue("worker");
      assertThat(counters.offloaded()).isEqualTo(1);
      ctx.completeNow();
    }))));
  }

  @Test
  void smallWorkStaysOnTheEventLoopAndIsNotCounted(Vertx vertx, VertxTestContext ctx) {
    RpcCounters counters = new RpcCounters();
    Offloader offloader = new Offloader(vertx, THRESHOLD, counters::recordOffload);
    AtomicReference<String> ranOn = new AtomicReference<>();
    vertx.runOnContext((Void v) -> offloader.run(THRESHOLD - 1, () -> {
      ranOn.set(Context.isOnEventLoopThread() ? "event loop" : "elsewhere");
      return 1;
    }).onComplete(ctx.succeeding((Integer one) -> ctx.verify(() -> {
      assertThat(ranOn).hasValue("event loop");
      assertThat(counters.offloaded()).isZero();
      ctx.completeNow();
    }))));
  }

  @Test
  void onWorkerAlwaysLeavesTheEventLoop(Vertx vertx, VertxTestContext ctx) {
    RpcCounters counters = new RpcCounters();
    Offloader offloader = new Offloader(vertx, Integer.MAX_VALUE, counters::recordOffload);
    vertx.runOnContext((Void v) -> offloader.onWorker(Context::isOnWorkerThread)
        .onComplete(ctx.succeeding((Boolean onWorker) -> ctx.verify(() -> {
          assertThat(onWorker).isTrue();
          assertThat(counters.offloaded()).isEqualTo(1);
          ctx.completeNow();
        }))));
  }
}
