package io.daemonverticle.impl.time;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeoutException;

/**
 * {@code Future.timeout} on a {@link TimeSource}: Vert.x's own sets a timer of the future's
 * context, which a test cannot move, so a wait bounded by it could only be tested in real time.
 */
public final class Bound {

  private Bound() {
  }

  /**
   * Completes as {@code future} does, or fails with a {@link TimeoutException} once
   * {@code ms} have passed on {@code time} without it, as {@code Future.timeout} would (its
   * failure is a {@link TimeoutException} too, of a class Vert.x keeps internal, with the same
   * message). The timer is cancelled when {@code future} completes first, and none is set for
   * one complete already; an outcome that comes after the timer fired is dropped.
   *
   * @param future what to wait for
   * @param ms     how long, at least 1 ms: less is taken for 1 (a timer cannot be shorter,
   *               and {@code Future.timeout} fires at the next turn of the event loop)
   * @param time   whose timer bounds the wait
   * @param <T>    what {@code future} gives
   * @return {@code future}'s outcome, or the time-out
   */
  public static <T> Future<T> within(Future<T> future, long ms, TimeSource time) {
    if (future.isComplete()) {
      return future;
    }
    long boundMs = Math.max(1, ms);
    Promise<T> bounded = Promise.promise();
    long timer = time.setTimer(boundMs, id -> bounded.tryFail(
        new TimeoutException("Timeout " + boundMs + " (ms) fired")));
    future.onComplete(ar -> {
      time.cancelTimer(timer);
      if (ar.succeeded()) {
        bounded.tryComplete(ar.result());
      } else {
        bounded.tryFail(ar.cause());
      }
    });
    return bounded.future();
  }
}
