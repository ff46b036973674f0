package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.HeldClients;
import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that do not read their replies pin no more than the budget, and no longer than the
 * write timeout (issue 29, finding 4: six never-read 60 MB rawBlocks replies held 500 MB until
 * their clients left). The write timeout is asserted in virtual time ({@link VirtualTime}):
 * exactly 60 s, in none; the server runs on the clock's context, where the budget's timers
 * fire.
 */
@ExtendWith(VertxExtension.class)
class ReplyBudgetTest {

  /** Much larger than the socket buffers, so a client that does not read holds it pending. */
  private static final int REPLY_BYTES = 32 * 1024 * 1024;
  /** Small enough for any socket buffer: a client that reads takes it at once. */
  private static final int SMALL_BYTES = 1_000;

  /** Serves {@code /reply} ({@link #REPLY_BYTES}) and {@code /small} through the budget. */
  private static Future<HttpServer> serve(Context context, ReplyBudget budget) {
    return serve(context, budget, (HttpConnection connection) -> { });
  }

  /** As {@link #serve(Context, ReplyBudget)}, each connection given to {@code connections}. */
  private static Future<HttpServer> serve(Context context, ReplyBudget budget,
                                          Handler<HttpConnection> connections) {
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext((Void v) -> {
      Router router = Router.router(context.owner());
      router.get("/reply").handler(ctx -> budget.write(ctx, "application/octet-stream",
          Buffer.buffer(new byte[REPLY_BYTES])));
      router.get("/small").handler(ctx -> budget.write(ctx, "application/octet-stream",
          Buffer.buffer(new byte[SMALL_BYTES])));
      context.owner().createHttpServer().connectionHandler(connections).requestHandler(router)
          .listen(0, "127.0.0.1").onComplete(listening);
    });
    return listening.future();
  }

  /** Sends a GET of {@code path} and never reads its reply; {@code closed} when it closes. */
  private static Future<NetSocket> neverRead(Vertx vertx, int port, String path,
                                             Promise<Void> closed) {
    return HeldClients.net(vertx).connect(port, "127.0.0.1").map((NetSocket socket) -> {
      socket.closeHandler((Void v) -> closed.tryComplete());
      socket.pause();
      socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      return socket;
    });
  }

