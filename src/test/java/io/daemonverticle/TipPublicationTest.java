package io.daemonverticle;

import static io.daemonverticle.testing.TipEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.TipEvents;
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
 * {@code <address>.tip} from the poll alone (getbestblockhash), against the fake daemon's
 * scripted chain: every publication in order, and nothing but them (each test's last
 * expected publication comes after any stray one would have).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TipPublicationTest {

  private static final int TIP = 50;

  /** The chain's hashes from 0 to its tip, as the fake has them now. */
  private static List<String> hashes(FakeDaemon fake) {
    FakeChain chain = fake.chain();
    List<String> all = new ArrayList<>();
    for (int h = 0; h <= chain.height(); h++) {
      all.add(chain.hashAt(h));
    }
    return all;
  }

  private static Future<Service> polled(Vertx vertx, FakeDaemon fake, String address) {
    return Service.deploy(vertx, fake, (JsonObject c) -> c.put("address", address)
        .put("heightPollMs", 50).put("tipLongPoll", false));
  }

  @Test
  void blocksAndReorgsArePublishedOneByOneInChainOrder(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.tip." + System.nanoTime();
    TipEvents tips = new TipEvents(vertx, address);
    List<JsonObject> expected = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<Service> service =
        new java.util.concurrent.atomic.AtomicReference<>();
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> polled(vertx, fake, address)
        .compose((Service s) -> {
          service.set(s);
          return tips.awaitCount(1);
        })
        .compose((List<JsonObject> first) -> {
          List<String> a = hashes(fake);
          expected.add(event(TIP, a.get(TIP), null, null, null, "poll", 1));
          assertThat(first).isEqualTo(expected);
          // Two blocks between two polls: both published, in order.
          fake.setHeight(TIP + 2);
          return tips.awaitCount(3);
        })
        .compose((List<JsonObject> three) -> {
          List<String> a = hashes(fake);
          expected.addAll(TipEvents.chainOf(a, TIP + 1, TIP + 2, null, TIP, a.get(TIP), "poll",
              2));
          assertThat(three).isEqualTo(expected);
          // A same-height reorg: block 52 replaced.
          fake.reorg(TIP + 1, TIP + 2);
          List<String> b = hashes(fake);
          expected.add(event(TIP + 2, b.get(TIP + 2), TIP + 2, a.get(TIP + 2), TIP + 1, "poll",
              4));
          return tips.awaitCount(4);
        })
        .compose((List<JsonObject> four) -> {
          assertThat(four).isEqualTo(expected);
          // A 3-block reorg: 50..52 replaced, and one more block on top.
          List<String> b = hashes(fake);
          fake.reorg(TIP - 1, TIP + 3);
          List<String> c = hashes(fake);
          expected.addAll(TipEvents.chainOf(c, TIP, TIP + 3, TIP - 1, TIP + 2, b.get(TIP + 2),
              "poll", 5));
          return tips.awaitCount(8);
        })
        .compose((List<JsonObject> eight) -> {
          assertThat(eight).isEqualTo(expected);
          fake.setHeight(TIP + 4);
          List<String> c = hashes(fake);
          expected.add(event(TIP + 4, c.get(TIP + 4), TIP + 3, c.get(TIP + 3), null, "poll", 9));
          return tips.awaitCount(9);
        })
        .compose((List<JsonObject> nine) -> {
          // Nothing else came before the last block's publication: no duplicate, no stray.
          assertThat(nine).isEqualTo(expected);
          return service.get().client.status();
        })
        .map((JsonObject status) -> {
          // The status says the tip published last, and how many this instance published.
          assertThat(status.getJsonObject("tip")).isEqualTo(new JsonObject()
              .put("height", TIP + 4).put("hash", fake.chain().hashAt(TIP + 4))
              .put("publications", 9).put("republications", 0));
          return status;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theHeightFollowsATipBackToAnAncestor(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.tip.back." + System.nanoTime();
    TipEvents tips = new TipEvents(vertx, address);
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> polled(vertx, fake, address)
        .compose((Service s) -> tips.awaitCount(1)
            .compose((List<JsonObject> first) -> {
              // invalidateblock of block 49 and nothing mined: the tip is block 48.
              fake.reorg(TIP - 2, TIP - 2);
              return tips.awaitCount(2);
            })
            .compose((List<JsonObject> two) -> {
              List<String> a = hashes(fake);
              assertThat(two.get(1)).isEqualTo(event(TIP - 2, a.get(TIP - 2), TIP,
                  two.get(0).getString("hash"), TIP - 2, "poll", 2));
              return s.client.cachedHeight();
            })
            .map((Integer cached) -> {
              assertThat(cached).isEqualTo(TIP - 2);
              return cached;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theTypedClientHandsOnEachTipInOrder(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.tip.client." + System.nanoTime();
    List<TipUpdate> updates = new ArrayList<>();
    io.vertx.core.Promise<Void> both = io.vertx.core.Promise.promise();
    TipEvents tips = new TipEvents(vertx, address);
    DaemonClient client = DaemonClient.create(vertx, address);
    client.tips((TipUpdate update) -> {
      updates.add(update);
      if (updates.size() == 2) {
        both.complete();
      }
    }).completion()
        .compose((Void v) -> FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((FakeDaemon fake) -> polled(vertx, fake, address)
            .compose((Service s) -> tips.awaitCount(1))
            .compose((List<JsonObject> one) -> {
              fake.reorg(TIP - 1, TIP);
              return tips.awaitCount(2);
            })
            .compose((List<JsonObject> two) -> both.future().map(two))
            .map((List<JsonObject> two) -> {
              assertThat(updates).containsExactly(
                  new TipUpdate(TIP, two.get(0).getString("hash"), null, null, "poll", 1),
                  new TipUpdate(TIP, fake.chain().hashAt(TIP),
                      new TipUpdate.Block(TIP, two.get(0).getString("hash")), TIP - 1, "poll",
                      2));
              assertThat(updates.get(1).isReorg()).isTrue();
              return updates;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
