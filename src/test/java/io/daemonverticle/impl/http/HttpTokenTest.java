package io.daemonverticle.impl.http;

import static io.daemonverticle.impl.http.HttpFront.headers;
import static io.daemonverticle.impl.http.HttpActionsTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** httpToken: every route but /health needs the bearer token; the token is a credential. */
@ExtendWith(VertxExtension.class)
class HttpTokenTest {

  private static final String TOKEN = "t0ken-Only-the-0perator-knows";

  /** ... and the token, right or wrong, shows in no log line (ours at DEBUG). */
  @Test
  void everyRouteButHealthNeedsTheToken(Vertx vertx, VertxTestContext ctx) {
    LogCapture log = LogCapture.start();
    FakeDaemon.bitcoinLike(vertx, 7).compose((FakeDaemon fake) -> HttpFront.deploy(vertx,
            Deployments.config(fake).put("httpToken", TOKEN))
        .compose((HttpFront front) -> front.post(Actions.HEIGHT, null)
            .compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 401, "http", "Bearer");
          return front.post(Actions.HEIGHT, null,
              headers("Authorization", "Bearer " + TOKEN + "x"));
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 401, "http", "Bearer");
          return front.post(Actions.HEIGHT, null, headers("Authorization", TOKEN));
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 401, "http", "Bearer");
          return front.get("/metrics");
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 401, "http", "Bearer");
          return front.post(Actions.HEIGHT, null,
              headers("Authorization", "Bearer " + TOKEN));
        }).compose((HttpResponse<Buffer> r) -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsString()).isEqualTo("7");
          });
          return front.get("/metrics", headers("Authorization", "Bearer " + TOKEN));
        }).compose((HttpResponse<Buffer> r) -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(200));
          return front.get("/health/live");
        }).compose((HttpResponse<Buffer> r) -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(200));
          return front.get("/health");
        }).compose((HttpResponse<Buffer> r) -> {
          // Polling is off in the test config: ready on the closed circuit alone.
          ctx.verify(() -> assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200));
          return front.post(Actions.STATUS, null, headers("Authorization", "Bearer " + TOKEN));
        })))
        .onComplete(ctx.succeeding((HttpResponse<Buffer> status) -> ctx.verify(() -> {
          assertThat(status.statusCode()).isEqualTo(200);
          assertThat(status.bodyAsString()).doesNotContain(TOKEN);
          assertThat(log.lines()).as("something was logged").isNotEmpty();
          assertThat(log.linesWith(TOKEN)).isEmpty();
          assertThat(log.linesWith("t0ken")).isEmpty();
          log.close();
          ctx.completeNow();
        })));
  }

  @Test
  void theTokenIsMaskedWhereOptionsAreShown() {
    DaemonOptions options = new DaemonOptions(new JsonObject().put("httpToken", TOKEN)
        .put("daemonUrl", "http://user:p@ss@127.0.0.1:1/,u2:pw2@127.0.0.1:2"));
    assertThat(options.toString()).doesNotContain(TOKEN).doesNotContain("p@ss")
        .doesNotContain("pw2").contains("***").contains("127.0.0.1:1/").contains("127.0.0.1:2");
    assertThat(options.toMaskedJson().getString("httpToken")).isEqualTo("***");
    // The deployable form keeps it: a copy must serve with the same token.
    assertThat(new DaemonOptions(options.toJson()).getHttpToken()).isEqualTo(TOKEN);
  }
}
