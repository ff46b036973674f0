package io.daemonverticle.impl.service;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.cluster.Tip;
import io.daemonverticle.impl.cluster.TipEvent;
import io.daemonverticle.impl.codec.HashHex;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.jsonrpc.RpcCall;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tip's long-poll: one {@code waitfornewblock} at a time, on a transport of its own
 * (outside the work queue, not counted in {@code maxWorkqueue}), renewed as soon as it
 * returns; after a failure (the daemon restarting resets the connection) it tries again with
 * backoff, while the poll covers the gap. A daemon without the call (method not found, the
 * first answer) turns it off for good: the poll follows the tip alone.
 *
 * <p>{@code waitfornewblock} waits for a tip other than the one at its start, so a block found
 * between one call's return and the next call's start would wait for the next block: after
 * each return (and each failure) the tip is read once more as the next call goes out. A
 * daemon whose {@code -rpcservertimeout} is shorter than the wait cuts the call: a call that
 * ends without an answer after waiting a second or more halves the wait (down to
 * {@link #MIN_WAIT_MS}), so that the next ones return before the cut. The backoff's timer and
 * how long a call waited are on the service's {@link TimeSource}.
 */
final class LongPoll implements TipSources.PushSource {

  /** How long one call waits: below bitcoind's default {@code -rpcservertimeout} of 30 s. */
  static final long WAIT_MS = 20_000;
  static final long MIN_WAIT_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(LongPoll.class);

  private final TimeSource time;
  private final Call call;
  private final Supplier<DaemonUrl> url;
  private final TipSink follower;
  private final Backoff backoff;
  private final long attemptMarginMs;
  private boolean running;
  private boolean off;
  /** Counts starts: an answer to a call of an earlier run is dropped. */
  private long run;
  private Promise<Void> cancel = Promise.promise();
  private long timer = -1;
  private int failures;
  private long waitMs = WAIT_MS;
  /** Whether the tip may have changed unseen since the last call went out. */
  private boolean unseen;

  /** Doubling waits between failed calls, from {@code initMs} up to {@code maxMs}. */
  record Backoff(long initMs, long maxMs) {
    long after(int failures) {
      long wait = initMs << Math.min(20, Math.max(0, failures - 1));
      return Math.min(maxMs, wait);
    }
  }

  /** One call sent once: {@code DirectCall}'s, on the long-poll's own transport. */
  @FunctionalInterface
  interface Call {
    Future<Object> call(DaemonUrl url, RpcCall call, long timeoutMs, Future<Void> cancel);
  }

  /**
   * @param time            where the backoff is timed and each call's wait measured
   * @param url             where to call: the URL the requests use now
   * @param attemptMarginMs how much longer than {@link #WAIT_MS} the HTTP exchange may take
   */
  LongPoll(TimeSource time, Call call, Supplier<DaemonUrl> url, TipSink follower,
           Backoff backoff, long attemptMarginMs) {
    this.time = time;
    this.call = call;
    this.url = url;
    this.follower = follower;
    this.backoff = backoff;
    this.attemptMarginMs = attemptMarginMs;
  }

  boolean isOff() {
    return off;
  }

  @Override
  public void start() {
    if (running || off) {
      return;
    }
    running = true;
    run++;
    failures = 0;
    next();
  }

  @Override
  public void stop() {
    running = false;
    cancel.tryComplete();
    if (timer >= 0) {
      time.cancelTimer(timer);
      timer = -1;
    }
  }

  private void next() {
    timer = -1;
    if (!running || off) {
      return;
    }
    long thisRun = run;
    long wait = waitMs;
    long sentNanos = time.nanoTime();
    cancel = Promise.promise();
    call.call(url.get(), RpcCall.of("waitfornewblock", wait), wait + attemptMarginMs,
            cancel.future())
        .onComplete(ar -> {
          if (thisRun != run || !running) {
            return;
          }
          unseen = true;
          if (ar.succeeded()) {
            failures = 0;
            tell(ar.result());
            next();
          } else if (lacksTheCall(ar.cause())) {
            off = true;
            LOG.info("the daemon has no waitfornewblock: the tip is followed by polling");
          } else {
            failures++;
            long waitedMs = (time.nanoTime() - sentNanos) / 1_000_000;
            if (waitedMs >= MIN_WAIT_MS && waitedMs < wait) {
              // Cut before its time: the daemon's -rpcservertimeout, or a restart.
              waitMs = Math.max(MIN_WAIT_MS, waitedMs / 2);
            }
            LOG.debug("tip long-poll failed ({} in a row, after {} ms): {}", failures, waitedMs,
                ar.cause().getMessage());
            timer = time.setTimer(backoff.after(failures), id -> next());
          }
        });
    if (unseen) {
      unseen = false;
      follower.poll(TipEvent.LONG_POLL).onFailure(e ->
          LOG.debug("tip not read beside the long-poll: {}", e.getMessage()));
    }
  }

  /** How long the next call waits (shortened after the daemon cut one). */
  long waitMs() {
    return waitMs;
  }

  private void tell(Object answer) {
    if (!(answer instanceof JsonObject tip) || !(tip.getValue("hash") instanceof String hash)
        || !(tip.getValue("height") instanceof Number height)) {
      LOG.debug("waitfornewblock answered {}: no tip", answer);
      return;
    }
    Tip seen;
    try {
      HashHex.hexToHash(hash, "waitfornewblock's hash");
      seen = new Tip(height.intValue(), hash);
    } catch (IllegalArgumentException e) {
      LOG.debug("waitfornewblock answered {}: {}", answer, e.getMessage());
      return;
    }
    follower.saw(seen, null, TipEvent.LONG_POLL).onFailure(e ->
        LOG.debug("tip {} from the long-poll not followed: {}", seen, e.getMessage()));
  }

  private static boolean lacksTheCall(Throwable failure) {
    return failure instanceof DaemonRpcException e
        && Integer.valueOf(JsonRpc.METHOD_NOT_FOUND).equals(e.rpcCode());
  }
}
