package io.daemonverticle;

import static io.daemonverticle.testing.TipEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.TipEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tip's long-poll ({@code waitfornewblock}): blocks published as the daemon tells of them
 * with the poll a minute apart, the call renewed after the daemon's restart reset it, and off
 * by itself where the daemon lacks the call.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TipLongPollTest {

  private static final int TIP = 60;

  private static long waits(FakeDaemon fake) {
    return fake.methods().stream().filter("waitfornewblock"::equals).count();
  }

  /** Completes once the condition holds (checked every 10 ms). */
  private static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    check(vertx, condition, promise);
    return promise.future();
  }

  private static void check(Vertx vertx, BooleanSupplier condition, Promise<Void> promise) {
    if (condition.getAsBoolean()) {
      promise.complete();
    } else {
      vertx.setTimer(10, (Long id) -> check(vertx, condition, promise));
    }
  }

  @Test
  void blocksArriveByTheLongPollWhichARestartOfTheDaemonDoesNotStop(Vertx vertx,
                                                                     VertxTestContext ctx) {
    String address = "daemon.tip.longpoll." + System.nanoTime();
    TipEvents tips = new TipEvents(vertx, address);
    List<JsonObject> expected = new ArrayList<>();
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> {
      fake.withWaitForNewBlock();
      // The poll runs once at the start and then not for a minute: the rest is the long-poll's.
      return Service.deploy(vertx, fake, (JsonObject c) -> c.put("address", address)
              .put("heightPollMs", 60_000))
          .compose((Service s) -> tips.awaitCount(1))
          .compose((List<JsonObject> one) -> {
            expected.add(event(TIP, fake.chain().hashAt(TIP), null, null, null, "poll", 1));
            assertThat(one).isEqualTo(expected);
            return until(vertx, () -> waits(fake) >= 1);
          })
          .compose((Void v) -> {
            fake.setHeight(TIP + 1);
            return tips.awaitCount(2);
          })
          .compose((List<JsonObject> two) -> {
            expected.add(event(TIP + 1, fake.chain().hashAt(TIP + 1), TIP,
                fake.chain().hashAt(TIP), null, "longpoll", 2));
            assertThat(two).isEqualTo(expected);
            return until(vertx, () -> waits(fake) >= 2);
          })
          // The daemon restarts under the waiting call: its connection is reset.
          .compose((Void v) -> fake.restart())
          .compose((Void v) -> until(vertx, () -> waits(fake) >= 3))
          .compose((Void v) -> {
            fake.setHeight(TIP + 2);
            return tips.awaitCount(3);
          })
          .map((List<JsonObject> three) -> {
            expected.add(event(TIP + 2, fake.chain().hashAt(TIP + 2), TIP + 1,
                fake.chain().hashAt(TIP + 1), null, "longpoll", 3));
            assertThat(three).isEqualTo(expected);
            return three;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDaemonWithoutTheCallIsAskedOnceAndPolled(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.tip.nolongpoll." + System.nanoTime();
    TipEvents tips = new TipEvents(vertx, address);
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) ->
        Service.deploy(vertx, fake, (JsonObject c) -> c.put("address", address)
                .put("heightPollMs", 50))
            .compose((Service s) -> tips.awaitCount(1))
            .compose((List<JsonObject> one) -> {
              fake.setHeight(TIP + 1);
              return tips.awaitCount(2);
            })
            .compose((List<JsonObject> two) -> {
              fake.setHeight(TIP + 2);
              return tips.awaitCount(3);
            })
            .map((List<JsonObject> three) -> {
              assertThat(three).extracting((JsonObject e) -> e.getString("source"))
                  .containsExactly("poll", "poll", "poll");
              assertThat(three).extracting((JsonObject e) -> e.getLong("seq"))
                  .containsExactly(1L, 2L, 3L);
              assertThat(waits(fake)).as("asked once, then off").isEqualTo(1);
              return three;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
