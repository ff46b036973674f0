package io.daemonverticle.impl.http;

import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what clients that read slowly (or never) can pin: the bytes of replies written but not
 * yet taken by their clients add up to {@code budgetBytes} at most (a reply past it is answered
 * 503 by the front, and dropped), and each reply must be taken within
 * {@link #WRITE_TIMEOUT_MS} (by default), after which its connection is cut at once, the bytes
 * not yet sent dropped with it ({@link ConnectionCut}: Vert.x 5's own close would first send
 * them, to a client that reads slowly or not at all), and no longer counted.
 *
 * <p>Runs on the front's one event loop: the budget is a plain counter. The write timeout is a
 * timer of the front's {@link TimeSource}.
 */
final class ReplyBudget {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyBudget.class);
  /** Longest a client may take to read one reply. */
  static final long WRITE_TIMEOUT_MS = 60_000;

  private final TimeSource time;
  private final long budgetBytes;
  private final long writeTimeoutMs;
  private long pending;

  ReplyBudget(TimeSource time, long budgetBytes) {
    this(time, budgetBytes, WRITE_TIMEOUT_MS);
  }

  ReplyBudget(TimeSource time, long budgetBytes, long writeTimeoutMs) {
    this.time = time;
    this.budgetBytes = budgetBytes;
    this.writeTimeoutMs = writeTimeoutMs;
  }

  /** Bytes of replies written and not yet taken by their clients. */
  long pending() {
    return pending;
  }

  void write(RoutingContext ctx, String contentType, Buffer bytes) {
    HttpServerResponse response = ctx.response();
    long size = bytes.length();
    if (pending > 0 && pending + size > budgetBytes) {
      ErrorReply.send(response, 503, "the HTTP front holds " + pending + " bytes of replies "
          + "that their clients have not read yet, its most is " + budgetBytes
          + ": try again", ErrorReply.HTTP);
      return;
    }
    pending += size;
    long timer = time.setTimer(writeTimeoutMs, id -> {
      LOG.warn("HTTP front: a client did not read its {}-byte reply within {} ms; its "
          + "connection is closed", size, writeTimeoutMs);
      ConnectionCut.cut(ctx.request().connection());
    });
    // The write completes once the client has taken the bytes, and fails when the connection
    // closes first (the client left, or the timer cut it, which fails it at once): either way
    // they are freed, and not before, so the budget counts what the server really holds.
    response.putHeader("content-type", contentType).end(bytes).onComplete(ar -> {
      time.cancelTimer(timer);
      pending -= size;
    });
  }
}
