package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.HeldClients;
import io.daemonverticle.Actions;
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
 * The bytes of bodies being read are bounded over all connections (issue 29, finding 2: eight
 * uploads stalled at 30 MB held 270 MB of heap): a body that would pass the budget is refused
 * 429 before it is read, and a stalled body's share comes back when its connection goes, or
 * at the read timeout: exactly 30 s, in virtual time ({@link VirtualTime}; the server runs on
 * the clock's context, where the reader's timers fire).
 */
@ExtendWith(VertxExtension.class)
class JsonBodyReaderTest {

  private static final long BUDGET = 2_000;

  private static Future<HttpServer> serve(Context context, JsonBodyReader reader) {
    return serve(context, reader, new ArrayList<>());
  }

  /** Serves on {@code context}, each request's response kept in {@code responses}. */
  private static Future<HttpServer> serve(Context context, JsonBodyReader reader,
                                          List<HttpServerResponse> responses) {
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext((Void v) -> {
      Router router = Router.router(context.owner());
      router.route().handler(ctx -> {
        responses.add(ctx.response());
        ctx.next();
      });
      router.post("/actions/:action").handler(reader).handler(ctx -> ctx.response()
          .end(String.valueOf((JsonObject) ctx.get(JsonBodyReader.BODY))));
      context.owner().createHttpServer(new HttpServerOptions()
              .setHttp2ClearTextEnabled(false))
          .requestHandler(router).listen(0, "127.0.0.1").onComplete(listening);
    });
    return listening.future();
  }

  /** Headers with Content-Length {@code length} and a first piece of the body, then nothing. */
  private static Future<NetSocket> stall(Vertx vertx, int port, int length) {
    return HeldClients.net(vertx).connect(port, "127.0.0.1").map((NetSocket socket) -> {
      socket.write("POST /actions/" + Actions.RAW_BLOCKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: " + length + "\r\n\r\n{\"hashes\":[");
      return socket;
    });
  }

  private static Future<String> send(Vertx vertx, int port, String body) {
    return post(vertx, port, "Content-Length: " + body.length() + "\r\n\r\n" + body);
  }

  /** A chunked POST of {@code body}, in one chunk; the reply's text. */
  private static Future<String> sendChunked(Vertx vertx, int port, String body) {
    return post(vertx, port, "Transfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
  }

  /** A POST of rawBlocks with {@code rest} after its Host header; the reply's text. */
  private static Future<String> post(Vertx vertx, int port, String rest) {
    Promise<String> reply = Promise.promise();
    HeldClients.net(vertx).connect(port, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        reply.fail(ar.cause());
        return;
      }
      Buffer got = Buffer.buffer();
      ar.result().handler((Buffer b) -> {
        got.appendBuffer(b);
        String text = got.toString(StandardCharsets.ISO_8859_1);
        if (text.contains("\r\n\r\n") && (text.endsWith("}") || text.endsWith("null"))) {
          reply.tryComplete(text);
        }
      });
      ar.result().write("POST /actions/" + Actions.RAW_BLOCKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + rest);
    });
    return reply.future();
  }

