package io.daemonverticle.impl.cluster;

import io.vertx.core.json.JsonObject;

/**
 * One publication on {@code <address>.tip}: the daemon's best block changed to {@code tip}.
 * {@code previous} is the tip of the publication before it (null for the first ever), so a
 * consumer can check that it missed none; {@code forkHeight} is set when {@code tip} does not
 * extend {@code previous}: the height of the last block both share.
 */
public record TipEvent(Tip tip, Tip previous, Integer forkHeight, String source, long seq) {

  public static final String ZMQ = "zmq";
  public static final String LONG_POLL = "longpoll";
  public static final String POLL = "poll";

  /**
   * The publication a {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException when {@code json} is no such publication
   */
  public static TipEvent fromJson(JsonObject json) {
    try {
      JsonObject previous = json.getJsonObject("previous");
      return new TipEvent(new Tip(json.getInteger("height"), json.getString("hash")),
          previous == null ? null
              : new Tip(previous.getInteger("height"), previous.getString("hash")),
          json.getInteger("forkHeight"), json.getString("source"), json.getLong("seq"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("no tip publication", e);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("height", tip.height())
        .put("hash", tip.hash())
        .put("previous", previous == null ? null : previous.toJson())
        .put("forkHeight", forkHeight)
        .put("source", source)
        .put("seq", seq);
  }
}
