package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared height's rules, on local shared data (the cluster tests run the same code). */
@ExtendWith(VertxExtension.class)
class SharedStateTest {

  @Test
  void staleAnswersDoNotMoveTheHeightBackButThePollerMay(Vertx vertx, VertxTestContext ctx) {
    String address = "shared-state-test-" + System.nanoTime();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(address + ".height", m -> published.add(m.body()))
        .completion()
        .compose(v -> SharedState.create(vertx, address, "me", 30000))
        .compose(state -> state.observeHeight(10, false)
            .compose(v -> state.observeHeight(9, false))
            .compose(v -> state.cachedHeight(5_000))
            .compose(afterStale -> {
              ctx.verify(() -> assertThat(afterStale).isEqualTo(10));
              return state.observeHeight(9, true);
            })
            .compose(v -> state.cachedHeight(5_000))
            .map(afterPoll -> {
              ctx.verify(() -> assertThat(afterPoll).isEqualTo(9));
              return state;
            }))
        // Publications are delivered asynchronously: wait a little before counting them.
        .compose(state -> vertx.timer(100))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(published).containsExactly(
              new JsonObject().put("height", 10).putNull("previous"),
              new JsonObject().put("height", 9).put("previous", 10));
          ctx.completeNow();
        })));
  }
}
