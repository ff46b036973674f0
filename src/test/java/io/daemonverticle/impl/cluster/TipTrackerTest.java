package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tracker alone, against a scripted daemon: every test asserts the exact publications
 * (heights, hashes, previous, forkHeight, seq) and what the daemon was asked.
 */
class TipTrackerTest {

  /** A block hash of branch {@code b} (one hex digit) at {@code height}. */
  private static String h(char b, int height) {
    return b + String.format("%063d", height);
  }

  private static Tip tip(char b, int height) {
    return new Tip(height, h(b, height));
  }

  /** The daemon's best chain (height to hash) and every block it knows (hash to parent). */
  private static final class ScriptedDaemon implements ChainReader {
    final Map<Integer, String> best = new HashMap<>();
    final Map<String, String> parents = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    /** Branch {@code b} from {@code from} to {@code to}, on top of branch {@code base}. */
    ScriptedDaemon branch(char base, char b, int from, int to) {
      for (int height = from; height <= to; height++) {
        parents.put(h(b, height), height == from ? h(base, height - 1) : h(b, height - 1));
        best.put(height, h(b, height));
      }
      best.keySet().removeIf(height -> height > to);
      return this;
    }

    @Override
    public Future<String> hashAt(int height) {
      asked.add("getblockhash " + height);
      return Future.succeededFuture(best.get(height));
    }

    @Override
    public Future<Boolean> abandoned(String hash) {
      asked.add("abandoned " + hash.charAt(0) + Integer.parseInt(hash.substring(1)));
      return Future.succeededFuture(parents.containsKey(hash) && !best.containsValue(hash));
    }

    @Override
    public Future<String> parentOf(String hash) {
      asked.add("getblockheader " + hash.charAt(0) + Integer.parseInt(hash.substring(1)));
      return Future.succeededFuture(parents.get(hash));
    }
  }

  private static TipChain chainOf(char b, int lowest, int tip, long seq) {
    List<String> hashes = new ArrayList<>();
    for (int height = lowest; height <= tip; height++) {
      hashes.add(h(b, height));
    }
    return TipChain.of(seq, lowest, hashes);
  }

  private static TipTracker.Advance advance(TipTracker tracker, TipChain chain, Tip observed,
                                            String parent, ChainReader reader) {
    Future<TipTracker.Advance> f = tracker.advance(chain, observed, parent, "poll", reader);
    assertThat(f.succeeded()).as("advance completed: %s", f.cause()).isTrue();
    return f.result();
  }

  private static TipEvent event(Tip tip, Tip previous, Integer fork, long seq) {
    return new TipEvent(tip, previous, fork, "poll", seq);
  }

  @Test
  void theFirstTipIsPublishedWithNoPrevious() {
    ScriptedDaemon daemon = new ScriptedDaemon();
    TipTracker.Advance a = advance(new TipTracker(), TipChain.EMPTY, tip('a', 50), null, daemon);
    assertThat(a.events()).containsExactly(event(tip('a', 50), null, null, 1));
    assertThat(a.chain().tip()).isEqualTo(tip('a', 50));
    assertThat(daemon.asked).isEmpty();
  }

  @Test
  void theSameTipAgainPublishesNothing() {
    TipChain chain = chainOf('a', 40, 50, 7);
    TipTracker.Advance a = advance(new TipTracker(), chain, tip('a', 50), null,
        new ScriptedDaemon());
    assertThat(a.events()).isEmpty();
    assertThat(a.chain()).isSameAs(chain);
  }

  @Test
  void aChildOfTheTipWithItsParentAsksTheDaemonNothing() {
    ScriptedDaemon daemon = new ScriptedDaemon();
    TipTracker.Advance a = advance(new TipTracker(), chainOf('a', 40, 50, 7), tip('a', 51),
        h('a', 50), daemon);
    assertThat(a.events()).containsExactly(event(tip('a', 51), tip('a', 50), null, 8));
    assertThat(daemon.asked).isEmpty();
    assertThat(a.chain().seq()).isEqualTo(8);
    assertThat(a.chain().hashAt(40)).isEqualTo(h('a', 40));
  }

