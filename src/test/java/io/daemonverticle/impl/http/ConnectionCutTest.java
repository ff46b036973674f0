package io.daemonverticle.impl.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection that is not one of the server's is closed through the public API. The cut of
 * a server's connection, and that it drops what is unsent, is in {@link ReplyBudgetTest}.
 */
@ExtendWith(VertxExtension.class)
class ConnectionCutTest {

  @Test
  void aClientConnectionIsClosed(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer().requestHandler(request -> request.response().end())
        .listen(0, "127.0.0.1")
        .compose((HttpServer server) -> vertx.createHttpClient().connect(
            new HttpConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())))
        .onComplete(ctx.succeeding((HttpClientConnection connection) -> {
          connection.closeHandler(v -> ctx.completeNow());
          ConnectionCut.cut(connection);
        }));
  }
}
