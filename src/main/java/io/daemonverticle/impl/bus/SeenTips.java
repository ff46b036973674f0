package io.daemonverticle.impl.bus;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The tip publications one consumer was last given, by seq and hash: a node taking the poller
 * lease over publishes again what the last poller may not have published (at least once), and
 * a consumer is given each publication once. By the pair, not by "seq not above the last":
 * the seqs start again at 1 when the whole cluster (the map that counts them) starts again.
 * Not thread-safe: one per consumer, used on its context.
 */
public final class SeenTips {

  /** More than one round of publications (a round republished is the last one). */
  static final int KEPT = 256;

  private final ArrayDeque<String> order = new ArrayDeque<>();
  private final Set<String> seen = new HashSet<>();

  /** True the first time this publication is seen (among the last {@link #KEPT}). */
  public boolean firstTime(long seq, String hash) {
    String key = seq + ":" + hash;
    if (!seen.add(key)) {
      return false;
    }
    order.addLast(key);
    if (order.size() > KEPT) {
      seen.remove(order.removeFirst());
    }
    return true;
  }
}
