package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Future;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code <address>.height} against a real node polled every 200 ms: one publication for the
 * height seen first, then one per change, each linked to the one before. bcoin's
 * generatetoaddress adds a batch's blocks one at a time, so a poll may land inside a batch
 * (3, 4, 8): what must hold is the chain of publications, not one per batch.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class HeightPublicationIT {

  private static final long POLL_MS = 200;

  @RegisterExtension
  static final OneRegtestNode REGTEST = new OneRegtestNode(3);

  @Test
  void onePublicationPerMinedBatch(Vertx vertx, VertxTestContext ctx) {
    RegtestNode node = REGTEST.node();
    JsonObject config = Deployments.realNodeConfig(node.url()).put("heightPollMs", POLL_MS);
    String address = config.getString("address");
    DaemonClient client = DaemonClient.create(vertx, address);
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(address + Actions.HEIGHT_TOPIC_SUFFIX,
            (Message<JsonObject> msg) -> seen.add(msg.body()))
        .completion()
        .compose((Void v) -> Deployments.deploy(vertx, config))
        // The first poll publishes the height found at start, with no previous.
        .compose((String id) -> until(vertx, () -> !seen.isEmpty()))
        .compose((Void v) -> RegtestNode.blocking(vertx, () -> node.mine(5)))
        .compose((Integer h) -> until(vertx, () -> lastHeight(seen) == 8))
        .compose((Void v) -> RegtestNode.blocking(vertx, () -> node.mine(5)))
        .compose((Integer h) -> until(vertx, () -> lastHeight(seen) == 13))
        // Let the poller run several more times: nothing more may be published.
        .compose((Void v) -> client.status())
        .compose((JsonObject status) -> {
          long polls = status.getLong("heightPolls");
          return untilStatus(vertx, client,
              (JsonObject s) -> s.getLong("heightPolls") >= polls + 5);
        })
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            assertThat(seen.get(0)).isEqualTo(new JsonObject().put("height", 3)
                .putNull("previous"));
            for (int i = 1; i < seen.size(); i++) {
              JsonObject before = seen.get(i - 1);
              JsonObject now = seen.get(i);
              assertThat(now.getInteger("previous")).as("publication %d links to %s", i, before)
                  .isEqualTo(before.getInteger("height"));
              assertThat(now.getInteger("height")).as("publication %d", i)
                  .isGreaterThan(before.getInteger("height"));
            }
            assertThat(seen).extracting((JsonObject p) -> p.getInteger("height")).contains(8)
                .endsWith(13);
            // One block per step at most: never more publications than blocks mined.
            assertThat(seen).hasSizeBetween(3, 11);
            assertThat(status.getInteger("cachedHeight")).isEqualTo(13);
            assertThat(status.getLong("heightPublications")).isEqualTo(seen.size());
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static int lastHeight(List<JsonObject> seen) {
    return seen.isEmpty() ? -1 : seen.get(seen.size() - 1).getInteger("height");
  }

  /** Completes once the condition holds, checking every poll period (the test times out). */
  private static Future<Void> until(Vertx vertx, BooleanSupplier done) {
    if (done.getAsBoolean()) {
      return Future.succeededFuture();
    }
    return vertx.timer(POLL_MS / 2).compose((Void t) -> until(vertx, done));
  }

  private static Future<JsonObject> untilStatus(Vertx vertx, DaemonClient client,
                                                Predicate<JsonObject> done) {
    return client.status()
        .compose((JsonObject status) -> done.test(status) ? Future.succeededFuture(status)
        : vertx.timer(POLL_MS).compose((Void t) -> untilStatus(vertx, client, done)));
  }
}
