package io.daemonverticle.it;

import static io.daemonverticle.testing.TipEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.TipEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code <address>.tip} against a real Litecoin Core 0.21 regtest CORE.node(), followed by the
 * long-poll ({@code waitfornewblock}; Debian's build has no ZMQ) with the poll a minute
 * apart: a mined block, a tip taken back by {@code invalidateblock} and replaced by a new
 * block at the same height, and a 3-block reorg ({@code invalidateblock} three below the tip,
 * four blocks mined). The test node's {@code -rpcservertimeout} is 3 s: the long-poll learns
 * to return before it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class TipCoreIT {

  @RegisterExtension
  static final OneCoreNode CORE = new OneCoreNode(CoreNode.Settings.password(), 3);

  private static Future<String> hashAt(WebClient web, int height) {
    return CORE.node().rpc(web, "getblockhash", height).map(String.class::cast);
  }

  private static Future<Integer> mine(Vertx vertx, int n) {
    return RegtestNode.blocking(vertx, () -> CORE.node().mine(n));
  }

  @Test
  void blocksAndReorgsOfARealNodeArePublishedInOrder(Vertx vertx, VertxTestContext ctx) {
    WebClient web = WebClient.create(vertx);
    JsonObject config = Deployments.litecoinConfig(CORE.node().url()).put("heightPollMs", 60_000);
    TipEvents tips = new TipEvents(vertx, config.getString("address"));
    List<JsonObject> expected = new ArrayList<>();
    List<String> old = new ArrayList<>();
    Deployments.deploy(vertx, config)
        .compose((String id) -> tips.awaitCount(1))
        .compose((List<JsonObject> one) -> hashAt(web, 3).map((String h3) -> {
          expected.add(event(3, h3, null, null, null, "poll", 1));
          assertThat(one).isEqualTo(expected);
          return h3;
        }))
        // The long-poll's first call went out before the first poll read the tip.
        .compose((String h3) -> mine(vertx, 1))
        .compose((Integer h) -> tips.awaitCount(2))
        .compose((List<JsonObject> two) -> hashAt(web, 4).map((String h4) -> {
          expected.add(event(4, h4, 3, expected.get(0).getString("hash"), null, "longpoll",
              2));
          assertThat(two).isEqualTo(expected);
          old.add(h4);
          return h4;
        }))
        // Same height: block 4 invalidated (the tip goes back to 3), a new block 4 mined.
        .compose((String h4) -> CORE.node().rpc(web, "invalidateblock", h4))
        .compose((Object v) -> tips.awaitCount(3))
        .compose((List<JsonObject> three) -> {
          expected.add(event(3, expected.get(0).getString("hash"), 4, old.get(0), 3,
              "longpoll", 3));
          assertThat(three).isEqualTo(expected);
          return mine(vertx, 1);
        })
        .compose((Integer h) -> tips.awaitCount(4))
        .compose((List<JsonObject> four) -> hashAt(web, 4).map((String h4b) -> {
          assertThat(h4b).isNotEqualTo(old.get(0));
          expected.add(event(4, h4b, 3, expected.get(0).getString("hash"), null, "longpoll",
              4));
          assertThat(four).isEqualTo(expected);
          return h4b;
        }))
        // Three more, then a 3-block reorg: blocks 5..7 invalidated, 5'..8' mined at once.
        .compose((String h4b) -> mine(vertx, 3))
        .compose((Integer h) -> tips.awaitCount(7))
        .compose((List<JsonObject> seven) -> hashAt(web, 5))
        .compose((String h5) -> CORE.node().rpc(web, "invalidateblock", h5))
        .compose((Object v) -> tips.awaitCount(8))
        .compose((List<JsonObject> eight) -> {
          // The tip went back to block 4 (a fork at itself), published by the long-poll.
          assertThat(eight.get(7).getInteger("height")).isEqualTo(4);
          assertThat(eight.get(7).getInteger("forkHeight")).isEqualTo(4);
          return mine(vertx, 4);
        })
        .compose((Integer h) -> tips.awaitCount(12))
        .compose((List<JsonObject> twelve) -> hashAt(web, 8).map((String h8) -> {
          // Blocks 5'..8', in order, each extending the one before, seq on.
          for (int i = 8; i < 12; i++) {
            JsonObject e = twelve.get(i);
            JsonObject before = twelve.get(i - 1);
            assertThat(e.getInteger("height")).isEqualTo(i - 3);
            assertThat(e.getJsonObject("previous")).isEqualTo(new JsonObject()
                .put("height", before.getInteger("height")).put("hash",
                    before.getString("hash")));
            assertThat(e.getValue("forkHeight")).isNull();
            assertThat(e.getLong("seq")).isEqualTo(i + 1);
          }
          assertThat(twelve.get(11).getString("hash")).isEqualTo(h8);
          return twelve;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
