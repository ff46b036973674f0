package io.daemonverticle.impl.resilience;

import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the requests sent to the daemon, counted where it happens and read by the
 * status reply (and by metrics, which read from other threads: hence adders, not plain longs).
 */
public final class RpcCounters {

  private final LongAdder requests = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder failovers = new LongAdder();
  private final LongAdder transientFailures = new LongAdder();
  private final LongAdder daemonErrors = new LongAdder();
  private final LongAdder unavailable = new LongAdder();
  private final LongAdder backPressure = new LongAdder();
  private final LongAdder hedges = new LongAdder();
  private final LongAdder offloads = new LongAdder();
  private final LongAdder restBlocks = new LongAdder();
  private final LongAdder restFallbacks = new LongAdder();

  void recordRequest() {
    requests.increment();
  }

  void recordRetry() {
    retries.increment();
  }

  void recordFailover() {
    failovers.increment();
  }

  void recordTransientFailure() {
    transientFailures.increment();
  }

  void recordDaemonError() {
    daemonErrors.increment();
  }

  void recordUnavailable() {
    unavailable.increment();
  }

  void recordBackPressure() {
    backPressure.increment();
  }

  public void recordOffload() {
    offloads.increment();
  }

  void recordHedge() {
    hedges.increment();
  }

  public void recordRestBlocks(int blocks) {
    restBlocks.add(blocks);
  }

  public void recordRestFallback() {
    restFallbacks.increment();
  }

  /** Blocks fetched over the daemon's REST interface. */
  public long restBlocks() {
    return restBlocks.sum();
  }

  /**
   * Blocks requests that a URL serving REST answered with something else than a block's
   * bytes, and that went over JSON-RPC instead.
   */
  public long restFallbacks() {
    return restFallbacks.sum();
  }

  /** Reply work (parsing, hex decoding) large enough to be sent to a worker thread. */
  public long offloaded() {
    return offloads.sum();
  }

  /** Hedged reads: attempts sent to a second URL because the first had not answered yet. */
  public long hedges() {
    return hedges.sum();
  }

  /** Requests handed to the retry loop (a batch is one). */
  public long requests() {
    return requests.sum();
  }

  /** Attempts that failed transiently and were tried again. */
  public long retries() {
    return retries.sum();
  }

  /** Moves of the current URL to the next one after a circuit opened. */
  public long failovers() {
    return failovers.sum();
  }

  /** Attempts that failed in a way worth retrying (timeouts, refusals, warm-up, …). */
  public long transientFailures() {
    return transientFailures.sum();
  }

  /** Requests the daemon answered with a JSON-RPC error (422, never retried). */
  public long daemonErrors() {
    return daemonErrors.sum();
  }

  /**
   * Attempts the daemon refused for lack of room ("Work queue depth exceeded", HTTP 503):
   * each cut or held down its URL's limit and was retried; also counted as transient failures.
   */
  public long backPressure() {
    return backPressure.sum();
  }

  /** Requests given up at their deadline (503). */
  public long unavailable() {
    return unavailable.sum();
  }
}
