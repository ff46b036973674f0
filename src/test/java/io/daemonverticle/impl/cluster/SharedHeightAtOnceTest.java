package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.ImmediateMap;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared height's rounds on a map that answers before it returns ({@link ImmediateMap}),
 * held where a test needs it ({@link ControlledMap}), in virtual time: each outcome is asserted
 * the moment the call returns, so a round that forgets to answer fails at once.
 * SharedStateTest runs the same code on Vert.x's shared data and ClusterSharedStateTest on
 * Hazelcast.
 */
@ExtendWith(VertxExtension.class)
class SharedHeightAtOnceTest {

  private static final String TOPIC = "height-at-once";

  private final ImmediateMap real = new ImmediateMap();
  private final ControlledMap map = new ControlledMap(real);
  private Vertx vertx;
  private VirtualTime time;
  private SharedHeight height;

  @BeforeEach
  void create(Vertx vertx) {
    this.vertx = vertx;
    time = new VirtualTime(vertx.getOrCreateContext());
    height = shared(map);
  }

  private SharedHeight shared(AsyncMap<String, Object> on) {
    return new SharedHeight(vertx, time, on, TOPIC, new BadValues("height-at-once"));
  }

  private static <T> T now(Future<T> future) {
    assertThat(future.isComplete()).as("answered when the map answered").isTrue();
    assertThat(future.succeeded()).as("succeeded: %s", future.cause()).isTrue();
    return future.result();
  }

  private Object stored() {
    return now(real.get(SharedHeight.KEY));
  }

