package io.daemonverticle.testing;

import static io.daemonverticle.testing.Fault.DELAY;
import static io.daemonverticle.testing.Fault.DROP_CONNECTION;
import static io.daemonverticle.testing.Fault.HANG;
import static io.daemonverticle.testing.Fault.HTML_500;
import static io.daemonverticle.testing.Fault.HTTP_401;
import static io.daemonverticle.testing.Fault.PARSE_ERROR;
import static io.daemonverticle.testing.Fault.RPC_ERROR;
import static io.daemonverticle.testing.Fault.WARMING_UP;
import static io.daemonverticle.testing.Fault.WORK_QUEUE_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class FakeDaemonTest {

    private static final int TIP = 100;

    private FakeDaemon daemon;
    private WebClient client;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        // More than 5 pooled connections, so the pool never hides the daemon's own concurrency.
        client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(16));
        FakeDaemon.bitcoinLike(vertx, TIP).onComplete(ctx.succeeding((FakeDaemon d) -> {
            daemon = d;
            ctx.completeNow();
        }));
    }

    @AfterEach
    void stop(VertxTestContext ctx) {
        client.close();
        daemon.close().onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void singleCall(VertxTestContext ctx) {
        post(call("getblockcount", 7))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(resp.getHeader("Content-Type")).isEqualTo("application/json");
            assertThat(resp.bodyAsJsonObject())
                    .isEqualTo(new JsonObject().put("result", TIP).putNull("error").put("id", 7));
            assertThat(daemon.calls()).containsExactly(call("getblockcount", 7));
            assertThat(daemon.httpRequests()).isEqualTo(1);
            ctx.completeNow();
        })));
    }

    @Test
    void shuffledBatchIsMatchedById(VertxTestContext ctx) {
        daemon.shuffleBatchReplies(true);
        JsonArray batch = new JsonArray()
                .add(call("getblockhash", 1, 0))
                .add(call("getblockhash", 2, 1))
                .add(call("getblockhash", 3, TIP + 1))
                .add(call("nosuchmethod", 4));
        post(batch).onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            JsonArray replies = resp.bodyAsJsonArray();
            assertThat(ids(replies)).containsExactly(4, 3, 2, 1);
            assertThat(byId(replies, 1).getString("result")).isEqualTo(FakeChain.blockHash(0));
            assertThat(byId(replies, 2).getString("result")).isEqualTo(FakeChain.blockHash(1));
            assertError(byId(replies, 3), -8, "Block height out of range");
            assertError(byId(replies, 4), -32601, "Method not found");
            assertThat(daemon.methods()).containsExactly("getblockhash", "getblockhash", "getblockhash",
                    "nosuchmethod");
            assertThat(daemon.httpRequests()).isEqualTo(1);
            ctx.completeNow();
        })));
    }

    @Test
    void handlersCanBeOverriddenFailOrAnswerLater(VertxTestContext ctx) {
        Promise<Object> later = Promise.promise();
        daemon.handle("getblockcount", (JsonArray p) -> 5)
                .handle("getnetworkinfo", (JsonArray p) -> {
                    throw new FakeDaemon.RpcError(-1, "boom");
                })
                .handle("echo", (JsonArray p) -> later.future());
        JsonArray batch = new JsonArray()
                .add(call("getblockcount", 1))
                .add(call("getnetworkinfo", 2))
                .add(call("echo", 3, "x"));
        Future<HttpResponse<Buffer>> reply = post(batch);
        later.complete(new JsonArray().add("x"));
        reply.onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            JsonArray replies = resp.bodyAsJsonArray();
            assertThat(byId(replies, 1).getInteger("result")).isEqualTo(5);
            assertError(byId(replies, 2), -1, "boom");
            assertThat(byId(replies, 3).getJsonArray("result")).containsExactly("x");
            ctx.completeNow();
        })));
    }

    @Test
    void presetAnswersLikeBitcoind(VertxTestContext ctx) {
        String hash = FakeChain.blockHash(10);
        JsonArray batch = new JsonArray()
                .add(call("getblock", 1, hash, false))
                .add(call("getblock", 2, hash, 1))
                .add(call("estimatesmartfee", 3))
                .add(call("estimatesmartfee", 4, 6))
                .add(call("sendrawtransaction", 5, "0200"))
                .add(call("getmempoolinfo", 6));
        post(batch).onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            JsonArray replies = resp.bodyAsJsonArray();
            assertThat(byId(replies, 1).getString("result")).hasSize(2 * 1010).isEqualTo(FakeChain.rawBlockHex(10));
            JsonObject verbose = byId(replies, 2).getJsonObject("result");
            assertThat(verbose.getInteger("height")).isEqualTo(10);
            assertThat(verbose.getString("previousblockhash")).isEqualTo(FakeChain.blockHash(9));
            assertThat(byId(replies, 3).getJsonObject("error").getInteger("code")).isEqualTo(-1);
            assertThat(byId(replies, 4).getJsonObject("result").getInteger("blocks")).isEqualTo(6);
            assertThat(daemon.chain().mempool()).containsExactly(byId(replies, 5).getString("result"));
            assertThat(byId(replies, 6).getJsonObject("result").getInteger("size")).isEqualTo(1);
            // bitcoind prints amounts with 8 decimals, never in exponent notation.
            assertThat(resp.bodyAsString()).contains("\"feerate\":0.00020000", "\"mempoolminfee\":0.00001000");
            ctx.completeNow();
        })));
    }

    @Test
    void httpLevelFaults(VertxTestContext ctx) {
        daemon.failNext(HTTP_401, WORK_QUEUE_EXCEEDED, HTML_500);
        Checkpoint answered = ctx.checkpoint(4);
        post(call("getblockcount", 1))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(401);
            assertThat(resp.getHeader("Content-Type")).isNull();
            assertThat(resp.body()).satisfiesAnyOf((Buffer b) -> assertThat(b).isNull(),
                (Buffer b) -> assertThat(b.length()).isZero());
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(call("getblockcount", 2)))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(503);
            assertThat(resp.getHeader("Content-Type")).startsWith("text/plain");
            assertThat(resp.bodyAsString()).isEqualTo("Work queue depth exceeded");
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(call("getblockcount", 3)))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(500);
            assertThat(resp.getHeader("Content-Type")).startsWith("text/html");
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(call("getblockcount", 4)))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            // Faulted requests still count as received, so a client's retries are visible.
            assertThat(daemon.calls()).hasSize(4);
            assertThat(daemon.pendingFaults()).isZero();
            answered.flag();
        })));
    }

    @Test
    void droppedConnectionFailsTheRequest(VertxTestContext ctx) {
        daemon.failNext(DROP_CONNECTION);
        post(call("getblockcount", 1)).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
            assertThat(e).isInstanceOf(HttpClosedException.class);
            assertThat(daemon.calls()).hasSize(1);
            ctx.completeNow();
        })));
    }

    @Test
    void delayedReplyArrivesLate(VertxTestContext ctx) {
        daemon.failNext(DELAY(300));
        long t0 = System.nanoTime();
        post(call("getblockcount", 1))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(290);
            assertThat(resp.bodyAsJsonObject().getInteger("result")).isEqualTo(TIP);
            ctx.completeNow();
        })));
    }

    @Test
    void hangNeverAnswers(VertxTestContext ctx) {
        daemon.failNext(HANG);
        client.post(daemon.port(), FakeDaemon.HOST, "/").timeout(300)
                .sendBuffer(Json.encodeToBuffer(call("getblockcount", 1)))
                .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
                    assertThat(e).hasMessageContaining("timeout");
                    ctx.completeNow();
                })));
    }

    @Test
    void rpcLevelFaults(VertxTestContext ctx) {
        daemon.failNext(WARMING_UP, WARMING_UP, PARSE_ERROR, RPC_ERROR(-5, "No such mempool transaction"));
        JsonArray batch = new JsonArray().add(call("getblockcount", 1)).add(call("getblockcount", 2));
        Checkpoint answered = ctx.checkpoint(4);
        post(call("getblockcount", 9))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            assertError(resp.bodyAsJsonObject(), -28, "Loading block index...");
            assertThat(resp.bodyAsJsonObject().getInteger("id")).isEqualTo(9);
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(batch))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            JsonArray replies = resp.bodyAsJsonArray();
            assertThat(ids(replies)).containsExactly(1, 2);
            replies.forEach((Object r) -> assertError((JsonObject) r, -28,
                "Loading block index..."));
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(batch))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            JsonObject reply = resp.bodyAsJsonObject();
            assertError(reply, -32700, "Parse error");
            assertThat(reply.getValue("id")).isNull();
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(call("getrawtransaction", 4, "00")))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertError(resp.bodyAsJsonObject(), -5, "No such mempool transaction");
            answered.flag();
        })));
    }

    @Test
    void bitcoindErrorStatusMirrorsRealDaemon(VertxTestContext ctx) {
        daemon.bitcoindErrorStatus(true).failNext(WARMING_UP);
        Checkpoint answered = ctx.checkpoint(3);
        post(call("getblockcount", 1))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(500);
            assertThat(resp.getHeader("Content-Type")).isEqualTo("application/json");
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(call("nosuchmethod", 2)))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(404);
            assertError(resp.bodyAsJsonObject(), -32601, "Method not found");
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> post(new JsonArray().add(call("nosuchmethod", 3))))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) ->
                ctx.verify(() -> {
                    assertThat(resp.statusCode()).isEqualTo(200);
                    answered.flag();
                })));
    }

    @Test
    void maxConcurrentCountsDelayedRequests(VertxTestContext ctx) {
        daemon.failNext(DELAY(300), DELAY(300), DELAY(300), DELAY(300), DELAY(300));
        List<Future<HttpResponse<Buffer>>> parallel = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            parallel.add(post(call("getblockcount", i)));
        }
        Future.all(parallel).onComplete(ctx.succeeding((CompositeFuture all) -> ctx.verify(() -> {
            assertThat(daemon.maxConcurrent()).isEqualTo(5);
            assertThat(daemon.httpRequests()).isEqualTo(5);
            daemon.resetStats();
            assertThat(daemon.maxConcurrent()).isZero();
            assertThat(daemon.calls()).isEmpty();
            ctx.completeNow();
        })));
    }

    @Test
    void restartKeepsPortAndState(VertxTestContext ctx) {
        int port = daemon.port();
        daemon.handle("ping", (JsonArray p) -> "pong");
        daemon.close()
                .compose((Void v) -> post(call("ping", 1))
                    .transform((AsyncResult<HttpResponse<Buffer>> ar) -> {
                    // Closed means refused: the client must not get an answer.
                    ctx.verify(() -> assertThat(ar.failed()).isTrue());
                    return daemon.restart();
                }))
                .compose((Void v) -> post(call("ping", 2)))
                .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
                    assertThat(daemon.port()).isEqualTo(port);
                    assertThat(resp.bodyAsJsonObject().getString("result")).isEqualTo("pong");
                    ctx.completeNow();
                })));
    }

    @Test
    void downRefusesUntilUp(VertxTestContext ctx) {
        daemon.setDown(true)
                .compose((Void v) -> post(call("getblockcount", 1))
                    .transform((AsyncResult<HttpResponse<Buffer>> ar) -> {
                    ctx.verify(() -> assertThat(ar.failed()).isTrue());
                    return daemon.setDown(false);
                }))
                .compose((Void v) -> post(call("getblockcount", 2)))
                .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
                    assertThat(resp.statusCode()).isEqualTo(200);
                    assertThat(daemon.httpRequests()).isEqualTo(1);
                    ctx.completeNow();
                })));
    }

    @Test
    void authRequired(VertxTestContext ctx) {
        daemon.requireAuth("alice", "s3cret");
        Checkpoint answered = ctx.checkpoint(3);
        post(call("getblockcount", 1))
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(401);
            assertThat(resp.getHeader("Content-Type")).isNull();
            assertThat(resp.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"jsonrpc\"");
            answered.flag();
        }))).compose((HttpResponse<Buffer> v) -> send(request().basicAuthentication("alice",
            "wrong"), call("getblockcount", 2)))
                .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
                    assertThat(resp.statusCode()).isEqualTo(401);
                    answered.flag();
                })))
                .compose((HttpResponse<Buffer> v) -> send(request().basicAuthentication("alice",
                    "s3cret"), call("getblockcount", 3)))
                .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
                    assertThat(resp.statusCode()).isEqualTo(200);
                    assertThat(daemon.authorizations()).containsExactly(null, basic("alice:wrong"),
                            basic("alice:s3cret"));
                    // Rejected requests are never parsed, as in bitcoind.
                    assertThat(daemon.calls()).containsExactly(call("getblockcount", 3));
                    answered.flag();
                })));
    }

    // ---------------------------------------------------------------- helpers

    private HttpRequest<Buffer> request() {
        return client.post(daemon.port(), FakeDaemon.HOST, "/");
    }

    private Future<HttpResponse<Buffer>> post(Object json) {
        return send(request(), json);
    }

    private static Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> req, Object json) {
        return req.putHeader("Content-Type", "application/json").sendBuffer(Json.encodeToBuffer(json));
    }

    static JsonObject call(String method, Object id, Object... params) {
        return new JsonObject().put("method", method).put("params", new JsonArray(List.of(params))).put("id", id);
    }

    private static List<Object> ids(JsonArray replies) {
        List<Object> ids = new ArrayList<>();
        replies.forEach((Object r) -> ids.add(((JsonObject) r).getValue("id")));
        return ids;
    }

    private static JsonObject byId(JsonArray replies, int id) {
        for (Object r : replies) {
            if (Integer.valueOf(id).equals(((JsonObject) r).getValue("id"))) {
                return (JsonObject) r;
            }
        }
        throw new AssertionError("no reply with id " + id + " in " + replies);
    }

    private static void assertError(JsonObject reply, int code, String message) {
        assertThat(reply.containsKey("result")).isTrue();
        assertThat(reply.getValue("result")).isNull();
        assertThat(reply.getJsonObject("error"))
                .isEqualTo(new JsonObject().put("code", code).put("message", message));
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
