package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.daemonverticle.testing.Transports;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An exchange's bound is a timer of the service's time source: in virtual time a daemon that
 * never answers is cut at 5 s exactly, and in no wall time; an answered exchange leaves no
 * timer behind. The exchange itself is real HTTP with a fake daemon.
 */
@ExtendWith(VertxExtension.class)
class HttpTransportTimeoutTest {

  private static final Buffer PAYLOAD = new JsonObject().put("method", "getblockcount")
      .put("id", 0).toBuffer();

  private static <T> Future<T> on(Context context, Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext((Void v) -> work.get().onComplete(promise));
    return promise.future();
  }

  @Test
  void aDaemonThatNeverAnswersIsCutWhenTheBoundsTimerFires(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    HttpTransport transport = Transports.plain(vertx, time, 1);
    Offloader offloader = transport.offloader();
    FakeDaemon.bitcoinLike(vertx, 5).compose((FakeDaemon fake) -> {
      fake.failNext(Fault.HANG);
      DaemonUrl url = DaemonUrl.parse(fake.url("u", "p"), null, false);
      Supplier<Future<Object>> post = () -> transport.post(url, PAYLOAD, 5_000,
          new JsonReplyReader<>(offloader, (Object reply) -> reply, url.toString()));
      Future<Object> hung = on(context, post);
      return time.once(() -> fake.inFlight() == 1)
          .compose((Void held) -> {
            ctx.verify(() -> assertThat(time.delaysSet()).as("the bound, on the time source")
                .containsExactly(5_000L));
            return time.advance(4_999);
          })
          .compose((Void v) -> {
            ctx.verify(() -> {
              assertThat(hung.isComplete()).as("within its 5 s").isFalse();
              assertThat(fake.inFlight()).isEqualTo(1);
            });
            return time.advance(1);
          })
          .compose((Void v) -> hung.transform((AsyncResult<Object> ar) -> {
            ctx.verify(() -> {
              assertThat(ar.failed()).isTrue();
              assertThat(ar.cause()).isInstanceOf(TransientFailure.class);
              assertThat(((TransientFailure) ar.cause()).kind())
                  .isEqualTo(TransientFailure.Kind.TIMEOUT);
            });
            // The reset reaches the daemon: its connection is closed, the request gone.
            return time.once(() -> fake.inFlight() == 0);
          }))
          .compose((Void v) -> on(context, post))
          .map((Object answered) -> {
            ctx.verify(() -> {
              assertThat(answered).isInstanceOf(JsonObject.class);
              assertThat(time.delaysSet()).containsExactly(5_000L, 5_000L);
              assertThat(time.pending()).as("the answered exchange's bound cancelled").isZero();
              assertThat(time.nowMs()).isEqualTo(5_000);
            });
            transport.close();
            return answered;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