  private void advance(long ms) throws Exception {
    time.advance(ms).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHeightIsStoredAndPublishedWithTheOneBefore(VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>consumer(TOPIC, message -> {
      if (message.body().getInteger("height") == 7) {
        ctx.verify(() -> assertThat(message.body().getInteger("previous")).isEqualTo(5));
        ctx.completeNow();
      }
    }).completion().onSuccess(v -> ctx.verify(() -> {
      now(height.observe(5, false));
      assertThat(stored()).isEqualTo(5);
      now(height.observe(7, false));
      assertThat(stored()).isEqualTo(7);
      assertThat(height.publications()).isEqualTo(2);
    }));
  }

  @Test
  void aLowerHeightLowersItOnlyWhenItMay() {
    now(height.observe(9, false));
    now(height.observe(8, false));
    assertThat(stored()).as("a stale-safe lower height").isEqualTo(9);
    now(height.observe(9, true));
    assertThat(height.publications()).as("the same height again: nothing to publish")
        .isEqualTo(1);
    now(height.observe(8, true));
    assertThat(stored()).as("a height that may lower it (a reorg)").isEqualTo(8);
    assertThat(height.publications()).isEqualTo(2);
  }

  @Test
  void readsTheHeightAndRemovesWhatIsNone() {
    assertThat(now(height.read(1_000))).as("nothing stored").isNull();
    now(real.put(SharedHeight.KEY, 0));
    assertThat(now(height.read(1_000))).as("height 0, the genesis block").isEqualTo(0);
    assertThat(stored()).isEqualTo(0);
    for (Object none : new Object[] {-1, "twelve", 12L}) {
      now(real.put(SharedHeight.KEY, none));
      assertThat(now(height.read(1_000))).as("%s", none).isNull();
      assertThat(stored()).as("%s, after the read", none).isNull();
    }
  }

  @Test
  void aReadTheMapFailsIsA503AtOnce() {
    map.failReads();
    Future<Integer> read = height.read(1_000);
    assertThat(read.failed()).as("failed at once").isTrue();
    assertThat(read.cause()).isInstanceOf(DaemonException.class);
    assertThat(((DaemonException) read.cause()).code()).isEqualTo(503);
    assertThat(read.cause().getMessage())
        .startsWith("the cluster's shared map did not give the cached height within 1000 ms: ")
        .endsWith("the map failed (ControlledMap.failReads)");
  }

  @Test
  void aReadTheMapDoesNotAnswerIsA503AtItsBound() throws Exception {
    map.hang();
    Future<Integer> read = height.read(1_000);
    advance(999);
    assertThat(read.isComplete()).as("at 999 ms").isFalse();
    advance(1);
    assertThat(read.failed()).as("at 1,000 ms").isTrue();
    assertThat(read.cause()).isInstanceOf(DaemonException.class);
    assertThat(((DaemonException) read.cause()).code()).isEqualTo(503);
    assertThat(read.cause().getMessage()).isEqualTo("the cluster's shared map did not give the "
        + "cached height within 1000 ms: java.util.concurrent.TimeoutException: Timeout 1000 "
        + "(ms) fired");
  }

  /** A read given no time left waits the least there is, 1 ms, and is not refused unasked. */
  @Test
  void aReadWithNoTimeLeftWaitsOneMillisecond() throws Exception {
    map.hang();
    Future<Integer> read = height.read(0);
    assertThat(map.heldOperations()).as("the map was asked").isOne();
    assertThat(read.isComplete()).isFalse();
    advance(1);
    assertThat(read.cause()).hasMessageContaining("within 0 ms");
  }

  /** A read the map answers leaves no timer behind. */
  @Test
  void aReadTheMapAnswersLeavesNoTimer() {
    map.pauseAfter(0);
    Future<Integer> read = height.read(1_000);
    assertThat(time.pending()).as("the read's bound").isOne();
    map.resume();
    assertThat(now(read)).isNull();
    assertThat(time.pending()).isZero();
  }

  /** Observations made while a round runs are folded into the next round, as one. */
  @Test
  void observationsDuringARoundMakeOneNextRound() {
    map.pauseAfter(0);
    Future<Void> first = height.observe(5, false);
    Future<Void> higher = height.observe(9, false);
    Future<Void> lower = height.observe(7, false);
    assertThat(map.heldOperations()).as("one round at a time").isEqualTo(1);
    map.resume();
    now(first);
    now(higher);
    now(lower);
    assertThat(stored()).as("the larger of the folded, stale-safe heights").isEqualTo(9);
    assertThat(height.publications()).as("5, then 9").isEqualTo(2);

    map.pauseAfter(0);
    Future<Void> running = height.observe(12, false);
    Future<Void> folded = height.observe(10, false);
    Future<Void> reorg = height.observe(4, true);
    map.resume();
    now(running);
    now(folded);
    now(reorg);
    assertThat(stored()).as("a later height that may lower it wins the fold").isEqualTo(4);
  }

  @Test
  void aStoredHeightFarAboveTheDaemonsIsReplaced() {
    now(real.put(SharedHeight.KEY, 1_050));
    now(height.observe(50, false));
    assertThat(stored()).as("1,000 blocks above: still a height").isEqualTo(1_050);
    now(real.put(SharedHeight.KEY, 1_051));
    now(height.observe(50, false));
    assertThat(stored()).as("1,001 blocks above: replaced").isEqualTo(50);
    assertThat(height.publications()).isEqualTo(1);
    now(real.put(SharedHeight.KEY, 1_001));
    now(height.observe(0, false));
    assertThat(stored()).as("1,001 blocks above a daemon at 0").isEqualTo(0);
  }

  /** What a bad value is, said once per key and problem. */
  @Test
  void badValuesAreWarnedAbout() {
    LogCapture logs = LogCapture.start();
    try {
      now(real.put(SharedHeight.KEY, "twelve"));
      assertThat(now(height.read(1_000))).isNull();
      now(real.put(SharedHeight.KEY, 5_000));
      now(height.observe(50, false));
    } finally {
      logs.close();
    }
    assertThat(logs.lines()).filteredOn(line -> line.startsWith("WARN")).satisfiesExactly(
        line -> assertThat(line).contains("String 'twelve' is no height (a non-negative "
            + "Integer)"),
        line -> assertThat(line).contains("Integer '5000' (the daemon gave 50) is more than "
            + "1000 blocks above the height this node's daemon gave"));
  }

  /** Both found no height; another node's write came first: this round does not publish. */
  @Test
  void aRoundThatLosesTheFirstWriteLeavesTheWinnersHeight() {
    map.pauseAfter(1);
    Future<Void> round = height.observe(5, false);
    now(real.put(SharedHeight.KEY, 9));
    map.resume();
    now(round);
    assertThat(stored()).isEqualTo(9);
    assertThat(height.publications()).isZero();
  }

  /** A compare-and-set lost again and again ends the round after 8 tries, unpublished. */
  @Test
  void aRoundGivesUpAfterEightLostCompareAndSets() {
    now(real.put(SharedHeight.KEY, 3));
    map.loseReplaces();
    now(height.observe(5, false));
    assertThat(map.operations()).as("8 reads and 8 compare-and-sets").isEqualTo(16);
    assertThat(height.publications()).isZero();
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void aRoundTheMapFailsFailsItsObservers() {
    now(real.put(SharedHeight.KEY, 3));
    map.failReplaces();
    Future<Void> round = height.observe(5, false);
    assertThat(round.failed()).as("failed at once").isTrue();
    assertThat(round.cause().getMessage()).contains("ControlledMap.failReplaces");
    map.heal();
    now(height.observe(6, false));
    assertThat(stored()).as("the next round runs").isEqualTo(6);
  }

  /**
   * A round the map does not finish within ROUND_MS is given up, warned about once, and asks
   * the map nothing more when its answers come late; the next round runs.
   */
  @Test
  void aRoundGivenUpAsksNothingMoreWhenTheMapAnswersLate() throws Exception {
    now(real.put(SharedHeight.KEY, 3));
    map.pauseAfter(1);
    Future<Void> round = height.observe(5, false);
    LogCapture logs = LogCapture.start();
    try {
      advance(SharedHeight.ROUND_MS - 1);
      assertThat(round.isComplete()).as("1 ms before ROUND_MS").isFalse();
      advance(1);
      assertThat(round.failed()).as("at ROUND_MS").isTrue();
      assertThat(round.cause().getMessage())
          .isEqualTo("the cluster's shared map did not take height 5 within 5000 ms");
      now(real.put(SharedHeight.KEY, 4));
      map.resume();
      assertThat(map.operations()).as("the read and the late compare-and-set, no retry")
          .isEqualTo(2);
    } finally {
      logs.close();
    }
    assertThat(stored()).isEqualTo(4);
    assertThat(height.publications()).isZero();
    assertThat(logs.lines()).filteredOn(line -> line.startsWith("WARN")).singleElement()
        .asString().contains("the shared height was not updated to 5: the cluster's shared map"
            + " did not take height 5 within 5000 ms");
  }

  /**
   * A given-up round's late answer does not end the round that runs after it: an observation
   * made then still waits for that round, and starts no third one beside it.
   */
  @Test
  void aLateAnswerOfAGivenUpRoundLeavesTheNextRoundRunning() throws Exception {
    map.hang();
    Future<Void> first = height.observe(5, false);
    advance(SharedHeight.ROUND_MS);
    assertThat(first.failed()).isTrue();
    Future<Void> second = height.observe(6, false);
    assertThat(map.heldOperations()).isEqualTo(2);
    map.resumeOne();
    Future<Void> third = height.observe(7, false);
    assertThat(map.heldOperations()).as("the second round's read, alone").isEqualTo(1);
    map.resume();
    now(second);
    now(third);
    assertThat(stored()).isEqualTo(7);
  }
}