  @Test
  void twoBlocksInOnePollArePublishedOneByOneInOrder() {
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 52);
    TipTracker.Advance a = advance(new TipTracker(), chainOf('a', 40, 50, 7), tip('a', 52),
        null, daemon);
    assertThat(a.events()).containsExactly(
        event(tip('a', 51), tip('a', 50), null, 8),
        event(tip('a', 52), tip('a', 51), null, 9));
    assertThat(daemon.asked).containsExactly("getblockhash 50", "getblockhash 51");
    assertThat(a.chain().tip()).isEqualTo(tip('a', 52));
    assertThat(a.chain().seq()).isEqualTo(9);
  }

  @Test
  void aSameHeightReorgNamesTheForkBelowIt() {
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 52).branch('a', 'b', 52, 52);
    TipTracker.Advance a = advance(new TipTracker(), chainOf('a', 40, 52, 7), tip('b', 52),
        null, daemon);
    assertThat(a.events()).containsExactly(event(tip('b', 52), tip('a', 52), 51, 8));
    assertThat(daemon.asked).containsExactly("getblockhash 51", "abandoned a52");
    assertThat(a.chain().hashAt(52)).isEqualTo(h('b', 52));
    assertThat(a.chain().hashAt(51)).isEqualTo(h('a', 51));
  }

  @Test
  void aThreeBlockReorgPublishesEveryNewBlockAboveTheFork() {
    // Published up to a103; the daemon now has b101..b104 on a100.
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 103)
        .branch('a', 'b', 101, 104);
    TipTracker.Advance a = advance(new TipTracker(), chainOf('a', 4, 103, 20), tip('b', 104),
        h('b', 103), daemon);
    assertThat(a.events()).containsExactly(
        event(tip('b', 101), tip('a', 103), 100, 21),
        event(tip('b', 102), tip('b', 101), null, 22),
        event(tip('b', 103), tip('b', 102), null, 23),
        event(tip('b', 104), tip('b', 103), null, 24));
    assertThat(daemon.asked).containsExactly("getblockhash 102", "getblockhash 101",
        "getblockhash 100", "abandoned a103");
    assertThat(a.chain().tip()).isEqualTo(tip('b', 104));
    assertThat(a.chain().hashAt(100)).isEqualTo(h('a', 100));
    assertThat(a.chain().hashAt(5)).isEqualTo(h('a', 5));
    assertThat(a.chain().hashAt(4)).as("no more than kept").isNull();
  }

  @Test
  void aTipBackToAnAncestorIsAForkAtItself() {
    // invalidateblock a101: the daemon still knows a101..a103, its best chain ends at a100.
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 103).branch('a', 'a', 0,
        100);
    TipTracker.Advance a = advance(new TipTracker(), chainOf('a', 90, 103, 20), tip('a', 100),
        null, daemon);
    assertThat(a.events()).containsExactly(event(tip('a', 100), tip('a', 103), 100, 21));
    assertThat(a.chain().tip()).isEqualTo(tip('a', 100));
    assertThat(daemon.asked).containsExactly("abandoned a103");
  }

  @Test
  void aShorterChainOnAnotherBranchNamesItsFork() {
    // a103 published; invalidateblock a101 and one block mined: b101.
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 103)
        .branch('a', 'b', 101, 101);
    TipTracker.Advance a = advance(new TipTracker(), chainOf('a', 90, 103, 20), tip('b', 101),
        h('a', 100), daemon);
    assertThat(a.events()).containsExactly(event(tip('b', 101), tip('a', 103), 100, 21));
    assertThat(daemon.asked).containsExactly("abandoned a103");
  }

  @Test
  void aForkBelowTheKeptHashesIsFoundDownTheOldBranch() {
    // Only 3 hashes kept (a48..a50); the fork is at a45.
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 50)
        .branch('a', 'b', 46, 51);
    daemon.best.keySet().removeIf(height -> height > 51);
    TipTracker.Advance a = advance(new TipTracker(3), chainOf('a', 48, 50, 9), tip('b', 51),
        null, daemon);
    assertThat(a.events()).extracting(TipEvent::tip).containsExactly(tip('b', 46),
        tip('b', 47), tip('b', 48), tip('b', 49), tip('b', 50), tip('b', 51));
    assertThat(a.events().get(0)).isEqualTo(event(tip('b', 46), tip('a', 50), 45, 10));
    assertThat(a.events()).extracting(TipEvent::seq).containsExactly(10L, 11L, 12L, 13L, 14L,
        15L);
    assertThat(daemon.asked).contains("getblockheader a48", "getblockheader a47",
        "getblockheader a46");
    assertThat(a.chain().lowest()).isEqualTo(49);
    assertThat(a.chain().tip()).isEqualTo(tip('b', 51));
  }

  @Test
  void moreNewBlocksThanPublishedOneByOneArePublishedAsOneJump() {
    int far = 50 + TipTracker.MAX_BLOCKS + 1;
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, far);
    TipTracker.Advance a = advance(new TipTracker(), chainOf('a', 40, 50, 7), tip('a', far),
        null, daemon);
    assertThat(a.events()).containsExactly(event(tip('a', far), tip('a', 50), null, 8));
    assertThat(a.chain().tip()).isEqualTo(tip('a', far));
  }

  @Test
  void theChainKeepsTheLastHashesOnly() {
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 60);
    TipTracker tracker = new TipTracker(5);
    TipTracker.Advance a = advance(tracker, chainOf('a', 48, 50, 1), tip('a', 60), null, daemon);
    assertThat(a.events()).hasSize(10);
    assertThat(a.chain().lowest()).isEqualTo(56);
    assertThat(a.chain().hashAt(56)).isEqualTo(h('a', 56));
    assertThat(a.chain().hashAt(55)).isNull();
  }

  @Test
  void theChainSurvivesItsTextAndRefusesOtherValues() throws Exception {
    TipChain chain = chainOf('a', 40, 50, 7);
    TipChain read = TipChain.decode(chain.encode());
    assertThat(read.tip()).isEqualTo(chain.tip());
    assertThat(read.seq()).isEqualTo(7);
    assertThat(read.hashAt(40)).isEqualTo(h('a', 40));
    for (Object bad : new Object[] {42, "{}", "not json", "{\"seq\":1,\"lowest\":0,"
        + "\"hashes\":[\"zz\"]}", "{\"seq\":0,\"lowest\":0,\"hashes\":[]}"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TipChain.decode(bad))
          .isInstanceOf(TipChain.Unusable.class);
    }
  }

  @Test
  void aDaemonBehindThePublishedTipPublishesNothing() {
    // a52 was published from another node's daemon; this one has only reached a51.
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 51);
    TipChain chain = chainOf('a', 40, 52, 7);
    TipTracker.Advance a = advance(new TipTracker(), chain, tip('a', 51), null, daemon);
    assertThat(a.events()).isEmpty();
    assertThat(a.chain()).isSameAs(chain);
    assertThat(daemon.asked).containsExactly("abandoned a52");
  }

  @Test
  void aDaemonThatHasNotSeenACompetingTipWaitsForIt() {
    // a52 published; this daemon has its own b52 and has not heard of a52 yet.
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 51).branch('a', 'b', 52,
        52);
    TipChain chain = chainOf('a', 40, 52, 7);
    assertThat(advance(new TipTracker(), chain, tip('b', 52), h('a', 51), daemon).events())
        .isEmpty();
    // Once it has seen a52 and kept b52, that is a reorg.
    daemon.parents.put(h('a', 52), h('a', 51));
    assertThat(advance(new TipTracker(), chain, tip('b', 52), h('a', 51), daemon).events())
        .containsExactly(event(tip('b', 52), tip('a', 52), 51, 8));
  }

  @Test
  void aStaleLookAtATipTheDaemonHasMovedOnFromPublishesNothing() {
    // a51 was read as the best block; by the time the fork is checked the daemon has a52
    // (published) in its best chain again.
    ScriptedDaemon daemon = new ScriptedDaemon().branch('a', 'a', 0, 52);
    TipChain chain = chainOf('a', 40, 52, 7);
    assertThat(advance(new TipTracker(), chain, tip('a', 51), null, daemon).events()).isEmpty();
    assertThat(daemon.asked).containsExactly("abandoned a52");
  }
}
