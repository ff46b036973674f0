package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances serve one address, each in front of its own daemon; one holds the poller
 * lease. When the holder's daemon hangs, the holder lets the lease go (it renews only after
 * its daemon answered), the other instance takes it over and height changes are published
 * again. The instances share this JVM's shared data, as cluster nodes share Hazelcast's.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PollerTakeoverTest {

  private static final int TIP = 70;

  private static long polls(FakeDaemon fake) {
    return fake.calls().stream()
        .filter((JsonObject c) -> "getblockcount".equals(c.getString("method")))
        .count();
  }

  /** Completes once the condition holds; fails saying what after {@code withinMs}. */
  private static Future<Void> until(Vertx vertx, long withinMs, String what,
                                    BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    check(vertx, System.nanoTime() + withinMs * 1_000_000L, what, condition, promise);
    return promise.future();
  }

  private static void check(Vertx vertx, long endNanos, String what, BooleanSupplier condition,
                            Promise<Void> promise) {
    if (condition.getAsBoolean()) {
      promise.complete();
    } else if (System.nanoTime() - endNanos > 0) {
      promise.fail(new AssertionError("not within the time given: " + what));
    } else {
      vertx.setTimer(20, (Long id) -> check(vertx, endNanos, what, condition, promise));
    }
  }

  @Test
  void whenTheHoldersDaemonHangsAnotherInstanceTakesOverPolling(Vertx vertx,
                                                                VertxTestContext ctx) {
    String address = "daemon.takeover." + System.nanoTime();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(address + Actions.HEIGHT_TOPIC_SUFFIX,
        (Message<JsonObject> m) -> published.add(m.body()));
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture fakes) -> {
          FakeDaemon first = fakes.resultAt(0);
          FakeDaemon second = fakes.resultAt(1);
          return Future.all(
                  Service.deploy(vertx, first, (JsonObject c) -> c.put("address", address)
                      .put("heightPollMs", 100)),
                  Service.deploy(vertx, second, (JsonObject c) -> c.put("address", address)
                      .put("heightPollMs", 100)))
              .compose((CompositeFuture v) -> until(vertx, 10_000, "the first publication",
                  () -> !published.isEmpty()))
              .compose((Void v) -> {
                // The instance whose daemon published holds the lease: its daemon now hangs
                // (answers after a minute) while the chain grows.
                FakeDaemon holder = polls(first) > 0 ? first : second;
                FakeDaemon other = holder == first ? second : first;
                holder.setLatency(60_000);
                holder.setHeight(TIP + 1);
                other.setHeight(TIP + 1);
                // The holder's poll fails after 1 s (attemptTimeoutMs of the test config).
                return until(vertx, 15_000, "the change published by the other instance",
                    () -> published.size() >= 2).map((Void v2) -> {
                  ctx.verify(() -> {
                    assertThat(published).containsExactly(
                        new JsonObject().put("height", TIP).putNull("previous"),
                        new JsonObject().put("height", TIP + 1).put("previous", TIP));
                    assertThat(polls(other)).as("the other instance took polling over")
                        .isPositive();
                  });
                  return v2;
                });
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
