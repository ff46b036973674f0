package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.ChainProbes;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replies that are JSON but not JSON-RPC (a provider's or proxy's own error, another request's
 * answer, an item twice) are transient failures of that URL: retried until the deadline and
 * then answered 503 by the retry loop with what was wrong, never a success with a null result.
 * A JSON-RPC error under a non-2xx status (bitcoind's way) is still the daemon's answer: 422.
 */
@ExtendWith(VertxExtension.class)
class HostileReplyTest {

  private static final String TX = "0100";
  private static final String TXID = "ab".repeat(32);

  @Test
  void aProvidersTooManyRequestsIsNoBroadcast(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (Object request) -> new Reply(429,
            new JsonObject().put("message", "Too Many Requests")),
        Actions.BROADCAST_TRANSACTION, new JsonObject().put("rawTx", TX),
        "Too Many Requests");
  }

  @Test
  void aReplyWithNeitherResultNorErrorIsNoAnswer(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (Object request) -> new Reply(200,
            new JsonObject().put("id", ((JsonObject) request).getValue("id"))),
        Actions.BROADCAST_TRANSACTION, new JsonObject().put("rawTx", TX),
        "neither result nor error");
  }

  @Test
  void anotherRequestsAnswerIsNoAnswer(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (Object request) -> new Reply(200, new JsonObject().put("result", 5)
            .putNull("error").put("id", 987_654)),
        Actions.HEIGHT, null, "carries id 987654");
  }

  @Test
  void aBatchItemWithAnUnknownIdIsNoAnswer(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (Object request) -> new Reply(200, new JsonArray().add(new JsonObject()
            .put("result", "00").putNull("error").put("id", 987_654))),
        Actions.GET_RAW_TRANSACTIONS, new JsonObject().put("txids", new JsonArray().add(TXID)),
        "did not ask");
  }

  @Test
  void aBatchItemAnsweredTwiceIsNoAnswer(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (Object request) -> {
      Object id = ((JsonArray) request).getJsonObject(0).getValue("id");
      JsonObject item = new JsonObject().put("result", "00").putNull("error").put("id", id);
      return new Reply(200, new JsonArray().add(item).add(item.copy()));
    }, Actions.GET_RAW_TRANSACTIONS, new JsonObject().put("txids", new JsonArray().add(TXID)),
        "twice");
  }

  @Test
  void aJsonRpcErrorUnderStatus500IsTheDaemonsAnswer(Vertx vertx, VertxTestContext ctx) {
    JsonObject error = new JsonObject().put("code", -26).put("message", "txn-mempool-conflict");
    serve(vertx, (Object request) -> new Reply(500, new JsonObject().putNull("result").put("error",
        error)
        .put("id", ((JsonObject) request).getValue("id"))))
        .compose((HttpServer server) -> deploy(vertx, server)
            .compose((String address) -> request(vertx, address,
            Actions.BROADCAST_TRANSACTION, new JsonObject().put("rawTx", TX))))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(((ReplyException) e).failureCode()).isEqualTo(DaemonException.DAEMON_ERROR);
          assertThat(new JsonObject(e.getMessage())).isEqualTo(error);
          ctx.completeNow();
        })));
  }

  private void expect503(Vertx vertx, VertxTestContext ctx, Function<Object, Reply> script,
                         String action, JsonObject body, String why) {
    AtomicInteger served = new AtomicInteger();
    long started = System.nanoTime();
    serve(vertx, (Object request) -> {
      served.incrementAndGet();
      return script.apply(request);
    })
        .compose((HttpServer server) -> deploy(vertx, server).compose((String address) ->
            request(vertx, address, action, body)))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
          assertThat(((ReplyException) e).failureCode()).isEqualTo(DaemonException.UNAVAILABLE);
          // Answered by the retry loop at its deadline with the reason, not by the safety net.
          assertThat(e.getMessage()).contains(why);
          assertThat(tookMs).isLessThan(REQUEST_TIMEOUT_MS + 2_000);
          assertThat(served.get()).as("retried as a transient failure").isGreaterThan(1);
          ctx.completeNow();
        })));
  }

  private static final long REQUEST_TIMEOUT_MS = 3_000;

  private static Future<String> deploy(Vertx vertx, HttpServer server) {
    JsonObject config = Deployments.config("http://u:p@127.0.0.1:" + server.actualPort() + "/")
        .put("requestTimeoutMs", REQUEST_TIMEOUT_MS)
        .put("breakerMaxFailures", 100);
    return Deployments.deploy(vertx, config).map((String id) -> config.getString("address"));
  }

  private static Future<Object> request(Vertx vertx, String address, String action,
                                        JsonObject body) {
    return vertx.eventBus().request(address, body,
        new DeliveryOptions().addHeader(Actions.HEADER, action))
            .map((Message<Object> m) -> m.body());
  }

  private static Future<HttpServer> serve(Vertx vertx, Function<Object, Reply> script) {
    return vertx.createHttpServer().requestHandler((HttpServerRequest req) -> req.body()
        .onSuccess((Buffer body) -> {
      Object request = Json.decodeValue(body);
      if (ChainProbes.isProbe(request)) {
        req.response().putHeader("Content-Type", "application/json")
            .end(ChainProbes.answer((JsonArray) request).encode());
        return;
      }
      Reply reply = script.apply(request);
      req.response().setStatusCode(reply.status())
          .putHeader("Content-Type", "application/json")
          .end(Json.encode(reply.body()));
    })).listen(0, "127.0.0.1");
  }

  private record Reply(int status, Object body) {
  }
}
