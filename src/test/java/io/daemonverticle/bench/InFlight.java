package io.daemonverticle.bench;

/**
 * The count of a pass that keeps a fixed number of requests (or rounds) in flight the whole
 * time: a new one goes out as each answer comes in, until all are sent. The service's load
 * ({@link Workloads}), the Java wire client and wire-client.js all keep their window this way,
 * so their figures compare; sending a window, then waiting for all of it, leaves it part-empty
 * for as long as its slowest answer takes and understates what the other side can carry.
 * Not thread-safe: one event loop or one selector thread drives it.
 */
final class InFlight {

  private final int total;
  private final int window;
  private int sent;
  private int answered;

  /**
   * @param total  the requests of the pass
   * @param window how many are in flight at most, and all the time while any are left
   */
  InFlight(int total, int window) {
    if (total < 0 || window < 1) {
      throw new IllegalArgumentException("total " + total + ", window " + window);
    }
    this.total = total;
    this.window = window;
  }

  /** How many to send at the start, counted as sent: the window, or fewer if the pass is. */
  int open() {
    if (sent != 0) {
      throw new IllegalStateException("opened twice");
    }
    sent = Math.min(window, total);
    return sent;
  }

  /**
   * One answer came in: whether to send the next request now (then counted as sent), which
   * keeps the window full.
   */
  boolean answered() {
    if (answered == sent) {
      throw new IllegalStateException("an answer with none in flight (" + answered + " of "
          + total + ")");
    }
    answered++;
    if (sent < total) {
      sent++;
      return true;
    }
    return false;
  }

  /** Sent and not answered yet. */
  int outstanding() {
    return sent - answered;
  }

  /** Every request of the pass answered. */
  boolean done() {
    return answered == total;
  }

  /** The index of the last request counted as sent, from 0: which one to send next. */
  int lastSent() {
    return sent - 1;
  }
}
