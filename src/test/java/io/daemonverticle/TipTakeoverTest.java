package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.TipEvents;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances serve one address, each in front of its own daemon on the same chain; the
 * one that follows the tip goes away between two blocks, and the other goes on from the
 * chain and seq the first stored: no tip lost, none published twice. The instances share
 * this JVM's shared data, as cluster nodes share Hazelcast's.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TipTakeoverTest {

  private static final int TIP = 80;

  private static long tipPolls(FakeDaemon fake) {
    return fake.calls().stream()
        .filter((JsonObject c) -> "getbestblockhash".equals(c.getString("method"))).count();
  }

  @Test
  void theNodeTakingOverGoesOnWithoutALostOrDuplicatedTip(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.tip.takeover." + System.nanoTime();
    TipEvents tips = new TipEvents(vertx, address);
    List<JsonObject> expected = new ArrayList<>();
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture fakes) -> {
          FakeDaemon first = fakes.resultAt(0);
          FakeDaemon second = fakes.resultAt(1);
          return Future.all(
                  Service.deploy(vertx, first, (JsonObject c) -> c.put("address", address)
                      .put("heightPollMs", 50).put("tipLongPoll", false)),
                  Service.deploy(vertx, second, (JsonObject c) -> c.put("address", address)
                      .put("heightPollMs", 50).put("tipLongPoll", false)))
              .compose((CompositeFuture services) -> tips.awaitCount(1).compose(
                  (List<JsonObject> one) -> {
                    expected.add(TipEvents.event(TIP, first.chain().hashAt(TIP), null, null,
                        null, "poll", 1));
                    first.setHeight(TIP + 1);
                    second.setHeight(TIP + 1);
                    return tips.awaitCount(2);
                  }).compose((List<JsonObject> two) -> {
                    expected.add(TipEvents.event(TIP + 1, first.chain().hashAt(TIP + 1), TIP,
                        first.chain().hashAt(TIP), null, "poll", 2));
                    assertThat(two).isEqualTo(expected);
                    // The holder goes away between two blocks.
                    boolean firstLeads = tipPolls(first) > 0;
                    Service holder = services.resultAt(firstLeads ? 0 : 1);
                    FakeDaemon other = firstLeads ? second : first;
                    assertThat(tipPolls(other)).as("one node follows the tip").isZero();
                    return vertx.undeploy(holder.deploymentId).compose((Void v) -> {
                      first.setHeight(TIP + 2);
                      second.setHeight(TIP + 2);
                      return tips.awaitCount(3);
                    }).compose((List<JsonObject> three) -> {
                      expected.add(TipEvents.event(TIP + 2, other.chain().hashAt(TIP + 2),
                          TIP + 1, other.chain().hashAt(TIP + 1), null, "poll", 3));
                      assertThat(three).isEqualTo(expected);
                      assertThat(tipPolls(other)).as("the other took over").isPositive();
                      other.setHeight(TIP + 3);
                      return tips.awaitCount(4);
                    });
                  }))
              .map((List<JsonObject> four) -> {
                expected.add(TipEvents.event(TIP + 3, second.chain().hashAt(TIP + 3), TIP + 2,
                    second.chain().hashAt(TIP + 2), null, "poll", 4));
                assertThat(four).isEqualTo(expected);
                return four;
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Completes once the condition holds (checked every 10 ms; the test's timeout bounds it). */
  private static Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier condition) {
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    check(vertx, condition, promise);
    return promise.future();
  }

  private static void check(Vertx vertx, java.util.function.BooleanSupplier condition,
                            io.vertx.core.Promise<Void> promise) {
    if (condition.getAsBoolean()) {
      promise.complete();
    } else {
      vertx.setTimer(10, (Long id) -> check(vertx, condition, promise));
    }
  }

  @Test
  void aNodeWhoseDaemonLagsTakesOverWithoutAFalseReorg(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.tip.lag." + System.nanoTime();
    TipEvents tips = new TipEvents(vertx, address);
    List<JsonObject> expected = new ArrayList<>();
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture fakes) -> {
          FakeDaemon first = fakes.resultAt(0);
          FakeDaemon second = fakes.resultAt(1);
          return Future.all(
                  Service.deploy(vertx, first, (JsonObject c) -> c.put("address", address)
                      .put("heightPollMs", 50).put("tipLongPoll", false)),
                  Service.deploy(vertx, second, (JsonObject c) -> c.put("address", address)
                      .put("heightPollMs", 50).put("tipLongPoll", false)))
              .compose((CompositeFuture services) -> tips.awaitCount(1).compose(
                  (List<JsonObject> one) -> {
                    boolean firstLeads = tipPolls(first) > 0;
                    FakeDaemon holder = firstLeads ? first : second;
                    FakeDaemon other = firstLeads ? second : first;
                    expected.add(TipEvents.event(TIP, holder.chain().hashAt(TIP), null, null,
                        null, "poll", 1));
                    // The holder's daemon is a block ahead of the other's.
                    holder.setHeight(TIP + 1);
                    return tips.awaitCount(2).compose((List<JsonObject> two) -> {
                      expected.add(TipEvents.event(TIP + 1, holder.chain().hashAt(TIP + 1),
                          TIP, holder.chain().hashAt(TIP), null, "poll", 2));
                      assertThat(two).isEqualTo(expected);
                      Service leaving = services.resultAt(firstLeads ? 0 : 1);
                      return vertx.undeploy(leaving.deploymentId);
                    }).compose((Void v) -> {
                      // The other leads now, its daemon still at the block before: it must
                      // not publish a reorg back to it.
                      long before = tipPolls(other);
                      return until(vertx, () -> tipPolls(other) >= before + 3);
                    }).compose((Void v) -> {
                      other.setHeight(TIP + 1);
                      other.setHeight(TIP + 2);
                      return tips.awaitCount(3);
                    }).map((List<JsonObject> three) -> {
                      expected.add(TipEvents.event(TIP + 2, other.chain().hashAt(TIP + 2),
                          TIP + 1, other.chain().hashAt(TIP + 1), null, "poll", 3));
                      assertThat(three).isEqualTo(expected);
                      return three;
                    });
                  }));
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
