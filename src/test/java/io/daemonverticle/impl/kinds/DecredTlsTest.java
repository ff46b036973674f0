package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.Json;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.ChainProbes;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.security.cert.CertificateException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * dcrd serves its RPC over TLS with a self-signed certificate. An https daemon URL must be
 * refused until that certificate is trusted (daemonCaFile), or every certificate is trusted
 * because the config asks for it by name (trustAllDaemonCertificates).
 */
@ExtendWith(VertxExtension.class)
class DecredTlsTest {

  private static SelfSignedCertificate cert;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeAll
  static void makeCertificate() throws CertificateException {
    // CN=localhost, the name the daemon URL uses, so host verification stays on.
    cert = new SelfSignedCertificate("localhost");
  }

  @AfterAll
  static void deleteCertificate() {
    cert.delete();
  }

  /** A TLS JSON-RPC server on loopback that knows getblockcount. */
  private Future<HttpServer> tlsDaemon(Vertx vertx) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(cert.certificate().getPath())
            .setKeyPath(cert.privateKey().getPath()));
    return vertx.createHttpServer(options)
        .requestHandler((HttpServerRequest req) -> req.body().onSuccess((Buffer body) -> {
          Object request = Json.decodeValue(body);
          if (ChainProbes.isProbe(request)) {
            req.response().putHeader("Content-Type", "application/json")
                .end(ChainProbes.answer((JsonArray) request, "mainnet").encode());
            return;
          }
          served.incrementAndGet();
          JsonObject call = (JsonObject) request;
          req.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("result", 42).putNull("error")
                  .put("id", call.getValue("id")).encode());
        }))
        .listen(0, "127.0.0.1");
  }

  private static Future<DaemonClient> deploy(Vertx vertx, HttpServer server,
                                             JsonObject trust) {
    String url = "https://" + Deployments.USER + ":" + Deployments.PASSWORD + "@localhost:"
        + server.actualPort() + "/";
    JsonObject config = Deployments.config(url).mergeIn(coin("Decred", "mainnet"))
        .put("genesisHash", FakeChain.GENESIS_HASH)
        .put("requestTimeoutMs", 1000).mergeIn(trust);
    return Deployments.deploy(vertx, config)
        .map((String id) -> DaemonClient.create(vertx, config.getString("address")));
  }

  @Test
  void anUntrustedCertificateIsRefused(Vertx vertx, VertxTestContext ctx) {
    tlsDaemon(vertx)
        .compose((HttpServer server) -> deploy(vertx, server, new JsonObject()))
        .compose(DaemonClient::height)
        .transform((AsyncResult<Integer> ar) -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).as("height over untrusted TLS").isTrue();
            // 503 once the deadline passes. The text is the TLS failure, or a timeout when the
            // JVM's first TLS handshake is slower than the test's one-second attempt.
            Answered.byTheRetryLoop(ar.cause(), "localhost:");
            assertThat(ar.cause().getMessage()).doesNotContain(Deployments.PASSWORD);
            assertThat(served.get()).as("requests that reached the daemon").isZero();
          });
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theConfiguredCaFileIsTrusted(Vertx vertx, VertxTestContext ctx) {
    tlsDaemon(vertx)
        .compose((HttpServer server) -> deploy(vertx, server,
            new JsonObject().put("daemonCaFile", cert.certificate().getPath())))
        .compose(DaemonClient::height)
        .map((Integer height) -> {
          ctx.verify(() -> {
            assertThat(height).as("decred's count minus one").isEqualTo(41);
            assertThat(served.get()).isEqualTo(1);
          });
          return height;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void trustAllWhenAskedByName(Vertx vertx, VertxTestContext ctx) {
    tlsDaemon(vertx)
        .compose((HttpServer server) -> deploy(vertx, server,
            new JsonObject().put("trustAllDaemonCertificates", true)))
        .compose(DaemonClient::height)
        .map((Integer height) -> {
          ctx.verify(() -> assertThat(height).isEqualTo(41));
          return height;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
