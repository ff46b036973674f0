package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Half-sent headers are closed after the first-request deadline, and past the cap a connection
 * is closed as it comes (issue 29, finding 3: 200 slowloris connections stayed open 150 s).
 */
@ExtendWith(VertxExtension.class)
class ConnectionGuardTest {

  private Future<HttpServer> serve(Vertx vertx, ConnectionGuard guard) {
    // As the front serves: with h2c on, Vert.x makes an HTTP/1 connection only once it has
    // seen its first request (to tell the protocols apart), too late for the guard.
    return vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
        .connectionHandler(guard).requestHandler(request -> {
      guard.requestArrived(request.connection());
      request.response().end("ok");
    }).listen(0, "127.0.0.1");
  }

  private static Future<NetSocket> connect(Vertx vertx, int port, Promise<Void> closed) {
    return vertx.createNetClient().connect(port, "127.0.0.1").map((NetSocket socket) -> {
      socket.closeHandler((Void v) -> closed.tryComplete());
      return socket;
    });
  }

  @Test
  void halfSentHeadersAreClosedAtTheFirstRequestDeadline(Vertx vertx, VertxTestContext ctx) {
    ConnectionGuard guard = new ConnectionGuard(vertx, 10, 200);
    Promise<Void> closed = Promise.promise();
    serve(vertx, guard).compose((HttpServer server) -> connect(vertx, server.actualPort(),
            closed))
        .compose((NetSocket socket) -> {
          socket.write("POST /actions/height HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
          return closed.future();
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(guard.open()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void aConnectionWhoseRequestArrivedIsNotClosedByTheDeadline(Vertx vertx,
                                                              VertxTestContext ctx) {
    ConnectionGuard guard = new ConnectionGuard(vertx, 10, 200);
    AtomicInteger answers = new AtomicInteger();
    Promise<Void> second = Promise.promise();
    serve(vertx, guard).compose((HttpServer server) -> vertx.createNetClient()
            .connect(server.actualPort(), "127.0.0.1"))
        .onComplete(ctx.succeeding((NetSocket socket) -> {
          socket.handler(b -> {
            // The first answer, then (past the deadline) a second request on the same
            // connection, answered too: the deadline was for the first request only.
            if (answers.incrementAndGet() == 1) {
              vertx.setTimer(400, (Long id) -> socket.write(
                  "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            } else {
              second.tryComplete();
            }
          });
          socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }));
    second.future().onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
      assertThat(guard.open()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void pastTheCapAConnectionIsClosedAsItComes(Vertx vertx, VertxTestContext ctx) {
    ConnectionGuard guard = new ConnectionGuard(vertx, 2, 60_000);
    Promise<Void> third = Promise.promise();
    serve(vertx, guard).compose((HttpServer server) -> {
      int port = server.actualPort();
      return connect(vertx, port, Promise.promise())
          .compose((NetSocket a) -> connect(vertx, port, Promise.promise()))
          .compose((NetSocket b) -> connect(vertx, port, third));
    }).compose((NetSocket c) -> third.future())
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(guard.open()).isEqualTo(2);
          ctx.completeNow();
        })));
  }
}
