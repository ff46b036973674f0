package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared map stalls (as a cluster's does when a member hangs): height answers from the
 * daemon at once and status within a second, saying what it could not read. Once the map
 * answers again the shared height catches up, published once per change.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ClusterStallTest {

  private static final int TIP = 90;

  private static long msSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000L;
  }

  @Test
  void heightAndStatusDoNotWaitForAStalledClusterMap(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<ControlledMap> shared = new AtomicReference<>();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config(fake);
      String address = config.getString("address");
      vertx.eventBus().<JsonObject>consumer(address + Actions.HEIGHT_TOPIC_SUFFIX,
          (Message<JsonObject> m) -> published.add(m.body()));
      DaemonVerticle verticle = new DaemonVerticle(Map.of(), (Vertx v, String name) ->
          v.sharedData().<String, Object>getAsyncMap(name).map((AsyncMap<String, Object> real) -> {
            shared.set(new ControlledMap(real));
            return shared.get();
          }));
      DaemonClient client = DaemonClient.create(vertx, address);
      return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))
          .compose((String id) -> {
            shared.get().hang();
            long started = System.nanoTime();
            return client.height().map((Integer height) -> {
              ctx.verify(() -> {
                assertThat(height).isEqualTo(TIP);
                assertThat(msSince(started)).as("height does not wait for the map")
                    .isLessThan(1_000);
              });
              return height;
            });
          })
          .compose((Integer h) -> {
            long started = System.nanoTime();
            return client.status().map((JsonObject status) -> {
              ctx.verify(() -> {
                assertThat(msSince(started)).as("status answers within a second or so")
                    .isLessThan(1_500);
                assertThat(status.containsKey("cachedHeight")).isTrue();
                assertThat(status.getValue("cachedHeight")).isNull();
                assertThat(status.getString("clusterError")).contains("did not give");
              });
              return status;
            });
          })
          .compose((JsonObject status) -> {
            // The map answers again (what it held never will): the height seen next is
            // stored and published once, after the stalled write is given up.
            shared.get().heal();
            return client.height();
          })
          .compose((Integer h) -> until(vertx, () -> !published.isEmpty()))
          .compose((Void v) -> client.height())
          .compose((Integer h) -> client.cachedHeight())
          .compose((Integer cached) -> {
            ctx.verify(() -> assertThat(cached).isEqualTo(TIP));
            return client.status();
          })
          .compose((JsonObject status) -> vertx.timer(300).map((Void t) -> {
            ctx.verify(() -> {
              assertThat(status.getValue("cachedHeight")).isEqualTo(TIP);
              assertThat(status.getValue("clusterError")).isNull();
              assertThat(status.getLong("heightPublications")).isEqualTo(1);
              assertThat(published).containsExactly(
                  new JsonObject().put("height", TIP).putNull("previous"));
            });
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier done) {
    Promise<Void> promise = Promise.promise();
    check(vertx, done, promise);
    return promise.future();
  }

  private static void check(Vertx vertx, java.util.function.BooleanSupplier done,
                            Promise<Void> promise) {
    if (done.getAsBoolean()) {
      promise.complete();
    } else {
      vertx.setTimer(20, (Long id) -> check(vertx, done, promise));
    }
  }
}
