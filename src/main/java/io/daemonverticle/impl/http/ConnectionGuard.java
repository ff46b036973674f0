package io.daemonverticle.impl.http;

import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the connections the front holds: at most {@link #MAX_CONNECTIONS} at once (one more is
 * closed as it comes), and a connection must bring its first request's headers within
 * {@link #FIRST_REQUEST_MS} (half-sent headers, "slowloris", are closed then). Idle keep-alive
 * connections are closed by the server's idle timeout. Runs on the front's one event loop.
 *
 * <p>Needs cleartext HTTP/2 off (the front has it off): with it on, Vert.x makes an HTTP/1
 * connection, and calls this handler, only once it has read the first request's headers.
 *
 * <p>The first request's deadline is a timer of the front's {@link TimeSource}.
 */
final class ConnectionGuard implements Handler<HttpConnection> {

  static final int MAX_CONNECTIONS = 256;
  static final long FIRST_REQUEST_MS = 10_000;
  /** A connection with no byte in or out for this long is closed (keep-alive included). */
  static final int IDLE_TIMEOUT_S = 30;

  private final TimeSource time;
  private final int maxConnections;
  private final long firstRequestMs;
  /** The open connections still waiting for their first request's headers, with their timer. */
  private final Map<HttpConnection, Long> waiting = new HashMap<>();
  private int open;

  ConnectionGuard(TimeSource time) {
    this(time, MAX_CONNECTIONS, FIRST_REQUEST_MS);
  }

  ConnectionGuard(TimeSource time, int maxConnections, long firstRequestMs) {
    this.time = time;
    this.maxConnections = maxConnections;
    this.firstRequestMs = firstRequestMs;
  }

  int open() {
    return open;
  }

  @Override
  public void handle(HttpConnection connection) {
    if (open >= maxConnections) {
      connection.close();
      return;
    }
    open++;
    long timer = time.setTimer(firstRequestMs, id -> {
      if (waiting.remove(connection) != null) {
        connection.close();
      }
    });
    waiting.put(connection, timer);
    connection.closeHandler(v -> {
      open--;
      Long pending = waiting.remove(connection);
      if (pending != null) {
        time.cancelTimer(pending);
      }
    });
  }

  /** A request's headers are in: its connection is no longer waiting for its first. */
  void requestArrived(HttpConnection connection) {
    Long pending = waiting.remove(connection);
    if (pending != null) {
      time.cancelTimer(pending);
    }
  }
}
