package io.daemonverticle.impl.resilience;

/**
 * How many requests one daemon URL is given at once, learnt from its answers (additive
 * increase, multiplicative decrease, as TCP does with its window). bitcoind serves RPC with
 * {@code -rpcthreads} threads behind a queue of {@code -rpcworkqueue} (16 by default) and
 * refuses what does not fit with "Work queue depth exceeded"; ElectrumX tells the operator to
 * raise that by hand. Here a refusal halves the limit, down to the level at which it came and
 * never below 1, and every {@code limit} answers raise it by one, never above
 * {@code maxWorkqueue}: a burst larger than the daemon's queue then waits in our own
 * {@link WorkQueue}, bounded by each request's deadline, instead of failing.
 *
 * <p>One cut per round: the refusals of requests sent before the last cut say nothing new
 * (they were sent under the old limit), so only a refusal of a request sent under the current
 * limit cuts again. Otherwise a burst of refusals arriving together would drive the limit to 1.
 *
 * <p>Runs on the verticle's event loop; the getters may be read from elsewhere (status).
 */
public final class AdaptiveLimit {

  private final int max;
  private volatile int limit;
  private volatile int inFlight;
  /** The number of cuts so far: the round a request was sent in. */
  private long cuts;
  /** Answers since the limit last changed. */
  private int answers;

  public AdaptiveLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, not " + max);
    }
    this.max = max;
    this.limit = max;
  }

  /** The most requests to keep in flight to this URL now: 1..max. */
  public int current() {
    return limit;
  }

  /** Requests sent to this URL and not yet answered. */
  /** The most it ever allows: maxWorkqueue. */
  public int max() {
    return max;
  }

  public int inFlight() {
    return inFlight;
  }

  /** A request is sent now; hand the ticket back through exactly one of the methods below. */
  Ticket sent() {
    Ticket ticket = new Ticket(cuts, inFlight + 1);
    inFlight++;
    return ticket;
  }

  /** The URL answered (a result or its own JSON-RPC error): a little more room, slowly. */
  void answered(Ticket ticket) {
    inFlight--;
    if (++answers >= limit && limit < max) {
      answers = 0;
      limit++;
    }
  }

  /**
   * The URL refused for lack of room. True when this cut the limit (the first refusal of the
   * current round), false when the limit had already been cut since the request was sent.
   */
  boolean refused(Ticket ticket) {
    inFlight--;
    if (ticket.round() != cuts) {
      return false;
    }
    cuts++;
    answers = 0;
    limit = Math.max(1, Math.min(limit, ticket.level()) / 2);
    return true;
  }

  /** Anything else (timeout, connection trouble): says nothing about the URL's capacity. */
  void failed(Ticket ticket) {
    inFlight--;
  }

  /**
   * One request on the wire: the round it was sent in and how many requests were in flight
   * to the URL with it (1: it was alone, so a refusal of it is no matter of our load).
   */
  record Ticket(long round, int level) {

    boolean alone() {
      return level == 1;
    }
  }
}
