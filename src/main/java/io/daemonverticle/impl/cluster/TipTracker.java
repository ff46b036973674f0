package io.daemonverticle.impl.cluster;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a tip the daemon reported into the publications that take consumers from the last
 * published tip to it, in chain order: one per block of the new chain above the fork, the
 * first carrying {@code forkHeight} when the new tip does not extend the old one. Pure logic
 * over a {@link TipChain} and a {@link ChainReader}: where it stores and publishes is
 * {@link SharedTip}'s job.
 *
 * <p>The fork is found by comparing, from the top down, the hashes kept for the published
 * chain with the daemon's best chain ({@code getblockhash}); below the hashes kept, the old
 * branch is followed by its parents ({@code getblockheader}), which the daemon still knows.
 * More than {@link #MAX_BLOCKS} blocks between the last published tip and the new one (a
 * daemon catching up after a long stop) are published as one publication of the new tip:
 * a consumer then asks for the blocks it needs rather than receive thousands of messages.
 *
 * <p>A tip that does not extend the published one is a reorg only when the daemon has seen
 * the published tip and left it out of its best chain. One that has not seen it is behind (a
 * node that took the lease over, whose daemon lags the last holder's by a block, or another
 * URL), and one that has it in its best chain has moved on since the tip was read (a stale
 * observation): nothing is published, and the tip is looked at again.
 */
public final class TipTracker {

  /** How many of the published chain's hashes are kept (N of the issue, at least 100). */
  public static final int KEEP = 100;
  /** Most blocks published one by one for one change of tip, and most compared in a walk. */
  public static final int MAX_BLOCKS = KEEP;
  /** Deepest fork looked for; a deeper one is published with forkHeight 0, as a restart. */
  static final int MAX_WALK = 1_000;

  private final int keep;

  public TipTracker() {
    this(KEEP);
  }

  TipTracker(int keep) {
    this.keep = keep;
  }

  /** What one tip observation changes: the chain to store and what to publish, in order. */
  public record Advance(TipChain chain, List<TipEvent> events) {
  }

  /**
   * @param observed the daemon's best block as a source saw it
   * @param parent   its parent's hash when the source gave it, else null
   */
  public Future<Advance> advance(TipChain chain, Tip observed, String parent, String source,
                                 ChainReader reader) {
    if (chain.isEmpty()) {
      TipEvent first = new TipEvent(observed, null, null, source, 1);
      return Future.succeededFuture(new Advance(
          TipChain.of(1, observed.height(), List.of(observed.hash())), List.of(first)));
    }
    Tip old = chain.tip();
    if (old.hash().equals(observed.hash())) {
      return Future.succeededFuture(new Advance(chain, List.of()));
    }
    Walk walk = new Walk(chain, observed, reader);
    if (parent != null && observed.height() > 0) {
      walk.daemonHashes.put(observed.height() - 1, parent);
    }
    // From the observed height itself: a tip back to a block of the old chain (invalidateblock,
    // nothing mined since) is a fork at that block.
    int start = Math.min(old.height(), observed.height());
    return walk.forkAtOrBelow(start, 0).compose(fork -> {
      if (fork >= old.height()) {
        return publications(chain, observed, fork, source, walk);
      }
      return reader.abandoned(old.hash()).compose(left -> left
          ? publications(chain, observed, fork, source, walk)
          : Future.succeededFuture(new Advance(chain, List.of())));
    });
  }

  private Future<Advance> publications(TipChain chain, Tip observed, int fork, String source,
                                       Walk walk) {
    Tip old = chain.tip();
    Integer forkHeight = fork < old.height() ? Integer.valueOf(fork) : null;
    long seq = chain.seq() + 1;
    if (fork == observed.height()) {
      TipEvent back = new TipEvent(observed, old, fork, source, seq);
      TipChain cut = chain.hashAt(fork) != null ? chain.cutAndExtend(fork, List.of(), seq, keep)
          : chain.cutAndExtend(fork - 1, List.of(observed.hash()), seq, keep);
      return Future.succeededFuture(new Advance(cut, List.of(back)));
    }
    if (observed.height() - fork > MAX_BLOCKS) {
      TipEvent jump = new TipEvent(observed, old, forkHeight, source, seq);
      return Future.succeededFuture(new Advance(
          TipChain.of(seq, observed.height(), List.of(observed.hash())), List.of(jump)));
    }
    List<Future<String>> hashes = new ArrayList<>();
    for (int h = fork + 1; h <= observed.height(); h++) {
      hashes.add(walk.daemonHash(h));
    }
    return Future.all(hashes).map(all -> {
      List<String> newHashes = all.list();
      List<TipEvent> events = new ArrayList<>(newHashes.size());
      Tip previous = old;
      for (int i = 0; i < newHashes.size(); i++) {
        Tip tip = new Tip(fork + 1 + i, newHashes.get(i));
        events.add(new TipEvent(tip, previous, i == 0 ? forkHeight : null, source, seq + i));
        previous = tip;
      }
      return new Advance(chain.cutAndExtend(fork, newHashes, seq + events.size() - 1, keep),
          events);
    });
  }

  /** One search for the fork: the daemon's hashes fetched so far, the old branch below. */
  private static final class Walk {
    final TipChain chain;
    final ChainReader reader;
    final Map<Integer, String> daemonHashes = new HashMap<>();
    /** The old branch below the kept hashes, as far as it was followed. */
    int oldBelowHeight;
    String oldBelowHash;

    Walk(TipChain chain, Tip observed, ChainReader reader) {
      this.chain = chain;
      this.reader = reader;
      daemonHashes.put(observed.height(), observed.hash());
      oldBelowHeight = chain.lowest();
      oldBelowHash = chain.hashAt(chain.lowest());
    }

    Future<String> daemonHash(int height) {
      String known = daemonHashes.get(height);
      if (known != null) {
        return Future.succeededFuture(known);
      }
      return reader.hashAt(height).andThen(ar -> {
        if (ar.succeeded()) {
          daemonHashes.put(height, ar.result());
        }
      });
    }

    Future<String> oldHash(int height) {
      String kept = chain.hashAt(height);
      if (kept != null) {
        return Future.succeededFuture(kept);
      }
      if (height >= oldBelowHeight) {
        return Future.succeededFuture(oldBelowHash);
      }
      // Below the kept hashes: down the old branch, parent by parent.
      return reader.parentOf(oldBelowHash).compose(parent -> {
        oldBelowHeight--;
        oldBelowHash = parent;
        return oldHash(height);
      });
    }

    /** The highest height at or below {@code height} where both chains have the same block. */
    Future<Integer> forkAtOrBelow(int height, int steps) {
      if (height < 0 || steps >= MAX_WALK) {
        return Future.succeededFuture(0);
      }
      return Future.all(daemonHash(height), oldHash(height)).compose(both -> {
        if (both.resultAt(0).equals(both.resultAt(1))) {
          return Future.succeededFuture(height);
        }
        return forkAtOrBelow(height - 1, steps + 1);
      });
    }
  }
}
