package io.daemonverticle.impl.cluster;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A shared cache entry as the map holds it: the JSON text {@code {"expiresAt": epoch ms,
 * "value": ...}}. The expiry is stored because the map's TTL cannot be read back, and an entry
 * written without one (a plain put) would otherwise be served for ever. Text, because a
 * compare-and-set compares what the map holds and Hazelcast compares serialized bytes: a
 * JsonObject read back and written again need not serialize as it was stored (numbers), a
 * String does.
 */
record CacheEntry(Object value, long expiresAtMs) {

  static final String VALUE = "value";
  static final String EXPIRES_AT = "expiresAt";

  /** The text the map holds for {@code value}, fresh until {@code expiresAtMs}. */
  static String encode(Object value, long expiresAtMs) {
    return new JsonObject().put(EXPIRES_AT, expiresAtMs).put(VALUE, value).encode();
  }

  /**
   * The entry a stored value holds.
   *
   * @param latestExpiryMs  the latest expiry an entry of this key can have (now, plus its ttl,
   *                        plus the clocks' slack): one expiring later was not written by us
   * @throws Unusable       when the value is no entry of a {@code type} value
   */
  static CacheEntry parse(Object stored, Class<?> type, long latestExpiryMs) throws Unusable {
    JsonObject json;
    try {
      json = stored instanceof String text ? new JsonObject(text) : null;
    } catch (DecodeException e) {
      json = null;
    }
    if (json == null) {
      throw new Unusable("no cache entry (JSON text)");
    }
    if (!(json.getValue(EXPIRES_AT) instanceof Long expiresAt)) {
      throw new Unusable("a cache entry without its expiry (epoch ms)");
    }
    if (expiresAt > latestExpiryMs) {
      throw new Unusable("a cache entry expiring later than its ttl allows");
    }
    Object value = json.getValue(VALUE);
    if (!type.isInstance(value)) {
      throw new Unusable("a cache entry whose value is no " + type.getSimpleName());
    }
    return new CacheEntry(value, expiresAt);
  }

  boolean freshAt(long nowMs) {
    return nowMs < expiresAtMs;
  }

  /** A stored value that is no entry: the problem, in the same words for each such value. */
  static final class Unusable extends Exception {

    Unusable(String problem) {
      // Expected, and said in the log by its message alone: no stack trace to fill.
      super(problem, null, false, false);
    }
  }
}
