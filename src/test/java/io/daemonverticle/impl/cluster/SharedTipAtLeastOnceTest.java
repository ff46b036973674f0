package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.bus.SeenTips;
import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tip publications are made at least once across a change of poller: two instances on one
 * map, the first losing its map's replies at the point where a member dies (its write landed,
 * it never heard so; or its publications made, their confirmation lost), the second resuming
 * as the node taking the lease over does. Each asserts what went out on the bus, in order,
 * and what a consumer that drops what it saw ({@link SeenTips}) is given.
 */
@ExtendWith(VertxExtension.class)
class SharedTipAtLeastOnceTest {

  private static final String TOPIC = "tip.test";

  static String h(int height) {
    return String.format("%064x", 0xb10c00 + height);
  }

  private static Tip tip(int height) {
    return new Tip(height, h(height));
  }

  /** No walk is needed: each observation extends the last by one block. */
  static final ChainReader NO_WALK = new ChainReader() {
    @Override
    public Future<String> hashAt(int height) {
      return Future.failedFuture("not asked");
    }

    @Override
    public Future<String> parentOf(String hash) {
      return Future.failedFuture("not asked");
    }

    @Override
    public Future<Boolean> abandoned(String hash) {
      return Future.failedFuture("not asked");
    }
  };

  private static SharedTip.Observation saw(int height) {
    return new SharedTip.Observation(tip(height), h(height - 1), TipEvent.POLL, NO_WALK);
  }

  /** An instance on {@code map}; its rounds' bound never comes (the time never moves here). */
  private static SharedTip node(Vertx vertx, AsyncMap<String, Object> map) {
    return new SharedTip(vertx, new VirtualTime(vertx.getOrCreateContext()), map, TOPIC,
        new BadValues("test"), new TipTracker(), e -> { });
  }

  private static JsonObject event(int height, long seq) {
    return new TipEvent(tip(height), seq == 1 ? null : tip(height - 1), null, TipEvent.POLL,
        seq).toJson();
  }

  /** Everything on the bus, and what a consumer dropping the ones it saw is given. */
  private static final class Bus {
    final List<JsonObject> raw = new ArrayList<>();
    final List<JsonObject> given = new ArrayList<>();
    private final SeenTips seen = new SeenTips();

    Bus(Vertx vertx) {
      vertx.eventBus().<JsonObject>localConsumer(TOPIC, m -> {
        raw.add(m.body());
        if (seen.firstTime(m.body().getLong("seq"), m.body().getString("hash"))) {
          given.add(m.body());
        }
      });
    }
  }

  /** The map the instances share (the shared data of this test's own Vert.x). */
  private AsyncMap<String, Object> real;
  private Bus bus;

  @BeforeEach
  void mapAndBus(Vertx vertx) {
    real = vertx.sharedData().<String, Object>getLocalAsyncMap("tip").await();
    bus = new Bus(vertx);
  }

