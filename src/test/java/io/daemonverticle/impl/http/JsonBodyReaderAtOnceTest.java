package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.HeldClients;
import io.daemonverticle.Actions;
import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the reader decides when its handler is called, seen the moment the call returns: a
 * refusal is already answered, an accepted body has its share of the budget and its read
 * timer, and nothing was thrown. Each later step is awaited by the event that must come
 * first (the read timer cancelled when the body ended, the request's end handlers run), so a
 * request the reader forgets to answer fails the test at once instead of leaving it waiting.
 */
@ExtendWith(VertxExtension.class)
class JsonBodyReaderAtOnceTest {

  private static final int MAX_BATCH = 10;
  private static final long LIMIT = BodyLimits.bytes(Actions.spec(Actions.RAW_BLOCKS), MAX_BATCH);
  private static final String EMPTY = "{\"hashes\":[]}";

  /** What one call of the reader left when it returned. */
  private record Returned(boolean ended, int status, int timers, long inFlight,
                          Throwable thrown) {
  }

  /** The reader served on the clock's context, and what each request made of it. */
  private static final class Front {
    final VirtualTime time;
    final JsonBodyReader reader;
    final List<Returned> returned = new ArrayList<>();
    final List<HttpServerResponse> responses = new ArrayList<>();
    /** The indexes of the requests whose end handlers (the reader's among them) have run. */
    final List<Integer> ended = new ArrayList<>();
    /** Every client connected: closed before a failure is reported (see {@link #done}). */
    final List<Client> clients = new ArrayList<>();
    int port;

    Front(Context context, long budget) {
      time = new VirtualTime(context);
      reader = new JsonBodyReader(time, MAX_BATCH, budget);
    }

    Future<Front> serve(Context context) {
      Promise<HttpServer> listening = Promise.promise();
      context.runOnContext((Void v) -> {
        Router router = Router.router(context.owner());
        router.post("/actions/:action").handler(ctx -> {
          int index = returned.size();
          responses.add(ctx.response());
          try {
            reader.handle(ctx);
          } catch (RuntimeException e) {
            returned.add(new Returned(false, 0, time.pending(), reader.inFlight(), e));
            throw e;
          }
          returned.add(new Returned(ctx.response().ended(), ctx.response().getStatusCode(),
              time.pending(), reader.inFlight(), null));
          ctx.addEndHandler(ar -> ended.add(index));
        }).handler(ctx -> ctx.response().end(String.valueOf((JsonObject) ctx.get(
            JsonBodyReader.BODY))));
        context.owner().createHttpServer(new HttpServerOptions()
                .setHttp2ClearTextEnabled(false))
            .requestHandler(router).listen(0, "127.0.0.1").onComplete(listening);
      });
      return listening.future().map((HttpServer server) -> {
        port = server.actualPort();
        return this;
      });
    }

    /** Completes once the reader has returned from {@code count} requests. */
    Future<Void> handled(int count) {
      return time.once(() -> returned.size() >= count);
    }

    /** Sends {@code request}; completes with its client once the reader returned from it. */
    Future<Client> sent(Vertx vertx, String action, String request) {
      return send(vertx, this, action, request)
          .compose((Client client) -> handled(clients.size()).map(client));
    }

    /**
     * {@code chain}, its failure reported only once every client has gone: a request the
     * server still holds unanswered would hold Vert.x's teardown for its grace period, and the
     * failure would look like a hang.
     */
    <T> Future<T> done(Future<T> chain) {
      return chain.recover((Throwable failure) -> {
        List<Future<Void>> closing = new ArrayList<>();
        for (Client client : clients) {
          closing.add(client.socket().close());
        }
        return Future.join(closing).transform((ar) -> Future.<T>failedFuture(failure));
      });
    }
  }

  /** A client connection with what it has received so far. */
  private record Client(NetSocket socket, Buffer got, Promise<Void> closed) {

    String text() {
      return got.toString(StandardCharsets.ISO_8859_1);
    }

    /** The first reply whole, by its Content-Length, or what came before the close. */
    Future<String> reply(Vertx vertx) {
      Promise<String> whole = Promise.promise();
      Runnable check = () -> {
        String text = text();
        int head = text.indexOf("\r\n\r\n");
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length: ");
        if (head >= 0 && at >= 0 && at < head) {
          int length = Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)).trim());
          if (text.length() >= head + 4 + length) {
            whole.tryComplete(text.substring(0, head + 4 + length));
          }
        }
      };
      socket.handler((Buffer b) -> {
        got.appendBuffer(b);
        check.run();
      });
      closed.future().onComplete(v -> whole.tryComplete(text()));
      check.run();
      return whole.future();
    }
  }

  /** Connects and sends {@code request} (after the request line); the reply is read later. */
  private static Future<Client> send(Vertx vertx, Front front, String action, String request) {
    return HeldClients.net(vertx).connect(front.port, "127.0.0.1").map((NetSocket socket) -> {
      Client client = new Client(socket, Buffer.buffer(), Promise.promise());
      front.clients.add(client);
      socket.handler(client.got()::appendBuffer);
      socket.closeHandler((Void v) -> client.closed().tryComplete());
      socket.write("POST /actions/" + action + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + request);
      return client;
    });
  }

  private static String withLength(long length, String body) {
    return "Content-Length: " + length + "\r\n\r\n" + body;
  }

  @Test
  void aContentLengthOverTheLimitIsAnswered413BeforeTheHandlerReturns(Vertx vertx,
                                                                      VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    Front front = new Front(context, 1024 * 1024);
    List<Client> clients = front.clients;
    front.done(front.serve(context)
        .compose((Front f) -> f.sent(vertx, Actions.RAW_BLOCKS, withLength(LIMIT + 1, "")))
        .compose((Client client) -> front.sent(vertx, "noSuchAction", withLength(1025, "")))
        .compose((Client client) -> {
          for (Returned returned : front.returned) {
            assertThat(returned).isEqualTo(new Returned(true, 413, 0, 0, null));
          }
          return clients.get(0).reply(vertx);
        })
        .compose((String refused) -> {
          assertThat(refused).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
              .contains("the request body of " + (LIMIT + 1) + " bytes is larger than action "
                  + Actions.RAW_BLOCKS + " takes (" + LIMIT + " bytes)");
          return clients.get(1).reply(vertx);
        }))
        .onComplete(ctx.succeeding((String refused) -> ctx.verify(() -> {
          assertThat(refused).startsWith("HTTP/1.1 413").contains("the request body of 1025 "
              + "bytes is larger than an undeclared action takes (1024 bytes)");
          ctx.completeNow();
        })));
  }

  @Test
  void aBodyOfExactlyTheLimitIsReadWithItsShareAndTimerAndPassedOn(Vertx vertx,
                                                                  VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    Front front = new Front(context, 1024 * 1024);
    String body = EMPTY + " ".repeat((int) LIMIT - EMPTY.length());
    Client[] client = new Client[1];
    front.done(front.serve(context)
        // Headers first: the reader decides on them alone.
        .compose((Front f) -> f.sent(vertx, Actions.RAW_BLOCKS, withLength(LIMIT, "")))
        .compose((Client c) -> {
          client[0] = c;
          assertThat(front.returned.get(0)).isEqualTo(new Returned(false, 200, 1, LIMIT, null));
          client[0].socket().write(body);
          // The body ended: its timer goes, and the next handler answers in the same task.
          return front.time.once(() -> front.time.pending() == 0);
        })
        .compose((Void v) -> {
          assertThat(front.responses.get(0).ended()).as("answered once the body ended").isTrue();
          return front.time.once(() -> front.ended.contains(0));
        })
        .compose((Void v) -> {
          assertThat(front.reader.inFlight()).as("its share back once answered").isZero();
          return client[0].reply(vertx);
        }))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 200").endsWith(EMPTY);
          ctx.completeNow();
        })));
  }

  @Test
  void aChunkedBodyReservesItsActionsLimit(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    Front front = new Front(context, 1024 * 1024);
    Client[] client = new Client[1];
    front.done(front.serve(context)
        .compose((Front f) -> f.sent(vertx, Actions.RAW_BLOCKS,
            "Transfer-Encoding: chunked\r\n\r\n"))
        .compose((Client c) -> {
          client[0] = c;
          assertThat(front.returned.get(0)).isEqualTo(new Returned(false, 200, 1, LIMIT, null));
          client[0].socket().write(Integer.toHexString(EMPTY.length()) + "\r\n" + EMPTY
              + "\r\n0\r\n\r\n");
          return front.time.once(() -> front.time.pending() == 0);
        })
        .compose((Void v) -> {
          assertThat(front.responses.get(0).ended()).as("answered once the body ended").isTrue();
          return client[0].reply(vertx);
        }))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 200").endsWith(EMPTY);
          ctx.completeNow();
        })));
  }

  @Test
  void bodiesThatFillTheBudgetExactlyAreReadAndTheNextByteIs429(Vertx vertx,
                                                                VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    Front front = new Front(context, 3_000);
    List<Client> clients = front.clients;
    front.done(front.serve(context)
        // Two stalled bodies of 1,500 bytes: the budget of 3,000 to the byte.
        .compose((Front f) -> f.sent(vertx, Actions.RAW_BLOCKS, withLength(1_500, "{")))
        .compose((Client c) -> front.sent(vertx, Actions.RAW_BLOCKS, withLength(1_500, "{")))
        .compose((Client c) -> front.sent(vertx, Actions.RAW_BLOCKS, withLength(1, "{")))
        .compose((Client c) -> {
          assertThat(front.returned).containsExactly(
              new Returned(false, 200, 1, 1_500, null),
              new Returned(false, 200, 2, 3_000, null),
              new Returned(true, 429, 2, 3_000, null));
          return clients.get(2).reply(vertx);
        })
        .compose((String refused) -> {
          assertThat(refused).startsWith("HTTP/1.1 429").contains("reading or forwarding 3000 "
              + "bytes of request bodies, its most at once is 3000: try again");
          // The stalled clients leave mid-body: each share comes back once, though both the
          // request's failure and the response's end report it.
          clients.get(0).socket().close();
          clients.get(1).socket().close();
          return front.time.once(() -> front.ended.containsAll(List.of(0, 1)));
        }))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(front.reader.inFlight()).isZero();
          assertThat(front.time.pending()).as("their read timers cancelled").isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void anEmptyBodyReservesNothingAndIsNoParameters(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    // A budget below any action's limit: a body of 0 bytes must not reserve one.
    Front front = new Front(context, 100);
    Client[] client = new Client[1];
    front.done(front.serve(context)
        .compose((Front f) -> f.sent(vertx, Actions.RAW_BLOCKS, withLength(0, "")))
        .compose((Client c) -> {
          client[0] = c;
          assertThat(front.returned.get(0).status()).as("not refused").isEqualTo(200);
          return front.time.once(() -> front.time.pending() == 0);
        })
        .compose((Void v) -> {
          assertThat(front.responses.get(0).ended()).as("answered once the body ended").isTrue();
          return client[0].reply(vertx);
        }))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 200").endsWith("null");
          ctx.completeNow();
        })));
  }

  @Test
  void aChunkedBodyThatGrowsPastTheLimitIs413AtTheChunkThatPassesIt(Vertx vertx,
                                                                  VertxTestContext ctx) {
    LogCapture log = LogCapture.start();
    Context context = vertx.getOrCreateContext();
    Front front = new Front(context, 1024 * 1024);
    String first = EMPTY + " ".repeat((int) LIMIT - EMPTY.length() - 1);
    Client[] client = new Client[1];
    front.done(front.serve(context)
        .compose((Front f) -> f.sent(vertx, Actions.RAW_BLOCKS,
            "Transfer-Encoding: chunked\r\n\r\n"))
        .compose((Client c) -> {
          client[0] = c;
          // One byte short of the limit; then, read in one go, two bytes that pass it by one
          // and the body's end: the end comes after the refusal, which it must leave alone.
          client[0].socket().write(Integer.toHexString(first.length()) + "\r\n" + first
              + "\r\n");
          client[0].socket().write("2\r\n  \r\n0\r\n\r\n");
          return front.time.once(() -> front.time.pending() == 0);
        })
        .compose((Void v) -> {
          assertThat(front.responses.get(0).ended()).as("refused as its timer went").isTrue();
          assertThat(front.responses.get(0).getStatusCode()).isEqualTo(413);
          return client[0].reply(vertx);
        }))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          log.close();
          assertThat(log.lines()).as("nothing written after the refusal")
              .noneMatch((String line) -> line.startsWith("ERROR"));
          assertThat(reply).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
              .contains("the request body is larger than action " + Actions.RAW_BLOCKS
                  + " takes (" + LIMIT + " bytes)");
          ctx.completeNow();
        })));
  }

  @Test
  void aStalledBodyIs408AtTheReadTimeoutNotAMillisecondBefore(Vertx vertx,
                                                             VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    Front front = new Front(context, 1024 * 1024);
    Client[] client = new Client[1];
    front.done(front.serve(context)
        .compose((Front f) -> f.sent(vertx, Actions.RAW_BLOCKS, withLength(10, "{")))
        .compose((Client c) -> {
          client[0] = c;
          return front.time.advance(JsonBodyReader.READ_TIMEOUT_MS - 1);
        })
        .compose((Void v) -> {
          assertThat(front.responses.get(0).ended()).isFalse();
          return front.time.advance(1);
        })
        .compose((Void v) -> {
          assertThat(front.responses.get(0).ended()).as("answered at 30 s").isTrue();
          assertThat(front.responses.get(0).getStatusCode()).isEqualTo(408);
          return client[0].reply(vertx);
        }))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close")
              .contains("the request body did not arrive within 30000 ms");
          ctx.completeNow();
        })));
  }

  @Test
  void aContentLengthThatIsNoNumberIs400FromVertxBeforeTheReader(Vertx vertx,
                                                                VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    Front front = new Front(context, 1024 * 1024);
    front.done(front.serve(context)
        .compose((Front f) -> send(vertx, f, Actions.RAW_BLOCKS, "Content-Length: abc\r\n\r\n"))
        .compose((Client c) -> c.reply(vertx)))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 400");
          assertThat(front.returned).as("the reader never called").isEmpty();
          ctx.completeNow();
        })));
  }
}
