package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.HeldClients;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
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
 * The deadline is asserted in virtual time ({@link VirtualTime}): exactly 10 s, in none; the
 * server runs on the clock's context, where the guard's timers fire.
 */
@ExtendWith(VertxExtension.class)
class ConnectionGuardTest {

  /** Serves on {@code context}: the guard runs there, as on the front's one event loop. */
  private Future<HttpServer> serve(Context context, ConnectionGuard guard) {
    Promise<HttpServer> listening = Promise.promise();
    // As the front serves: with h2c on, Vert.x makes an HTTP/1 connection only once it has
    // seen its first request (to tell the protocols apart), too late for the guard.
    context.runOnContext((Void v) -> context.owner().createHttpServer(
            new HttpServerOptions().setHttp2ClearTextEnabled(false))
        .connectionHandler(guard).requestHandler(request -> {
          guard.requestArrived(request.connection());
          request.response().end("ok");
        }).listen(0, "127.0.0.1").onComplete(listening));
    return listening.future();
  }

  private static Future<NetSocket> connect(Vertx vertx, int port, Promise<Void> closed) {
    return HeldClients.net(vertx).connect(port, "127.0.0.1").map((NetSocket socket) -> {
      socket.closeHandler((Void v) -> closed.tryComplete());
      return socket;
    });
  }

  @Test
  void halfSentHeadersAreClosedAtTheFirstRequestDeadline(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ConnectionGuard guard = new ConnectionGuard(time);
    Promise<Void> closed = Promise.promise();
    serve(context, guard).compose((HttpServer server) -> connect(vertx, server.actualPort(),
            closed))
        .compose((NetSocket socket) -> {
          socket.write("POST /actions/height HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
          // The guard has the connection and its deadline: only time can close it now.
          return time.once(() -> guard.open() == 1 && time.pending() == 1);
        })
        .compose((Void held) -> time.advance(ConnectionGuard.FIRST_REQUEST_MS - 1))
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(time.delaysSet()).containsExactly(ConnectionGuard.FIRST_REQUEST_MS);
            assertThat(guard.open()).as("open until its 10 s are up").isEqualTo(1);
          });
          return time.advance(1);
        })
        .compose((Void v) -> closed.future())
        .compose((Void v) -> time.once(() -> guard.open() == 0))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(closed.future().succeeded()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  void aConnectionWhoseRequestArrivedIsNotClosedByTheDeadline(Vertx vertx,
                                                              VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ConnectionGuard guard = new ConnectionGuard(time);
    AtomicInteger answers = new AtomicInteger();
    Promise<Void> first = Promise.promise();
    Promise<Void> second = Promise.promise();
    Promise<Void> closed = Promise.promise();
    serve(context, guard).compose((HttpServer server) -> connect(vertx, server.actualPort(),
            closed))
        .compose((NetSocket socket) -> {
          closed.future().onSuccess((Void v) -> ctx.failNow(
              new AssertionError("closed, though its first request had arrived")));
          socket.handler(b -> (answers.incrementAndGet() == 1 ? first : second).tryComplete());
          socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          return first.future().compose((Void v) -> time.once(() -> time.pending() == 0))
              .compose((Void v) -> {
                ctx.verify(() -> assertThat(time.delaysSet()).as("the deadline was set")
                    .containsExactly(ConnectionGuard.FIRST_REQUEST_MS));
                // Well past the deadline: it was cancelled by the first request.
                return time.advance(10 * ConnectionGuard.FIRST_REQUEST_MS);
              })
              .compose((Void v) -> {
                // A second request on the same connection is answered too.
                socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                return second.future();
              });
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(closed.future().isComplete()).isFalse();
          assertThat(guard.open()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void pastTheCapAConnectionIsClosedAsItComes(Vertx vertx, VertxTestContext ctx) {
    ConnectionGuard guard = new ConnectionGuard(TimeSource.of(vertx), 2, 60_000);
    Promise<Void> third = Promise.promise();
    serve(vertx.getOrCreateContext(), guard).compose((HttpServer server) -> {
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
