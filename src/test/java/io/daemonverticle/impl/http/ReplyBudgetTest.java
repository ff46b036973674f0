package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that do not read their replies pin no more than the budget, and no longer than the
 * write timeout (issue 29, finding 4: six never-read 60 MB rawBlocks replies held 500 MB until
 * their clients left).
 */
@ExtendWith(VertxExtension.class)
class ReplyBudgetTest {

  /** Much larger than the socket buffers, so a client that does not read holds it pending. */
  private static final int REPLY_BYTES = 32 * 1024 * 1024;

  private Future<HttpServer> serve(Vertx vertx, ReplyBudget budget) {
    Router router = Router.router(vertx);
    router.get("/reply").handler(ctx -> budget.write(ctx, "application/octet-stream",
        Buffer.buffer(new byte[REPLY_BYTES])));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
  }

  /** Sends a GET and never reads its reply. */
  private static Future<NetSocket> neverRead(Vertx vertx, int port) {
    return vertx.createNetClient().connect(port, "127.0.0.1").map((NetSocket socket) -> {
      socket.pause();
      socket.write("GET /reply HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      return socket;
    });
  }

  @Test
  void aClientThatNeverReadsIsClosedAtTheWriteTimeoutAndItsBytesFreed(Vertx vertx,
                                                                      VertxTestContext ctx) {
    ReplyBudget budget = new ReplyBudget(vertx, 4L * REPLY_BYTES, 300);
    // The reply is pending first (the client does not read it), then freed when the timeout
    // closes the connection: the event that must come first is waited for, then the second.
    serve(vertx, budget)
        .compose((HttpServer server) -> neverRead(vertx, server.actualPort()))
        .compose((NetSocket socket) -> awaitPending(vertx, budget, p -> p == REPLY_BYTES))
        .compose((Void v) -> awaitPending(vertx, budget, p -> p == 0))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReplyPastTheBudgetIs503FromTheFrontWhileOthersAreUnread(Vertx vertx,
                                                               VertxTestContext ctx) {
    // Room for one reply: the first client does not read, the second is refused at once.
    ReplyBudget budget = new ReplyBudget(vertx, REPLY_BYTES + 1, 60_000);
    Promise<String> second = Promise.promise();
    Promise<NetSocket> first = Promise.promise();
    serve(vertx, budget).compose((HttpServer server) ->
            neverRead(vertx, server.actualPort())
                .onSuccess(first::complete)
                .compose((NetSocket socket) -> awaitPending(vertx, budget, p -> p > 0))
                .compose((Void v) -> vertx.createNetClient()
                    .connect(server.actualPort(), "127.0.0.1"))
                .map((NetSocket socket) -> {
                  Buffer got = Buffer.buffer();
                  socket.handler((Buffer b) -> {
                    got.appendBuffer(b);
                    if (got.toString(StandardCharsets.ISO_8859_1).endsWith("}")) {
                      second.tryComplete(got.toString(StandardCharsets.ISO_8859_1));
                    }
                  });
                  socket.write("GET /reply HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                  return socket;
                }))
        .compose((NetSocket socket) -> second.future())
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 503").contains("\"source\":\"http\"")
              .contains("not read yet");
          assertThat(budget.pending()).isEqualTo(REPLY_BYTES);
          // The first client's connection would hold Vert.x's close (the server's graceful
          // shutdown waits up to 30 s for its unread reply, as long as the extension waits).
          first.future().compose(NetSocket::close).onComplete(ctx.succeedingThenComplete());
        })));
  }

  /** Completes once the pending bytes satisfy {@code state} (checked every 10 ms). */
  private static Future<Void> awaitPending(Vertx vertx, ReplyBudget budget,
                                          LongPredicate state) {
    Promise<Void> pending = Promise.promise();
    vertx.setPeriodic(10, (Long id) -> {
      if (state.test(budget.pending())) {
        vertx.cancelTimer(id);
        pending.complete();
      }
    });
    return pending.future();
  }
}
