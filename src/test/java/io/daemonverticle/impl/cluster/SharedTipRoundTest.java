package io.daemonverticle.impl.cluster;

import static io.daemonverticle.impl.cluster.SharedTipAtLeastOnceTest.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tip round that does not end within {@link SharedTip#ROUND_MS} (a map that stopped
 * answering) is given up at that bound, in virtual time, and the next round goes on.
 */
@ExtendWith(VertxExtension.class)
class SharedTipRoundTest {

  private static final String TOPIC = "tip.round.test";

  private static SharedTip.Observation saw(int height) {
    return new SharedTip.Observation(new Tip(height, h(height)), h(height - 1), TipEvent.POLL,
        SharedTipAtLeastOnceTest.NO_WALK);
  }

  /** The tip on {@code map}, its rounds bounded on {@code time}, what it published. */
  private static SharedTip node(Vertx vertx, VirtualTime time, AsyncMap<String, Object> map,
                                List<TipEvent> published) {
    return new SharedTip(vertx, time, map, TOPIC, new BadValues("test"), new TipTracker(),
        published::add);
  }

  private static ControlledMap hungMap(Vertx vertx, String name) {
    return new ControlledMap(vertx.sharedData().<String, Object>getLocalAsyncMap(name).await())
        .hang();
  }

  @Test
  void aRoundTheMapNeverAnswersIsGivenUpAtItsBoundAndTheNextGoesOn(Vertx vertx,
                                                                  VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ControlledMap map = hungMap(vertx, "round-1");
    List<TipEvent> published = new CopyOnWriteArrayList<>();
    SharedTip tip = node(vertx, time, map, published);
    AtomicReference<Future<Void>> round = new AtomicReference<>();
    VirtualTime.on(context, () -> round.set(tip.observe(saw(100))))
        .compose((Void v) -> time.advance(SharedTip.ROUND_MS - 1))
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(map.heldOperations()).as("the round's read waits").isOne();
            assertThat(round.get().isComplete()).as("at 9,999 ms").isFalse();
          });
          return time.advance(1);
        })
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(round.get().cause()).as("at 10,000 ms")
              .isInstanceOf(TimeoutException.class));
          // The map answers again (the read held never will): a round runs at once.
          map.heal();
          AtomicReference<Future<Void>> next = new AtomicReference<>();
          return VirtualTime.on(context, () -> next.set(tip.observe(saw(100))))
              .compose((Void w) -> next.get());
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(published).extracting(TipEvent::toJson).containsExactly(
              new TipEvent(new Tip(100, h(100)), null, null, TipEvent.POLL, 1).toJson());
          assertThat(time.nowMs()).isEqualTo(SharedTip.ROUND_MS);
          ctx.completeNow();
        })));
  }

  @Test
  void anObservationDuringAHungRoundIsTheNextRoundWithABoundOfItsOwn(Vertx vertx,
                                                                     VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ControlledMap map = hungMap(vertx, "round-2");
    SharedTip tip = node(vertx, time, map, new CopyOnWriteArrayList<>());
    AtomicReference<Future<Void>> first = new AtomicReference<>();
    AtomicReference<Future<Void>> second = new AtomicReference<>();
    VirtualTime.on(context, () -> first.set(tip.observe(saw(100))))
        .compose((Void v) -> time.advance(4_000))
        .compose((Void v) -> VirtualTime.on(context, () -> second.set(tip.observe(saw(101)))))
        .compose((Void v) -> time.advance(SharedTip.ROUND_MS - 4_000))
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(first.get().cause()).as("the first round, at 10,000 ms")
                .isInstanceOf(TimeoutException.class);
            assertThat(map.heldOperations()).as("the second round's read, from 10,000 ms")
                .isEqualTo(2);
          });
          return time.advance(SharedTip.ROUND_MS - 1);
        })
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(second.get().isComplete()).as("at 19,999 ms").isFalse());
          return time.advance(1);
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(second.get().cause()).as("at 20,000 ms")
              .isInstanceOf(TimeoutException.class);
          assertThat(time.delaysSet()).containsExactly(SharedTip.ROUND_MS, SharedTip.ROUND_MS);
          ctx.completeNow();
        })));
  }
}
