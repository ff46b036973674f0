package io.daemonverticle.impl.http;

import static io.daemonverticle.impl.http.HttpFront.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.HeldClients;
import io.daemonverticle.Actions;
import io.daemonverticle.BlockFrames;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP front's own limits, each with the request that used to get past them (issue 29):
 * bodies bounded by their action's declaration before and while they are read, and parsed
 * under a cap on their tokens; JSON whatever the content type; loopback Host and Origin
 * checked without a token; HEAD on the health routes; HTTP/1.1 only. Every refusal here says
 * it came from the front ({@code "source":"http"}) and asked the daemon nothing.
 */
@ExtendWith(VertxExtension.class)
class HttpFrontLimitsTest {

  private static final int MAX_BATCH = 1000;

  private Future<Front> deploy(Vertx vertx) {
    return FakeDaemon.bitcoinLike(vertx, 30).compose((FakeDaemon fake) -> HttpFront.deploy(
        vertx, Deployments.config(fake).put("maxBatch", MAX_BATCH))
        .map((HttpFront front) -> new Front(front, fake)));
  }

  private record Front(HttpFront http, FakeDaemon daemon) {
  }

  @Test
  void aContentLengthOverTheActionsLimitIs413BeforeTheBodyIsRead(Vertx vertx,
                                                                 VertxTestContext ctx) {
    // The review's 32 MiB {"hashes":[{},{},...]}: only its headers and a first piece are sent.
    String head = "POST /actions/" + Actions.RAW_BLOCKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 33554432\r\n\r\n"
        + "{\"hashes\":[{},{},{},";
    deploy(vertx).compose((Front f) -> exchange(vertx, f.http().port, head)
        .map((String reply) -> new Object[] {reply, f}))
        .onComplete(ctx.succeeding((Object[] r) -> ctx.verify(() -> {
          String reply = (String) r[0];
          assertThat(reply).startsWith("HTTP/1.1 413").contains("\"source\":\"http\"")
              .contains("action rawBlocks");
          assertThat(((Front) r[1]).daemon().calls()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aChunkedBodyThatGrowsPastTheLimitIs413(Vertx vertx, VertxTestContext ctx) {
    // No Content-Length: the limit is found while reading. height takes no parameters: 1 KiB.
    String chunk = " ".repeat(4000);
    String request = "POST /actions/" + Actions.HEIGHT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n"
        + chunk + "\r\n";
    deploy(vertx).compose((Front f) -> exchange(vertx, f.http().port, request))
        .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
          assertThat(reply).startsWith("HTTP/1.1 413").contains("\"source\":\"http\"");
          ctx.completeNow();
        })));
  }

  @Test
  void aBodyOfTooManyJsonTokensIs400FromTheFront(Vertx vertx, VertxTestContext ctx) {
    // Within rawBlocks' byte limit (80 bytes a hash), but 30,000 values, not 1,000.
    String body = "{\"hashes\":[" + "0,".repeat(30_000) + "0]}";
    deploy(vertx).compose((Front f) -> f.http().post(Actions.RAW_BLOCKS, body)
        .map((HttpResponse<Buffer> r) -> new Object[] {r, f}))
        .onComplete(ctx.succeeding((Object[] r) -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          HttpResponse<Buffer> response = (HttpResponse<Buffer>) r[0];
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(response.bodyAsJsonObject().getString("source")).isEqualTo("http");
          assertThat(response.bodyAsJsonObject().getString("message"))
              .contains("not JSON within the front's limits");
          assertThat(((Front) r[1]).daemon().calls()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aJsonBodyIsReadAsJsonWhateverItsContentType(Vertx vertx, VertxTestContext ctx) {
    // curl -d sends application/x-www-form-urlencoded; a body over 1 KiB used to meet the
    // form decoder's limit and a plain "Bad Request".
    JsonArray hashes = new JsonArray();
    for (int h = 0; h < 20; h++) {
      hashes.add(FakeChain.blockHash(h));
    }
    String body = new JsonObject().put("hashes", hashes).encodePrettily();
    deploy(vertx).compose((Front f) -> f.http().post(Actions.RAW_BLOCKS, body,
            headers("content-type", "application/x-www-form-urlencoded")))
        .onComplete(ctx.succeeding((HttpResponse<Buffer> response) -> ctx.verify(() -> {
          assertThat(body.length()).isGreaterThan(1024);
          assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
          assertThat(BlockFrames.read(response.body())).hasSize(20);
          ctx.completeNow();
        })));
  }

  @Test
  void withoutATokenOnlyLoopbackHostsAndOriginsAreAnswered(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx).compose((Front f) -> {
      HttpFront http = f.http();
      return Future.all(
          http.post(Actions.HEIGHT, "", headers("host", "attacker.example")),
          http.post(Actions.HEIGHT, "", headers("origin", "http://attacker.example",
              "content-type", "text/plain")),
          http.post(Actions.HEIGHT, "", headers("host", "localhost:" + http.port,
              "origin", "http://localhost:" + http.port)),
          http.post(Actions.HEIGHT, "", headers("host", "[::1]:" + http.port)),
          http.get("/health/live", headers("host", "rebound.attacker.example")));
    }).onComplete(ctx.succeeding((io.vertx.core.CompositeFuture all) -> ctx.verify(() -> {
      assertThat(status(all, 0)).isEqualTo(421);
      assertThat(status(all, 1)).isEqualTo(403);
      assertThat(status(all, 2)).isEqualTo(200);
      assertThat(status(all, 3)).isEqualTo(200);
      assertThat(status(all, 4)).isEqualTo(421);
      assertThat(((HttpResponse<?>) all.resultAt(0)).bodyAsJsonObject().getString("source"))
          .isEqualTo("http");
      ctx.completeNow();
    })));
  }

  @Test
  void theHealthRoutesAnswerHead(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx).compose((Front f) -> f.http().client
            .request(HttpMethod.HEAD, f.http().port, "127.0.0.1", "/health/live").send())
        .onComplete(ctx.succeeding((HttpResponse<Buffer> response) -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.body()).isNull();
          ctx.completeNow();
        })));
  }

  @Test
  void theFrontSpeaksHttp11OnlyNotCleartextHttp2(Vertx vertx, VertxTestContext ctx) {
    // A client that asks for h2c by upgrade stays on HTTP/1.1: 100 streams a connection would
    // multiply every bound the front keeps per connection.
    deploy(vertx).compose((Front f) -> WebClient.create(vertx, new WebClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(true))
        .request(HttpMethod.POST, f.http().port, "127.0.0.1", "/actions/" + Actions.HEIGHT)
        .send())
        .onComplete(ctx.succeeding((HttpResponse<Buffer> response) -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.version()).isEqualTo(HttpVersion.HTTP_1_1);
          ctx.completeNow();
        })));
  }

  private static int status(io.vertx.core.CompositeFuture all, int index) {
    return ((HttpResponse<?>) all.resultAt(index)).statusCode();
  }

  /** Writes raw bytes and gathers what comes back until the server closes the connection. */
  static Future<String> exchange(Vertx vertx, int port, String request) {
    Promise<String> reply = Promise.promise();
    HeldClients.net(vertx).connect(port, "127.0.0.1").onComplete((ar) -> {
      if (ar.failed()) {
        reply.fail(ar.cause());
        return;
      }
      NetSocket socket = ar.result();
      Buffer received = Buffer.buffer();
      socket.handler(received::appendBuffer);
      socket.closeHandler((Void v) -> reply.tryComplete(received.toString(
          StandardCharsets.ISO_8859_1)));
      socket.write(request);
    });
    return reply.future();
  }
}
