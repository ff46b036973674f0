package io.daemonverticle.impl.time;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * Where the service reads the time and sets its timers: the retry loop's backoffs, hedges and
 * deadlines, the work queue's waits, leases, the shared caches' expiry, the dispatcher's safety
 * net, the height poll and its stand-back, the tip's long-poll, the fleet watch, the failure
 * log's minute, each HTTP exchange's bound, the bounds on the shared map's calls and on a URL's
 * chain check ({@link Bound}), a reload's bound on the retiring verticle's drain, and the HTTP
 * front's deadlines, heartbeat and readiness age. {@link #of(Vertx)} is the real one; tests
 * hand in a virtual one (see testing.md) so that what is asserted about time (a backoff
 * sequence, a deadline) is exact and takes no wall time.
 *
 * <p>A timer's handler runs on the Vert.x context that set it, as {@link Vertx#setTimer} does;
 * a timer id may be any value, 0 included: "no timer" is kept as -1 by its users.
 *
 * <p>Not covered: Vert.x's own timers inside the libraries we use. The circuit breakers' reset
 * to half-open is the Vert.x CircuitBreaker's timer (it takes no clock), the HTTP client's
 * connect and idle timeouts are the client's. {@code Future.timeout}, a timer of the
 * context's, is left out of the service: {@link Bound#within} stands for it. The HTTP front
 * takes the time source of whoever builds it (the service's own for {@code DaemonService}).
 */
public interface TimeSource extends NanoClock {

  /**
   * The wall clock, for times that other machines read (the shared caches' expiry, when the
   * height was confirmed).
   *
   * @return milliseconds since the epoch
   */
  long currentTimeMillis();

  /**
   * Sets a one-shot timer.
   *
   * @param delayMs in milliseconds, at least 1
   * @param handler given the timer's id, on the context that set it
   * @return the timer's id, for {@link #cancelTimer(long)}
   */
  long setTimer(long delayMs, Handler<Long> handler);

  /**
   * Cancels a timer that has not fired.
   *
   * @param id as {@link #setTimer} returned it
   * @return whether it was pending (and now never fires)
   */
  boolean cancelTimer(long id);

  /**
   * The real time source: {@link System#nanoTime()} and Vert.x's timers.
   *
   * @param vertx whose timers to set
   * @return a time source backed by {@code vertx}
   */
  static TimeSource of(Vertx vertx) {
    return new VertxTime(vertx);
  }
}
