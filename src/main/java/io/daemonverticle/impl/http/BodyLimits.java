package io.daemonverticle.impl.http;

import io.daemonverticle.ActionParam;
import io.daemonverticle.ActionSpec;
import io.daemonverticle.impl.bus.Params;

/**
 * How large an action's JSON body may be on the HTTP front, in bytes and in JSON tokens, from
 * the action's declaration: a few hundred bytes for the single-value actions, sized from
 * {@code maxBatch} for the batch ones. What passes these bounds costs the front about its own
 * size in memory; anything larger is refused before it is read.
 */
final class BodyLimits {

  /** Braces, blanks and a few keys the action does not declare (they are ignored). */
  static final long BASE_BYTES = 1024;
  static final long BASE_TOKENS = 64;
  /** One hash in an array: 64 digits, quotes, a comma and some pretty-printing. */
  static final long HASH_ITEM_BYTES = 80;
  /**
   * The raw transactions of one request, in total: as many hex characters as one largest
   * transaction (Bitcoin Core takes packages of at most 404,000 weight units, less than that).
   */
  static final long RAW_TXS_BYTES = Params.MAX_TX_HEX + 64L * 1024;
  /** A pass-through action's positional parameters (a masternode message, a protx call). */
  static final long PARAMS_BYTES = 1024L * 1024;
  /** The tokens one item of a pass-through parameter may take (an object of a few fields). */
  static final long PARAMS_ITEM_TOKENS = 16;
  /** The deepest JSON a body may be: an object of arrays of objects, with room to spare. */
  static final int MAX_DEPTH = 16;

  private BodyLimits() {
  }

  /** The most bytes a body of {@code spec} may have; null spec: an action nobody declares. */
  static long bytes(ActionSpec spec, int maxBatch) {
    long total = BASE_BYTES;
    if (spec == null) {
      return total;
    }
    for (ActionParam<?> param : spec.params()) {
      total += param.name().length() + 8 + switch (param.type()) {
        case WHOLE_NUMBER, BOOLEAN -> 24;
        case HASH, FEE_MODE -> HASH_ITEM_BYTES;
        case HASHES -> HASH_ITEM_BYTES * maxBatch;
        case RAW_TX -> Params.MAX_TX_HEX + 8;
        case RAW_TXS -> RAW_TXS_BYTES;
        case JSON_ARRAY -> PARAMS_BYTES;
      };
    }
    return total;
  }

  /** The most JSON tokens (names, values, brackets) a body of {@code spec} may have. */
  static long tokens(ActionSpec spec, int maxBatch) {
    long total = BASE_TOKENS;
    if (spec == null) {
      return total;
    }
    for (ActionParam<?> param : spec.params()) {
      total += 1 + switch (param.type()) {
        case WHOLE_NUMBER, BOOLEAN, HASH, FEE_MODE, RAW_TX -> 1;
        case HASHES, RAW_TXS -> 2L + maxBatch;
        case JSON_ARRAY -> 2L + PARAMS_ITEM_TOKENS * maxBatch;
      };
    }
    return total;
  }
}
