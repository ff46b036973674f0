package io.daemonverticle.impl.http;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Cuts a connection at once: its socket closed and the bytes written to it and not yet sent
 * dropped, where {@link HttpConnection#close()} would first send them.
 *
 * <p>Reaches into Vert.x because its public API has no such close: in Vert.x 5 (checked on
 * 5.0.7) {@code close()} and {@code shutdown(timeout)} queue the close behind the bytes
 * already written, so a client that does not read keeps its connection, and the server its
 * bytes, until the idle timeout, or for as long as it keeps reading slowly. The server's
 * connections (HTTP/1 and HTTP/2) implement {@code io.vertx.core.http.impl.HttpServerConnection},
 * whose {@code channelHandlerContext()} is reached by reflection: that package is exported to
 * Vert.x's own tests only, so a compiled reference would not build as a module. On the class
 * path (the launcher's jar, an embedder's usual set-up) the cut is made; on the module path,
 * or with a connection of another type, or should a later Vert.x drop the method, the public
 * {@code close()} is the fall-back (and {@code ReplyBudgetTest} goes red on the class path).
 */
final class ConnectionCut {

  private static final Method HANDLER_CONTEXT = handlerContextMethod();

  private ConnectionCut() {
  }

  /** Closes {@code connection} now, dropping what it has not sent yet. */
  static void cut(HttpConnection connection) {
    ChannelHandlerContext handler = handlerContext(connection);
    if (handler != null) {
      // Not channel().close(): that one runs down the whole pipeline into Vert.x's last
      // handler, which queues it as close() does. A close from that handler's own context
      // starts past it, as Vert.x's idle timeout does, and Netty releases what it has not sent.
      handler.close();
    } else {
      connection.close();
    }
  }

  private static Method handlerContextMethod() {
    try {
      return Class.forName("io.vertx.core.http.impl.HttpServerConnection")
          .getMethod("channelHandlerContext");
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** The connection's own handler context, or null where it cannot be had. */
  private static ChannelHandlerContext handlerContext(HttpConnection connection) {
    if (HANDLER_CONTEXT == null || !HANDLER_CONTEXT.getDeclaringClass().isInstance(connection)) {
      return null;
    }
    try {
      return (ChannelHandlerContext) HANDLER_CONTEXT.invoke(connection);
    } catch (IllegalAccessException | InvocationTargetException | ClassCastException e) {
      // IllegalAccessException on the module path, where the package is not exported to us.
      return null;
    }
  }
}
