package io.daemonverticle;

import static io.daemonverticle.testing.TipEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.TipEvents;
import io.daemonverticle.testing.ZmqPublisher;
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
 * The tip over ZMQ, from a test publisher that speaks bitcoind's wire format, with the poll a
 * minute apart: blocks told by hashblock (and sequence C, the same block once), a sequence gap
 * (notifications dropped) read as "read the tip now", and the publisher dying and coming
 * back (the reconnection reads the tip; its numbers start again at 0).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TipZmqTest {

  private static final int TIP = 90;

  @Test
  void blocksGapsAndAPublisherRestartAreFollowedOverZmq(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.tip.zmq." + System.nanoTime();
    TipEvents tips = new TipEvents(vertx, address);
    ZmqPublisher publisher = ZmqPublisher.start();
    List<JsonObject> expected = new ArrayList<>();
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> Service.deploy(vertx, fake,
            (JsonObject c) -> c.put("address", address).put("heightPollMs", 60_000)
                .put("zmqUrl", publisher.url()))
        .compose((Service s) -> tips.awaitCount(1))
        .compose((List<JsonObject> one) -> {
          // The poll's first look or the subscriber's first connection: either reads it.
          assertThat(one.get(0).getString("source")).isIn("poll", "zmq");
          expected.add(event(TIP, fake.chain().hashAt(TIP), null, null, null,
              one.get(0).getString("source"), 1));
          assertThat(one).isEqualTo(expected);
          return publisher.subscribed(vertx);
        })
        .compose((Void v) -> {
          fake.setHeight(TIP + 1);
          publisher.hashblock(fake.chain().hashAt(TIP + 1));
          publisher.blockSequence(fake.chain().hashAt(TIP + 1), 'C');
          return tips.awaitCount(2);
        })
        .compose((List<JsonObject> two) -> {
          expected.add(event(TIP + 1, fake.chain().hashAt(TIP + 1), TIP,
              fake.chain().hashAt(TIP), null, "zmq", 2));
          assertThat(two).isEqualTo(expected);
          // Block 92's notifications are lost; the next sequence message shows the gap.
          fake.setHeight(TIP + 2);
          publisher.drop("hashblock");
          publisher.drop("sequence");
          publisher.mempoolAdded(fake.chain().hashAt(0), 7);
          return tips.awaitCount(3);
        })
        .compose((List<JsonObject> three) -> {
          expected.add(event(TIP + 2, fake.chain().hashAt(TIP + 2), TIP + 1,
              fake.chain().hashAt(TIP + 1), null, "zmq", 3));
          assertThat(three).isEqualTo(expected);
          // The publisher dies; block 93 comes while it is away; it comes back.
          publisher.close();
          fake.setHeight(TIP + 3);
          publisher.restart();
          return tips.awaitCount(4);
        })
        .compose((List<JsonObject> four) -> {
          expected.add(event(TIP + 3, fake.chain().hashAt(TIP + 3), TIP + 2,
              fake.chain().hashAt(TIP + 2), null, "zmq", 4));
          assertThat(four).isEqualTo(expected);
          return publisher.subscribed(vertx);
        })
        .compose((Void v) -> {
          // A same-height reorg told by its new tip alone.
          fake.reorg(TIP + 2, TIP + 3);
          publisher.hashblock(fake.chain().hashAt(TIP + 3));
          return tips.awaitCount(5);
        })
        .map((List<JsonObject> five) -> {
          expected.add(event(TIP + 3, fake.chain().hashAt(TIP + 3), TIP + 3,
              expected.get(3).getString("hash"), TIP + 2, "zmq", 5));
          assertThat(five).isEqualTo(expected);
          return five;
        }))
        .andThen((ar) -> publisher.close())
        .onComplete(ctx.succeedingThenComplete());
  }
}
