package io.daemonverticle.impl.resilience;

/**
 * How many attempts of one request the retry loop sent (hedges included). A caller that must
 * tell a first answer from the answer to a retry asks for one: a broadcast whose first reply
 * was lost and whose retry hears "already known" was delivered by the first. Read on the
 * event loop that runs the request.
 */
public final class AttemptCount {

  private int sent;

  void sent() {
    sent++;
  }

  /** Attempts sent so far. */
  public int get() {
    return sent;
  }
}
