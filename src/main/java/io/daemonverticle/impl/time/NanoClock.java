package io.daemonverticle.impl.time;

/**
 * A monotonic clock in nanoseconds, for measuring how long something took and when a deadline
 * passes; only differences between two readings of one clock mean anything.
 */
@FunctionalInterface
public interface NanoClock {

  /** The machine's monotonic clock, {@link System#nanoTime()}. */
  NanoClock SYSTEM = System::nanoTime;

  /**
   * The current reading.
   *
   * @return nanoseconds since an arbitrary origin fixed for this clock
   */
  long nanoTime();
}
