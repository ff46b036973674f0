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
 *
 * <p>Also the publications of the write that made this chain the cluster's, for as long as
 * their publisher has not said it made them ({@link #unconfirmed()}): a holder that dies
 * between its write and its publications leaves them to the node that takes over.
 */
public final class TipChain {

  /** Nothing published yet: the next publication has seq 1 and no previous. */
  public static final TipChain EMPTY = new TipChain(0, 0, List.of(), List.of());

  private final long seq;
  private final int lowest;
  /** Hashes at heights lowest, lowest + 1, ... ; empty only in {@link #EMPTY}. */
  private final List<String> hashes;
  private final List<TipEvent> unconfirmed;

  private TipChain(long seq, int lowest, List<String> hashes, List<TipEvent> unconfirmed) {
    this.seq = seq;
    this.lowest = lowest;
    this.hashes = List.copyOf(hashes);
    this.unconfirmed = List.copyOf(unconfirmed);
  }

  static TipChain of(long seq, int lowest, List<String> hashes) {
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("a published chain has a tip");
    }
    return new TipChain(seq, lowest, hashes, List.of());
  }

  /** This chain, with the publications that made it not yet confirmed made. */
  TipChain awaiting(List<TipEvent> events) {
    if (isEmpty()) {
      throw new IllegalArgumentException("no publication without a tip");
    }
    return new TipChain(seq, lowest, hashes, events);
  }

  /** This chain with its publications made. */
  TipChain confirmed() {
    return unconfirmed.isEmpty() ? this : new TipChain(seq, lowest, hashes, List.of());
  }

  /**
   * The publications of the write that stored this chain, unless their publisher confirmed
   * them: the node that takes the lease over makes them (again: each has its seq, by which a
   * consumer that saw it already knows it).
   */
  List<TipEvent> unconfirmed() {
    return unconfirmed;
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
    JsonObject json = new JsonObject().put("seq", seq).put("lowest", lowest)
        .put("hashes", new JsonArray(new ArrayList<Object>(hashes)));
    if (!unconfirmed.isEmpty()) {
      JsonArray events = new JsonArray();
      unconfirmed.forEach(event -> events.add(event.toJson()));
      json.put("unconfirmed", events);
    }
    return json.encode();
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
      return new TipChain(seq, lowest, hashes, unconfirmedIn(json.getJsonArray("unconfirmed"),
          seq));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new Unusable("no tip chain (seq, lowest, hashes)");
    }
  }

  /** The unconfirmed publications, the last of them at {@code seq}: none when absent. */
  private static List<TipEvent> unconfirmedIn(JsonArray array, long seq) throws Unusable {
    if (array == null) {
      return List.of();
    }
    List<TipEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        events.add(TipEvent.fromJson(array.getJsonObject(i)));
      } catch (IllegalArgumentException e) {
        throw new Unusable("a tip chain whose unconfirmed publications are not publications");
      }
    }
    // Republished as they are: they must be the ones that brought the chain to its seq.
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).seq() != seq - events.size() + 1 + i) {
        throw new Unusable("a tip chain whose unconfirmed publications do not end at its seq");
      }
    }
    return events;
  }

  /** A stored value that is no tip chain. */
  public static final class Unusable extends Exception {
    Unusable(String message) {
      super(message, null, false, false);
    }
  }
}
