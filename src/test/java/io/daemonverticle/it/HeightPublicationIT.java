package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code <address>.height} against a real node polled every 200 ms: one publication for the
 * height seen first, then exactly one per batch of mined blocks, with the right previous.
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
            msg -> seen.add(msg.body()))
        .completion()
        .compose(v -> Deployments.deploy(vertx, config))
        // The first poll publishes the height found at start, with no previous.
        .compose(id -> until(vertx, () -> !seen.isEmpty()))
        .compose(v -> RegtestNode.blocking(vertx, () -> node.mine(5)))
        .compose(h -> until(vertx, () -> seen.size() >= 2))
        .compose(v -> RegtestNode.blocking(vertx, () -> node.mine(5)))
        .compose(h -> until(vertx, () -> seen.size() >= 3))
        // Let the poller run several more times: nothing more may be published.
        .compose(v -> client.status())
        .compose(status -> {
          long polls = status.getLong("heightPolls");
          return untilStatus(vertx, client, s -> s.getLong("heightPolls") >= polls + 5);
        })
        .map(status -> {
          ctx.verify(() -> {
            assertThat(seen).containsExactly(
                new JsonObject().put("height", 3).putNull("previous"),
                new JsonObject().put("height", 8).put("previous", 3),
                new JsonObject().put("height", 13).put("previous", 8));
            assertThat(status.getInteger("cachedHeight")).isEqualTo(13);
            assertThat(status.getLong("heightPublications")).isEqualTo(3);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Completes once the condition holds, checking every poll period (the test times out). */
  private static Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier done) {
    if (done.getAsBoolean()) {
      return Future.succeededFuture();
    }
    return vertx.timer(POLL_MS / 2).compose(t -> until(vertx, done));
  }

  private static Future<JsonObject> untilStatus(Vertx vertx, DaemonClient client,
                                                Predicate<JsonObject> done) {
    return client.status().compose(status -> done.test(status) ? Future.succeededFuture(status)
        : vertx.timer(POLL_MS).compose(t -> untilStatus(vertx, client, done)));
  }
}
