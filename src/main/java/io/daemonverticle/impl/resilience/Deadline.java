package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.time.NanoClock;

/**
 * When a request must have its answer, on a monotonic clock: the machine's, or the one of the
 * service's {@link io.daemonverticle.impl.time.TimeSource} (virtual in tests).
 */
public record Deadline(long expiresAtNanos, NanoClock clock) {

  /** In {@code millis} on {@code clock}. */
  public static Deadline in(long millis, NanoClock clock) {
    return new Deadline(clock.nanoTime() + millis * 1_000_000L, clock);
  }

  public long remainingMs() {
    return Math.max(0, (expiresAtNanos - clock.nanoTime()) / 1_000_000L);
  }

  public boolean passed() {
    return clock.nanoTime() - expiresAtNanos >= 0;
  }
}
