package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.codec.HashHex;
import io.vertx.core.json.JsonObject;

/**
 * What the tip follower reads of a block header: its height, its hash, its parent's hash
 * (null for block 0) and its confirmations (-1: known, not in the best chain; null when the
 * daemon does not say). A reply without the first three is no header we can use: 503, never a
 * tip made up.
 */
public record BlockHeader(int height, String hash, String previous, Integer confirmations) {

  static BlockHeader of(Object reply) {
    if (!(reply instanceof JsonObject header)) {
      throw DaemonException.unavailable("daemon gave " + reply + " where a block header was "
          + "expected");
    }
    int height = BitcoinDaemon.toInt(header.getValue("height"));
    String previous = header.getValue("previousblockhash") == null ? null
        : checkedHash(header.getValue("previousblockhash"));
    if (height < 0 || (previous == null) != (height == 0)) {
      throw DaemonException.unavailable("daemon gave a block header at height " + height
          + (previous == null ? " without" : " with") + " a previousblockhash");
    }
    Object confirmations = header.getValue("confirmations");
    return new BlockHeader(height, checkedHash(header.getValue("hash")), previous,
        confirmations instanceof Number n ? Integer.valueOf(BitcoinDaemon.toInt(n)) : null);
  }

  /** A block hash from the daemon: 64 hex digits, else a reply we cannot use (503). */
  static String checkedHash(Object value) {
    if (!(value instanceof String hash)) {
      throw DaemonException.unavailable("daemon gave " + value + " where a block hash was "
          + "expected");
    }
    try {
      HashHex.hexToHash(hash, "block hash");
    } catch (IllegalArgumentException e) {
      throw DaemonException.unavailable("daemon gave " + e.getMessage());
    }
    return hash;
  }
}
