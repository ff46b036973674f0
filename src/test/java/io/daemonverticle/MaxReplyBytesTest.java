package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 item 5: a reply is read as a stream and counted; one longer than
 * {@code maxReplyBytes} is cut off (its connection closed, nothing of it held) and is a
 * transient failure of that URL: retried, and answered 503 saying so at the deadline.
 */
@ExtendWith(VertxExtension.class)
class MaxReplyBytesTest {

  private static final long MAX_REPLY_BYTES = 256 * 1024;

  @Test
  void aReplyOverTheBoundIsCutOffAndRetried(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 10).compose((FakeDaemon fake) -> {
      fake.failNext(Fault.LONG_BODY(4 * MAX_REPLY_BYTES));
      return deploy(vertx, fake).compose((String address) -> height(vertx, address))
          .onComplete(ctx.succeeding((Integer height) -> ctx.verify(() -> {
            // The first reply was cut off, the second (a normal one) answered.
            assertThat(height).isEqualTo(10);
            assertThat(fake.httpRequests()).isEqualTo(2);
            ctx.completeNow();
          })));
    }).onFailure(ctx::failNow);
  }

  @Test
  void anEndlessReplyIsCutOffAndItsConnectionClosed(Vertx vertx, VertxTestContext ctx) {
    LogCapture log = LogCapture.start();
    FakeDaemon.bitcoinLike(vertx, 10).compose((FakeDaemon fake) -> {
      fake.failNext(Fault.ENDLESS_BODY, Fault.ENDLESS_BODY, Fault.ENDLESS_BODY);
      long started = System.nanoTime();
      return deploy(vertx, fake).compose((String address) -> height(vertx, address))
          .onComplete(ctx.succeeding((Integer height) -> ctx.verify(() -> {
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(height).isEqualTo(10);
            assertThat(fake.httpRequests()).isEqualTo(4);
            // Each endless reply ended at the bound, not at the attempt timeout (1 s each).
            assertThat(tookMs).isLessThan(2_500);
            assertThat(log.linesWith("longer than maxReplyBytes (" + MAX_REPLY_BYTES
                + " bytes): cut off")).isNotEmpty();
            // Every cut-off reply's connection is closed: the fake has none still open.
            vertx.setTimer(300, (Long t) -> ctx.verify(() -> {
              assertThat(fake.inFlight()).isZero();
              log.close();
              ctx.completeNow();
            }));
          })));
    }).onFailure(ctx::failNow);
  }

  @Test
  void aReplyWithinTheBoundIsReadWhole(Vertx vertx, VertxTestContext ctx) {
    LogCapture log = LogCapture.start();
    FakeDaemon.bitcoinLike(vertx, 10).compose((FakeDaemon fake) -> {
      fake.failNext(Fault.LONG_BODY(MAX_REPLY_BYTES / 2));
      return deploy(vertx, fake).compose((String address) -> height(vertx, address))
          .onComplete(ctx.succeeding((Integer height) -> ctx.verify(() -> {
            // The long reply answers an id nobody asked (a transient failure, retried), but
            // it was read whole, not cut off.
            assertThat(height).isEqualTo(10);
            assertThat(fake.httpRequests()).isEqualTo(2);
            assertThat(log.linesWith("carries id -1")).isNotEmpty();
            assertThat(log.linesWith("maxReplyBytes")).isEmpty();
            log.close();
            ctx.completeNow();
          })));
    }).onFailure(ctx::failNow);
  }

  private static Future<String> deploy(Vertx vertx, FakeDaemon fake) {
    JsonObject config = Deployments.config(fake).put("maxReplyBytes", MAX_REPLY_BYTES)
        .put("breakerMaxFailures", 1000);
    return Deployments.deploy(vertx, config).map((String id) -> config.getString("address"));
  }

  private static Future<Integer> height(Vertx vertx, String address) {
    return vertx.eventBus().request(address, null,
        new DeliveryOptions().addHeader(Actions.HEADER, Actions.HEIGHT))
        .map((Message<Object> m) -> ((Number) m.body()).intValue());
  }
}
