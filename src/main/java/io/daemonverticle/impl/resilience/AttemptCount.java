package io.daemonverticle.impl.resilience;

/**
 * How many attempts of one request the retry loop sent (hedges included), and which URL
 * answered. A caller that must tell a first answer from the answer to a retry asks for one: a broadcast whose first reply
 * was lost and whose retry hears "already known" was delivered by the first. Read on the
 * event loop that runs the request.
 */
public final class AttemptCount {

  private int sent;
  private int answeredAt = -1;

  void sent() {
    sent++;
  }

  void answeredAt(int index) {
    answeredAt = index;
  }

  /**
   * The index (in configured order) of the URL whose answer the request got; -1 before an
   * answer. A height told by another URL than the last is no reorg: it may only lag.
   */
  public int answeredAt() {
    return answeredAt;
  }

  /** Attempts sent so far. */
  public int get() {
    return sent;
  }
}
