package io.daemonverticle.impl.resilience;

/** When a request must have its answer; measured on the monotonic clock. */
public record Deadline(long expiresAtNanos) {

  public static Deadline in(long millis) {
    return new Deadline(System.nanoTime() + millis * 1_000_000L);
  }

  public long remainingMs() {
    return Math.max(0, (expiresAtNanos - System.nanoTime()) / 1_000_000L);
  }

  public boolean passed() {
    return System.nanoTime() - expiresAtNanos >= 0;
  }
}
