package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bytes of bodies being read are bounded over all connections (issue 29, finding 2: eight
 * uploads stalled at 30 MB held 270 MB of heap): a body that would pass the budget is refused
 * 429 before it is read, and a stalled body's share comes back when its connection goes.
 */
@ExtendWith(VertxExtension.class)
class JsonBodyReaderTest {

  private static final long BUDGET = 2_000;

  private Future<HttpServer> serve(Vertx vertx, JsonBodyReader reader) {
    Router router = Router.router(vertx);
    router.post("/actions/:action").handler(reader).handler(ctx -> ctx.response()
        .end(String.valueOf((JsonObject) ctx.get(JsonBodyReader.BODY))));
    return vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
        .requestHandler(router).listen(0, "127.0.0.1");
  }

  /** Headers with Content-Length {@code length} and a first piece of the body, then nothing. */
  private static Future<NetSocket> stall(Vertx vertx, int port, int length) {
    return vertx.createNetClient().connect(port, "127.0.0.1").map((NetSocket socket) -> {
      socket.write("POST /actions/" + Actions.RAW_BLOCKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: " + length + "\r\n\r\n{\"hashes\":[");
      return socket;
    });
  }

  private static Future<String> send(Vertx vertx, int port, String body) {
    Promise<String> reply = Promise.promise();
    vertx.createNetClient().connect(port, "127.0.0.1").onComplete(ar -> {
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
          + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    });
    return reply.future();
  }

  @Test
  void aBodyPastTheBudgetIs429UntilAStalledOneGoes(Vertx vertx, VertxTestContext ctx) {
    JsonBodyReader reader = new JsonBodyReader(vertx, 1000, BUDGET);
    String body = "{\"hashes\":[]}" + " ".repeat(987);
    serve(vertx, reader).compose((HttpServer server) -> {
      int port = server.actualPort();
      return stall(vertx, port, 1_500)
          .compose((NetSocket stalled) -> awaitInFlight(vertx, reader, 1_500)
              .compose((Void v) -> send(vertx, port, body))
              .compose((String refused) -> {
                ctx.verify(() -> assertThat(refused).startsWith("HTTP/1.1 429")
                    .contains("\"source\":\"http\""));
                // The stalled client leaves: its share comes back, and the same body passes.
                return stalled.close();
              })
              .compose((Void v) -> awaitInFlight(vertx, reader, 0))
              .compose((Void v) -> send(vertx, port, body)));
    }).onComplete(ctx.succeeding((String passed) -> ctx.verify(() -> {
      assertThat(passed).startsWith("HTTP/1.1 200").endsWith("{\"hashes\":[]}");
      ctx.completeNow();
    })));
  }

  /** Completes once the reader holds exactly {@code bytes} (checked every 10 ms). */
  private static Future<Void> awaitInFlight(Vertx vertx, JsonBodyReader reader, long bytes) {
    Promise<Void> held = Promise.promise();
    vertx.setPeriodic(10, (Long id) -> {
      if (reader.inFlight() == bytes) {
        vertx.cancelTimer(id);
        held.complete();
      }
    });
    return held.future();
  }
}
