package io.daemonverticle.impl.transport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Runs CPU work on the event loop when it is small and on a worker thread when it is large
 * (parsing a multi-megabyte getblock reply or decoding its hex would stall every other request
 * on the loop). The threshold is {@code offloadBytes}.
 */
public final class Offloader {

  private final Vertx vertx;
  private final int thresholdBytes;
  private final Runnable onOffload;

  public Offloader(Vertx vertx, int thresholdBytes) {
    this(vertx, thresholdBytes, () -> { });
  }

  /**
   * @param onOffload told of each job sent to a worker thread (the status counter
   *     {@code offloaded}; the counters live in the resilience room, above this one)
   */
  public Offloader(Vertx vertx, int thresholdBytes, Runnable onOffload) {
    this.vertx = vertx;
    this.thresholdBytes = thresholdBytes;
    this.onOffload = onOffload;
  }

  /** Whether work on this many bytes goes to a worker thread. */
  public boolean isLarge(long sizeBytes) {
    return sizeBytes >= thresholdBytes;
  }

  /** Runs the work on a worker thread, whatever its size. */
  public <T> Future<T> onWorker(Callable<T> work) {
    onOffload.run();
    return vertx.executeBlocking(work, false);
  }

  public <T> Future<T> run(long sizeBytes, Callable<T> work) {
    if (sizeBytes < thresholdBytes) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    // Unordered: large replies need not wait for each other.
    onOffload.run();
    return vertx.executeBlocking(work, false);
  }
}