  @Test
  void aPollerThatDiedAfterItsWriteBeforePublishingIsPublishedForByTheNext(Vertx vertx,
                                                                          VertxTestContext ctx) {
    // get and putIfAbsent of block 100 answered; block 101's get answered, its write done
    // but never answered: the first poller stops there, as one that died.
    ControlledMap dying = new ControlledMap(real);
    SharedTip first = node(vertx, dying);
    SharedTip second = node(vertx, real);
    first.observe(saw(100))
        .compose(v -> {
          dying.loseRepliesAfter(1);
          first.observe(saw(101));
          return awaitStored(vertx, real, 2);
        })
        // Its publication of 101 would follow the write's reply, which never comes.
        .compose(v -> awaitSeq(vertx, bus.raw, 1))
        .compose(v -> {
          // Its write holds 101 unconfirmed, and the bus had 100 alone.
          ctx.verify(() -> {
            assertThat(bus.raw).containsExactly(event(100, 1));
            assertThat(new JsonObject((String) real.get(SharedTip.KEY).result())
                .getJsonArray("unconfirmed")).containsExactly(event(101, 2));
          });
          return second.resume();
        })
        .compose(v -> second.observe(saw(102)))
        // The bus delivers in order: once 102 is in, whatever went before it is too.
        .compose(v -> awaitSeq(vertx, bus.raw, 3))
        .compose(v -> real.get(SharedTip.KEY))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertThat(bus.raw).containsExactly(event(100, 1), event(101, 2), event(102, 3));
          assertThat(bus.given).isEqualTo(bus.raw);
          assertThat(second.republications()).isEqualTo(1);
          assertThat(new JsonObject((String) stored).containsKey("unconfirmed")).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  void publicationsMadeButNotConfirmedAreMadeAgainAndGivenOnce(Vertx vertx,
                                                              VertxTestContext ctx) {
    ControlledMap dying = new ControlledMap(real);
    SharedTip first = node(vertx, dying);
    SharedTip second = node(vertx, real);
    // get and putIfAbsent go through; the confirmation's write waits for ever: the first
    // poller published 100 and died before it could say so.
    dying.pauseAfter(2);
    first.observe(saw(100));
    awaitSeq(vertx, bus.raw, 1)
        .compose(v -> second.observe(saw(101)))
        .compose(v -> awaitSeq(vertx, bus.raw, 2))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(dying.heldOperations()).isEqualTo(1);
          assertThat(bus.raw).containsExactly(event(100, 1), event(100, 1), event(101, 2));
          assertThat(second.republications()).isEqualTo(1);
          // A consumer is given each once.
          assertThat(bus.given).containsExactly(event(100, 1), event(101, 2));
          ctx.completeNow();
        })));
  }

  @Test
  void aMapFailingTheConfirmationFailsTheRoundAfterOnePublication(Vertx vertx,
                                                                  VertxTestContext ctx) {
    // What a holder that died before confirming left: block 100, unconfirmed.
    TipEvent left = TipEvent.fromJson(event(100, 1));
    real.put(SharedTip.KEY, TipChain.of(1, 100, List.of(h(100))).awaiting(List.of(left))
        .encode()).await();
    // Reads go through; the confirmation fails (and would at every compare-and-set).
    SharedTip second = node(vertx, new ControlledMap(real).failReplaces());
    second.resume().onComplete(ctx.failing(e -> {
      // Ordered delivery: once this marker is in, every publication of the round is too.
      vertx.eventBus().publish(TOPIC, new JsonObject().put("seq", 0L).put("hash", "marker"));
      awaitSeq(vertx, bus.raw, 0).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(bus.raw).containsExactly(event(100, 1),
            new JsonObject().put("seq", 0L).put("hash", "marker"));
        assertThat(second.republications()).isEqualTo(1);
        ctx.completeNow();
      })));
    }));
  }

  @Test
  void aResumeWithNothingUnconfirmedPublishesNothing(Vertx vertx, VertxTestContext ctx) {
    SharedTip first = node(vertx, real);
    SharedTip second = node(vertx, real);
    first.observe(saw(100))
        .compose(v -> second.resume())
        .compose(v -> second.resume())
        // A round of the second that publishes shows the bus had all before it.
        .compose(v -> second.observe(saw(101)))
        .compose(v -> awaitSeq(vertx, bus.raw, 2))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(bus.raw).containsExactly(event(100, 1), event(101, 2));
          assertThat(second.republications()).isZero();
          assertThat(second.lastTip()).isEqualTo(tip(101));
          ctx.completeNow();
        })));
  }

  /** Completes once the stored chain's seq is {@code seq}. */
  private static Future<Void> awaitStored(Vertx vertx, AsyncMap<String, Object> map, long seq) {
    return map.get(SharedTip.KEY).compose(stored -> {
      if (stored != null && new JsonObject((String) stored).getLong("seq") == seq) {
        return Future.succeededFuture();
      }
      return vertx.timer(5).compose(t -> awaitStored(vertx, map, seq));
    });
  }

  /** Completes once the last publication on the bus has {@code seq}. */
  private static Future<Void> awaitSeq(Vertx vertx, List<JsonObject> bus, long seq) {
    if (!bus.isEmpty() && bus.get(bus.size() - 1).getLong("seq") == seq) {
      return Future.succeededFuture();
    }
    return vertx.timer(5).compose(t -> awaitSeq(vertx, bus, seq));
  }
}
