package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two real nodes behind one service ({@code daemonUrl: "url1,url2"}): when the first stops,
 * requests are served by the second and status names it as the current URL.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FailoverIT {

  private static RegtestNode first;
  private static RegtestNode second;

  @BeforeAll
  static void startNodes() {
    first = RegtestNode.start(RegtestNode.uniqueName(FailoverIT.class, "first"));
    second = RegtestNode.start(RegtestNode.uniqueName(FailoverIT.class, "second"));
    // Heights that tell the two chains apart.
    first.mine(2);
    second.mine(7);
  }

  @AfterAll
  static void stopNodes() {
    try {
      if (first != null) {
        first.stop();
      }
    } finally {
      if (second != null) {
        second.stop();
      }
    }
  }

  @Test
  void requestsFailOverToTheSecondNode(Vertx vertx, VertxTestContext ctx) {
    // Lag left out: the first node is behind on purpose (heights tell the chains apart), and
    // this test is about its death, not its lag (CoreFleetIT is about lag).
    JsonObject config = Deployments.realNodeConfig(first.url() + "," + second.url())
        .put("maxLagBlocks", 0);
    DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
    Deployments.deploy(vertx, config)
        .compose((String id) -> client.height())
        .compose((Integer h) -> {
          ctx.verify(() -> assertThat(h).as("served by the first node").isEqualTo(2));
          return client.status();
        })
        .compose((JsonObject status) -> {
          ctx.verify(() -> assertThat(status.getString("currentUrl"))
              .isEqualTo(first.publicUrl()));
          return RegtestNode.blocking(vertx, () -> {
            first.stop();
            return null;
          });
        })
        .compose((Object v) -> client.height())
        .compose((Integer h) -> {
          ctx.verify(() -> assertThat(h).as("served by the second node").isEqualTo(7));
          return client.blockHexHashes(0, 8);
        })
        .compose((List<String> hashes) -> {
          ctx.verify(() -> assertThat(hashes).hasSize(8));
          return client.status();
        })
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            assertThat(status.getString("currentUrl")).isEqualTo(second.publicUrl());
            assertThat(status.getJsonObject("counters").getLong("failovers")).isPositive();
            assertThat(status.getJsonArray("urls")).hasSize(2);
            String text = status.encode();
            assertThat(text).doesNotContain(first.apiKey()).doesNotContain(second.apiKey());
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
