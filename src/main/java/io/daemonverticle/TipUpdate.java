package io.daemonverticle;

import io.vertx.core.json.JsonObject;

/**
 * One publication of {@code <address>.tip}: the daemon's best block changed. Publications come
 * in chain order, one per block of the new chain, with {@code seq} one more than the last
 * (across the cluster): a consumer that sees a seq jump missed some. {@code previous} is the
 * tip of the publication before (null for the first ever); {@code forkHeight} is set when this
 * tip does not extend it: the height of the last block both share, from where to rebuild.
 *
 * @param height      the block's height
 * @param hash        the block's hash (hex, as RPC shows it)
 * @param previous    the tip published before this one, or null
 * @param forkHeight  null, or the height of the last block the old and the new tip share
 * @param source      what told the service: {@code zmq}, {@code longpoll} or {@code poll}
 * @param seq         the publication's number, one more than the one before, cluster-wide
 */
public record TipUpdate(int height, String hash, Block previous, Integer forkHeight,
                        String source, long seq) {

  /**
   * A block as a tip publication names it.
   *
   * @param height the block's height
   * @param hash   the block's hash (hex, as RPC shows it)
   */
  public record Block(int height, String hash) {
  }

  /** {@return whether this tip replaces blocks of the one before (a reorg, forkHeight set)} */
  public boolean isReorg() {
    return forkHeight != null;
  }

  /**
   * A publication's body as it travels on the event bus.
   *
   * @param json the body
   * @return the update
   * @throws IllegalArgumentException when it is no tip publication
   */
  public static TipUpdate fromJson(JsonObject json) {
    try {
      JsonObject previous = json.getJsonObject("previous");
      return new TipUpdate(json.getInteger("height"), json.getString("hash"),
          previous == null ? null : new Block(previous.getInteger("height"),
              previous.getString("hash")),
          json.getInteger("forkHeight"), json.getString("source"), json.getLong("seq"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("no tip publication: " + json, e);
    }
  }
}
