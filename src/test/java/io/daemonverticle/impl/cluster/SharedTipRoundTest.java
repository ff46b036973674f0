package io.daemonverticle.impl.cluster;

import static io.daemonverticle.impl.cluster.SharedTipAtLeastOnceTest.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.ImmediateMap;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tip round that does not end within {@link SharedTip#ROUND_MS} (a map that stopped
 * answering) is given up at that bound, in virtual time, and the next round goes on. The map
 * answers before it returns ({@link ImmediateMap}) unless held ({@link ControlledMap}).
 */
@ExtendWith(VertxExtension.class)
class SharedTipRoundTest {

  private final ControlledMap map = new ControlledMap(new ImmediateMap()).hang();
  private final List<TipEvent> published = new CopyOnWriteArrayList<>();
  private VirtualTime time;
  private SharedTip tip;

  @BeforeEach
  void create(Vertx vertx) {
    time = new VirtualTime(vertx.getOrCreateContext());
    tip = new SharedTip(vertx, time, map, "tip.round.test", new BadValues("test"),
        new TipTracker(), published::add);
  }

  private static SharedTip.Observation saw(int height) {
    return new SharedTip.Observation(new Tip(height, h(height)), h(height - 1), TipEvent.POLL,
        SharedTipAtLeastOnceTest.NO_WALK);
  }

  private void advance(long ms) throws Exception {
    time.advance(ms).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRoundTheMapNeverAnswersIsGivenUpAtItsBoundAndTheNextGoesOn() throws Exception {
    Future<Void> round = tip.observe(saw(100));
    advance(SharedTip.ROUND_MS - 1);
    assertThat(map.heldOperations()).as("the round's read waits").isOne();
    assertThat(round.isComplete()).as("at 9,999 ms").isFalse();
    advance(1);
    assertThat(round.cause()).as("at 10,000 ms").isInstanceOf(TimeoutException.class);
    // The map answers again (the read held never will): a round runs at once.
    map.heal();
    assertThat(tip.observe(saw(100)).succeeded()).as("answered when the map answered")
        .isTrue();
    assertThat(published).extracting(TipEvent::toJson).containsExactly(
        new TipEvent(new Tip(100, h(100)), null, null, TipEvent.POLL, 1).toJson());
  }

  @Test
  void anObservationDuringAHungRoundIsTheNextRoundWithABoundOfItsOwn() throws Exception {
    Future<Void> first = tip.observe(saw(100));
    advance(4_000);
    Future<Void> second = tip.observe(saw(101));
    advance(SharedTip.ROUND_MS - 4_000);
    assertThat(first.cause()).as("the first round, at 10,000 ms")
        .isInstanceOf(TimeoutException.class);
    assertThat(map.heldOperations()).as("the second round's read, from 10,000 ms").isEqualTo(2);
    advance(SharedTip.ROUND_MS - 1);
    assertThat(second.isComplete()).as("at 19,999 ms").isFalse();
    advance(1);
    assertThat(second.cause()).as("at 20,000 ms").isInstanceOf(TimeoutException.class);
    assertThat(time.delaysSet()).containsExactly(SharedTip.ROUND_MS, SharedTip.ROUND_MS);
  }
}
