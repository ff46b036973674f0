package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.resilience.WorkQueue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parts of one attempt (the GETs of a REST blocks request, the sub-batches of a JSON-RPC
 * one) sent over several connections at once, without letting the attempt take more than its
 * share of the work queue.
 *
 * <p>The attempt's own work-queue slot carries the first lane; each other lane takes a slot
 * only when one is free now ({@link WorkQueue#tryAcquire}: never ahead of a request waiting for
 * one) and gives it back as soon as a request waits, so {@code maxWorkqueue} still bounds the
 * HTTP requests in flight and with one slot the parts go one after another. Each lane sends the
 * next part not yet sent when its last one is in. The first part that fails fails the whole
 * and ends every part still out (each part gets a future that completes then), as a cancel of
 * the attempt does. Every lane gives its slot back on every path.
 *
 * @param <T> what one part gives
 */
final class Lanes<T> {

  /** Most parts of one attempt in flight at once. */
  static final int MAX_LANES = 8;

  /** Sends part {@code index}; {@code stop} completes when the part must end early. */
  @FunctionalInterface
  interface Part<T> {
    Future<T> send(int index, Future<Void> stop);
  }

  private final WorkQueue workQueue;
  private final int count;
  private final Part<T> part;
  private final List<T> results;
  private final Promise<List<T>> done = Promise.promise();
  private final Promise<Void> stop = Promise.promise();
  private int next;
  private int fetched;

  private Lanes(WorkQueue workQueue, int count, Part<T> part, Future<Void> cancel) {
    this.workQueue = workQueue;
    this.count = count;
    this.part = part;
    this.results = new ArrayList<>(Collections.nCopies(count, null));
    cancel.onComplete(v -> stop.tryComplete());
    done.future().onComplete(ar -> stop.tryComplete());
  }

  /**
   * The results of {@code count} parts in part order, or the first part's failure.
   *
   * @param cancel completes when the attempt is given up: the parts still out end
   */
  static <T> Future<List<T>> run(WorkQueue workQueue, int count, Part<T> part,
                                 Future<Void> cancel) {
    if (count == 0) {
      return Future.succeededFuture(List.of());
    }
    return new Lanes<>(workQueue, count, part, cancel).start();
  }

  private Future<List<T>> start() {
    lane(null);
    for (int i = 1; i < Math.min(count, MAX_LANES); i++) {
      WorkQueue.Slot slot = workQueue.tryAcquire();
      if (slot == null) {
        break;
      }
      lane(slot);
    }
    return done.future();
  }

  /** Sends parts one after another; {@code slot}: the lane's own, null for the attempt's. */
  private void lane(WorkQueue.Slot slot) {
    if (done.future().isComplete() || next >= count) {
      release(slot);
      return;
    }
    int index = next++;
    part.send(index, stop.future()).onComplete(ar -> {
      if (ar.failed()) {
        release(slot);
        done.tryFail(ar.cause());
        return;
      }
      results.set(index, ar.result());
      if (++fetched == count) {
        release(slot);
        done.tryComplete(results);
        return;
      }
      if (slot != null && workQueue.queued() > 0) {
        // Another request waits for a slot: it gets this one.
        slot.release();
        return;
      }
      lane(slot);
    });
  }

  private static void release(WorkQueue.Slot slot) {
    if (slot != null) {
      slot.release();
    }
  }
}
