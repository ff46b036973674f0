package io.daemonverticle.impl.cluster;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the cluster last published on {@code <address>.tip}: the hashes of the last blocks of
 * the chain the publications followed, at consecutive heights up to the tip, and the last
 * {@code seq}. Immutable; stored in the shared map as JSON text, so that a compare-and-set
 * compares exactly what was read.
 */
public final class TipChain {

  /** Nothing published yet: the next publication has seq 1 and no previous. */
  public static final TipChain EMPTY = new TipChain(0, 0, List.of());

  private final long seq;
  private final int lowest;
  /** Hashes at heights lowest, lowest + 1, ... ; empty only in {@link #EMPTY}. */
  private final List<String> hashes;

  private TipChain(long seq, int lowest, List<String> hashes) {
    this.seq = seq;
    this.lowest = lowest;
    this.hashes = List.copyOf(hashes);
  }

  static TipChain of(long seq, int lowest, List<String> hashes) {
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("a published chain has a tip");
    }
    return new TipChain(seq, lowest, hashes);
  }

  public boolean isEmpty() {
    return hashes.isEmpty();
  }

  public long seq() {
    return seq;
  }

  /** The last published tip; null when nothing was published. */
  public Tip tip() {
    return isEmpty() ? null : new Tip(lowest + hashes.size() - 1, hashes.get(hashes.size() - 1));
  }

  /** The lowest height whose hash is kept (meaningless when empty). */
  int lowest() {
    return lowest;
  }

  /** The kept hash at {@code height}; null when not kept. */
  public String hashAt(int height) {
    long index = (long) height - lowest;
    return index < 0 || index >= hashes.size() ? null : hashes.get((int) index);
  }

  /** The hashes up to {@code height} (inclusive), then {@code more}, the last {@code keep}. */
  TipChain cutAndExtend(int height, List<String> more, long newSeq, int keep) {
    if (!isEmpty() && height > tip().height()) {
      throw new IllegalArgumentException("cut at " + height + " above the tip " + tip());
    }
    List<String> all = new ArrayList<>(hashes.subList(0, Math.max(0, height - lowest + 1)));
    all.addAll(more);
    int drop = Math.max(0, all.size() - keep);
    return of(newSeq, height + 1 - (all.size() - more.size()) + drop,
        all.subList(drop, all.size()));
  }

  public String encode() {
    return new JsonObject().put("seq", seq).put("lowest", lowest)
        .put("hashes", new JsonArray(new ArrayList<Object>(hashes))).encode();
  }

  /**
   * The chain a stored value holds.
   *
   * @throws Unusable when it is no chain this class wrote (the map may hold anything)
   */
  public static TipChain decode(Object stored) throws Unusable {
    if (!(stored instanceof String text)) {
      throw new Unusable("no tip chain (JSON text)");
    }
    try {
      JsonObject json = new JsonObject(text);
      long seq = json.getLong("seq");
      int lowest = json.getInteger("lowest");
      JsonArray array = json.getJsonArray("hashes");
      List<String> hashes = new ArrayList<>(array.size());
      for (Object hash : array) {
        if (!(hash instanceof String h) || h.length() != 64 || !HexFormat.isHexDigit(h.charAt(0))) {
          throw new Unusable("a tip chain holding something other than block hashes");
        }
        hashes.add(h);
      }
      if (seq < 1 || lowest < 0 || hashes.isEmpty()) {
        throw new Unusable("a tip chain with no tip, or a seq or height below zero");
      }
      return of(seq, lowest, hashes);
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new Unusable("no tip chain (seq, lowest, hashes)");
    }
  }

  /** A stored value that is no tip chain. */
  public static final class Unusable extends Exception {
    Unusable(String message) {
      super(message, null, false, false);
    }
  }
}