  @Test
  void aBodyPastTheBudgetIs429UntilAStalledOneGoes(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    JsonBodyReader reader = new JsonBodyReader(time, 1000, BUDGET);
    String body = "{\"hashes\":[]}" + " ".repeat(987);
    serve(context, reader).compose((HttpServer server) -> {
      int port = server.actualPort();
      return stall(vertx, port, 1_500)
          .compose((NetSocket stalled) -> time.once(() -> reader.inFlight() == 1_500)
              .compose((Void v) -> send(vertx, port, body))
              .compose((String refused) -> {
                ctx.verify(() -> assertThat(refused).startsWith("HTTP/1.1 429")
                    .contains("\"source\":\"http\""));
                // The stalled client leaves: its share comes back, and the same body passes.
                return stalled.close();
              })
              .compose((Void v) -> time.once(() -> reader.inFlight() == 0))
              .compose((Void v) -> send(vertx, port, body)));
    }).onComplete(ctx.succeeding((String passed) -> ctx.verify(() -> {
      assertThat(passed).startsWith("HTTP/1.1 200").endsWith("{\"hashes\":[]}");
      assertThat(time.nowMs()).as("no time passed").isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void aStalledBodyIs408AtTheReadTimeoutAndItsShareComesBack(Vertx vertx,
                                                             VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    JsonBodyReader reader = new JsonBodyReader(time, 1000, BUDGET);
    Buffer got = Buffer.buffer();
    Promise<Void> closed = Promise.promise();
    List<HttpServerResponse> responses = new ArrayList<>();
    serve(context, reader, responses)
        .compose((HttpServer server) -> stall(vertx, server.actualPort(), 1_500))
        .compose((NetSocket stalled) -> {
          stalled.handler(got::appendBuffer);
          stalled.closeHandler((Void v) -> closed.tryComplete());
          // Its timeout is set: only time can end it now.
          return time.once(() -> time.pending() == 1);
        })
        .compose((Void held) -> {
          ctx.verify(() -> assertThat(reader.inFlight()).isEqualTo(1_500));
          return time.advance(JsonBodyReader.READ_TIMEOUT_MS - 1);
        })
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(time.delaysSet()).containsExactly(JsonBodyReader.READ_TIMEOUT_MS);
            assertThat(reader.inFlight()).as("held until its 30 s are up").isEqualTo(1_500);
            assertThat(responses.get(0).ended()).isFalse();
          });
          return time.advance(1);
        })
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(responses.get(0).ended()).as("answered at 30 s").isTrue());
          return closed.future();
        })
        // The connection closes once the answer is out, and its share came back by then.
        .compose((Void v) -> VirtualTime.on(context, () ->
            assertThat(reader.inFlight()).isZero()))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(got.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408")
              .containsIgnoringCase("connection: close")
              .contains("did not arrive within 30000 ms");
          ctx.completeNow();
        })));
  }

  @Test
  void aBodyThatArrivesOrOverflowsCancelsItsReadTimeout(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    // A body without Content-Length reserves its action's limit: room for it in the budget.
    JsonBodyReader reader = new JsonBodyReader(time, 1, 1024 * 1024);
    List<HttpServerResponse> responses = new ArrayList<>();
    int limit = (int) BodyLimits.bytes(Actions.spec(Actions.RAW_BLOCKS), 1);
    String empty = "{\"hashes\":[]}";
    serve(context, reader, responses).compose((HttpServer server) -> {
      int port = server.actualPort();
      return send(vertx, port, empty)
          .compose((String passed) -> {
            ctx.verify(() -> assertThat(passed).startsWith("HTTP/1.1 200"));
            return time.once(() -> time.pending() == 0);
          })
          // No Content-Length: a body streamed to its action's limit exactly is read...
          .compose((Void v) -> sendChunked(vertx, port, empty + " ".repeat(limit
              - empty.length())))
          .compose((String passed) -> {
            ctx.verify(() -> assertThat(passed).startsWith("HTTP/1.1 200").endsWith(empty));
            return time.once(() -> time.pending() == 0);
          })
          // ... and one a byte past it is cut off as it grows.
          .compose((Void v) -> {
            Future<String> refused = sendChunked(vertx, port, empty + " ".repeat(limit + 1
                - empty.length()));
            return time.once(() -> time.delaysSet().size() == 3 && time.pending() == 0)
                .compose((Void cancelled) -> {
                  ctx.verify(() -> assertThat(responses.get(2).ended())
                      .as("refused as its timer went").isTrue());
                  return refused;
                });
          })
          .compose((String refused) -> {
            ctx.verify(() -> assertThat(refused).startsWith("HTTP/1.1 413"));
            return time.once(() -> reader.inFlight() == 0);
          });
    }).compose((Void v) -> time.advance(10 * JsonBodyReader.READ_TIMEOUT_MS))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(time.delaysSet()).as("a timeout set for each, and cancelled")
              .containsExactly(JsonBodyReader.READ_TIMEOUT_MS, JsonBodyReader.READ_TIMEOUT_MS,
                  JsonBodyReader.READ_TIMEOUT_MS);
          assertThat(time.pending()).isZero();
          ctx.completeNow();
        })));
  }
}
