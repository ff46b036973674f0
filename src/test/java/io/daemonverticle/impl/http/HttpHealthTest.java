package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * /health is readiness: DOWN (503, the reason in the body) while the only daemon is down, UP
 * again when it is back; /health/live stays UP throughout.
 */
@ExtendWith(VertxExtension.class)
class HttpHealthTest {

  @Test
  @SuppressWarnings("unchecked")
  void downWhileTheOnlyDaemonIsDownAndUpWhenItReturns(Vertx vertx, VertxTestContext ctx)
      throws InterruptedException {
    FakeDaemon[] daemon = new FakeDaemon[1];
    HttpFront[] front = new HttpFront[1];
    FakeDaemon.bitcoinLike(vertx, 30).compose((FakeDaemon fake) -> {
      daemon[0] = fake;
      return HttpFront.deploy(vertx, Deployments.config(fake).put("heightPollMs", 100));
    }).compose((HttpFront f) -> {
      front[0] = f;
      return until(vertx, f, 200);
    }).compose((HttpResponse<Buffer> up) -> {
      ctx.verify(() -> assertThat(up.bodyAsJsonObject().getString("status")).isEqualTo("UP"));
      return daemon[0].setDown(true).compose((Void v) -> until(vertx, front[0], 503));
    }).compose((HttpResponse<Buffer> down) -> {
      ctx.verify(() -> {
        JsonObject check = down.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0);
        assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
        assertThat(check.getJsonObject("data").getString("reason"))
            .containsAnyOf("no daemon URL's circuit is closed", "last confirmed");
        assertThat(down.bodyAsString()).doesNotContain(Deployments.PASSWORD);
      });
      return front[0].get("/health/live");
    }).compose((HttpResponse<Buffer> live) -> {
      ctx.verify(() -> assertThat(live.statusCode()).isEqualTo(200));
      return daemon[0].setDown(false).compose((Void v) -> until(vertx, front[0], 200));
    }).onComplete(ctx.succeeding((HttpResponse<Buffer> up) -> ctx.verify(() -> {
      assertThat(up.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0)
          .getJsonObject("data").getInteger("cachedHeight")).isEqualTo(30);
      ctx.completeNow();
    })));
    assertThat(ctx.awaitCompletion(60, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * A poller lease written to run for ages (issue 29's probe) froze polling on every node and
   * kept readiness DOWN: the poller must take it over and the service become ready.
   */
  @Test
  void aPollerLeaseRunningForAgesDoesNotKeepTheServiceDown(Vertx vertx, VertxTestContext ctx)
      throws InterruptedException {
    FakeDaemon.bitcoinLike(vertx, 30).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config(fake).put("heightPollMs", 100);
      return vertx.sharedData().<String, Object>getAsyncMap("daemon-verticle:"
              + config.getString("address"))
          .compose((AsyncMap<String, Object> map) -> map.put("heightPoller.lease",
              TimeUnit.DAYS.toMillis(30 * 365) + "|forged|elsewhere"))
          .compose((Void v) -> HttpFront.deploy(vertx, config));
    }).compose((HttpFront f) -> until(vertx, f, 200))
        .onComplete(ctx.succeeding((HttpResponse<Buffer> up) -> ctx.verify(() -> {
          assertThat(up.bodyAsJsonObject().getString("status")).isEqualTo("UP");
          ctx.completeNow();
        })));
    assertThat(ctx.awaitCompletion(60, TimeUnit.SECONDS)).isTrue();
  }

  /** /health until it answers {@code status}, asked every 100 ms for 20 s at most. */
  private static Future<HttpResponse<Buffer>> until(Vertx vertx, HttpFront front, int status) {
    Promise<HttpResponse<Buffer>> promise = Promise.promise();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    ask(vertx, front, status, giveUp, promise, null);
    return promise.future();
  }

  private static void ask(Vertx vertx, HttpFront front, int status, long giveUp,
                          Promise<HttpResponse<Buffer>> promise, HttpResponse<Buffer> last) {
    if (System.nanoTime() - giveUp > 0) {
      promise.fail("/health never answered " + status + "; last: "
          + (last == null ? "none" : last.statusCode() + " " + last.bodyAsString()));
      return;
    }
    front.get("/health").onComplete((AsyncResult<HttpResponse<Buffer>> ar) -> {
      if (ar.succeeded() && ar.result().statusCode() == status) {
        promise.complete(ar.result());
      } else {
        vertx.setTimer(100, (Long id) -> ask(vertx, front, status, giveUp, promise,
            ar.succeeded() ? ar.result() : last));
      }
    });
  }
}