  @Test
  void aClientThatNeverReadsIsCutAtTheWriteTimeoutAndItsBytesFreed(Vertx vertx,
                                                                   VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ReplyBudget budget = new ReplyBudget(time, 4L * REPLY_BYTES);
    Promise<Void> cut = Promise.promise();
    Promise<Void> closed = Promise.promise();
    NetSocket[] client = new NetSocket[1];
    long[] received = new long[1];
    LogCapture log = LogCapture.start();
    // Assertions fail the chain rather than the test context: a failed run must first let
    // go of the unread client (below), or the server's connection, still holding the
    // reply, holds Vert.x's teardown for its 30 s grace and the failure looks like a hang.
    serve(context, budget, (HttpConnection connection) ->
            connection.closeHandler((Void v) -> cut.tryComplete()))
        .compose((HttpServer server) -> neverRead(vertx, server.actualPort(), "/reply", closed))
        // The reply is written and not taken: only time can free it now.
        .compose((NetSocket socket) -> {
          client[0] = socket;
          socket.handler((Buffer b) -> received[0] += b.length());
          return time.once(() -> time.pending() == 1);
        })
        .compose((Void held) -> {
          assertThat(budget.pending()).isEqualTo(REPLY_BYTES);
          return time.advance(ReplyBudget.WRITE_TIMEOUT_MS - 1);
        })
        .compose((Void v) -> {
          assertThat(time.delaysSet()).containsExactly(ReplyBudget.WRITE_TIMEOUT_MS);
          assertThat(budget.pending()).as("held until its 60 s are up").isEqualTo(REPLY_BYTES);
          assertThat(cut.future().isComplete()).isFalse();
          assertThat(log.linesWith("did not read")).isEmpty();
          return time.advance(1);
        })
        // The client still reads nothing (and the server has no idle timeout): the write
        // fails, and the bytes are freed, only if the timeout cuts the connection at once,
        // the unsent bytes dropped; a close queued behind them leaves them pending.
        .compose((Void v) -> {
          assertThat(budget.pending()).as("freed at the timeout").isZero();
          return cut.future();
        })
        .compose((Void v) -> {
          client[0].resume();
          return closed.future();
        })
        .recover((Throwable failure) -> {
          log.close();
          return (client[0] == null ? Future.<Void>succeededFuture() : client[0].close())
              .transform((ar) -> Future.<Void>failedFuture(failure));
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(received[0]).as("the client gets what the sockets held, not the reply")
              .isLessThan(REPLY_BYTES);
          assertThat(log.linesWith("did not read")).singleElement()
              .satisfies((String line) -> assertThat(line).startsWith("WARN")
                  .contains(REPLY_BYTES + "-byte reply within 60000 ms"));
          assertThat(log.lines()).noneMatch((String line) -> line.startsWith("ERROR"));
          log.close();
          ctx.completeNow();
        })));
  }

  @Test
  void aReplyTakenInTimeFreesItsBytesAndCancelsItsTimeout(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ReplyBudget budget = new ReplyBudget(time, 4L * REPLY_BYTES);
    Promise<String> reply = Promise.promise();
    Promise<Void> closed = Promise.promise();
    serve(context, budget)
        .compose((HttpServer server) -> HeldClients.net(vertx)
            .connect(server.actualPort(), "127.0.0.1"))
        .compose((NetSocket socket) -> {
          Buffer got = Buffer.buffer();
          socket.closeHandler((Void v) -> closed.tryComplete());
          socket.handler((Buffer b) -> {
            got.appendBuffer(b);
            String text = got.toString(StandardCharsets.ISO_8859_1);
            int headers = text.indexOf("\r\n\r\n");
            if (headers >= 0 && got.length() - headers - 4 == SMALL_BYTES) {
              reply.tryComplete(text.substring(0, headers));
            }
          });
          socket.write("GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          return reply.future();
        })
        // Taken by the client: the write completes, and with it the timer goes.
        .compose((String head) -> {
          ctx.verify(() -> assertThat(head).startsWith("HTTP/1.1 200")
              .containsIgnoringCase("content-type: application/octet-stream"));
          return time.once(() -> time.pending() == 0);
        })
        .compose((Void v) -> time.advance(10 * ReplyBudget.WRITE_TIMEOUT_MS))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(time.delaysSet()).as("the timeout was set")
              .containsExactly(ReplyBudget.WRITE_TIMEOUT_MS);
          assertThat(closed.future().isComplete()).as("kept open past the timeout").isFalse();
          assertThat(budget.pending()).isZero();
          ctx.completeNow();
        })));
  }

  /**
   * Asks {@code path} while a client does not read its {@link #REPLY_BYTES}: the reply's text
   * once {@code whole} says it is all in. The unread client is closed after, whatever came:
   * its connection would hold Vert.x's close (the server's graceful shutdown waits up to 30 s
   * for its unread reply, as long as the extension waits).
   */
  private static Future<String> besideAnUnreadReply(Context context, VirtualTime time,
                                                    ReplyBudget budget, String path,
                                                    Predicate<String> whole) {
    Vertx vertx = context.owner();
    Promise<NetSocket> first = Promise.promise();
    Promise<String> second = Promise.promise();
    return serve(context, budget).compose((HttpServer server) ->
            neverRead(vertx, server.actualPort(), "/reply", Promise.promise())
                .onSuccess(first::complete)
                .compose((NetSocket socket) -> time.once(() -> time.pending() == 1))
                .compose((Void v) -> HeldClients.net(vertx)
                    .connect(server.actualPort(), "127.0.0.1")))
        .compose((NetSocket socket) -> {
          Buffer got = Buffer.buffer();
          socket.handler((Buffer b) -> {
            // Decided once: a reply that should have been refused comes whole, 32 MB
            // read as text again at each chunk would take seconds.
            if (second.future().isComplete()) {
              return;
            }
            got.appendBuffer(b);
            String text = got.toString(StandardCharsets.ISO_8859_1);
            if (whole.test(text)) {
              second.tryComplete(text);
            }
          });
          socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          return second.future();
        })
        .eventually(() -> first.future().compose(NetSocket::close));
  }

  @Test
  void aReplyPastTheBudgetIs503FromTheFrontWhileOthersAreUnread(Vertx vertx,
                                                               VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    // Room for one reply: the first client does not read, the second is refused at once.
    ReplyBudget budget = new ReplyBudget(time, REPLY_BYTES + 1);
    // The whole 503, or as soon as it is something else.
    besideAnUnreadReply(context, time, budget, "/reply", (String text) -> text.length() >= 12
        && !text.startsWith("HTTP/1.1 503") || text.endsWith("}"))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 503").contains("\"source\":\"http\"")
              .contains("holds " + REPLY_BYTES + " bytes").contains("its most is "
                  + (REPLY_BYTES + 1));
          assertThat(budget.pending()).isEqualTo(REPLY_BYTES);
          assertThat(time.pending()).as("no timer for a reply refused").isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void aReplyThatFitsTheBudgetExactlyIsWrittenBesideAnUnreadOne(Vertx vertx,
                                                                VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    // Room for the unread reply and the small one to the byte.
    ReplyBudget budget = new ReplyBudget(time, REPLY_BYTES + SMALL_BYTES);
    besideAnUnreadReply(context, time, budget, "/small", (String text) -> text.length() >= 12)
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 200");
          ctx.completeNow();
        })));
  }

  @Test
  void aReplyLargerThanTheWholeBudgetIsWrittenWhenNoneIsPending(Vertx vertx,
                                                               VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    // The budget bounds what replies pin together: one alone always goes out.
    ReplyBudget budget = new ReplyBudget(time, SMALL_BYTES - 1);
    Promise<String> reply = Promise.promise();
    serve(context, budget)
        .compose((HttpServer server) -> HeldClients.net(vertx)
            .connect(server.actualPort(), "127.0.0.1"))
        .compose((NetSocket socket) -> {
          socket.handler((Buffer b) -> reply.tryComplete(b.toString(StandardCharsets.ISO_8859_1)));
          socket.write("GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          return reply.future();
        })
        .onComplete(ctx.succeeding((String head) -> ctx.verify(() -> {
          assertThat(head).startsWith("HTTP/1.1 200");
          ctx.completeNow();
        })));
  }
}
