package io.daemonverticle.impl.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Cuts a connection at once: its socket closed and the bytes written to it and not yet sent
 * dropped, where {@link HttpConnection#close()} would first send them.
 *
 * <p>Uses Vert.x internals because its public API has no such close: in Vert.x 5 (checked on
 * 5.0.7) {@code close()} and {@code shutdown(timeout)} queue the close behind the bytes
 * already written, so a client that does not read keeps its connection, and the server its
 * bytes, until the idle timeout, or for as long as it keeps reading slowly. The server's
 * connections (HTTP/1 and HTTP/2) implement {@link HttpServerConnection}; a connection of
 * another type is closed by the public {@code close()}. Should a later Vert.x drop the type,
 * this class no longer compiles; should it queue this close too, {@code ReplyBudgetTest}
 * fails.
 */
final class ConnectionCut {

  private ConnectionCut() {
  }

  /** Closes {@code connection} now, dropping what it has not sent yet. */
  static void cut(HttpConnection connection) {
    if (connection instanceof HttpServerConnection server) {
      // Not channel().close(): that one runs down the whole pipeline into Vert.x's last
      // handler, which queues it as close() does. A close from that handler's own context
      // starts past it, as Vert.x's idle timeout does, and Netty releases what it has not sent.
      server.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }
}
