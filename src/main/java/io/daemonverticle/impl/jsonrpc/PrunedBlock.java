package io.daemonverticle.impl.jsonrpc;

import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.resilience.NotHere;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A pruned node's answer for a block it has discarded: bitcoind's getblock gives JSON-RPC error
 * -1 "Block not available (pruned data)" (its REST, 404 "... not available (pruned data)",
 * falls back to JSON-RPC in the same attempt). Another URL may have the block, so such an
 * answer is {@link NotHere}, asked elsewhere, instead of the request's 422.
 */
public final class PrunedBlock {

  /** bitcoind's RPC_MISC_ERROR, the code of its "pruned data" answer. */
  static final int MISC_ERROR = -1;

  private PrunedBlock() {
  }

  /** Whether a JSON-RPC error object is a pruned node's "block not available". */
  public static boolean is(Object error) {
    if (!(error instanceof JsonObject o) || !(o.getValue("code") instanceof Number code)
        || code.intValue() != MISC_ERROR || !(o.getValue("message") instanceof String message)) {
      return false;
    }
    return message.toLowerCase(Locale.ROOT).contains("pruned");
  }

  /** The daemon's error as an attempt's failure: {@link NotHere} when it is a pruned block. */
  public static DaemonException failure(JsonObject error) {
    DaemonRpcException answer = DaemonRpcException.of(error);
    return is(error) ? new NotHere(answer) : answer;
  }

  /**
   * A batch's errors as an attempt's failure: {@link NotHere} when any of them is a pruned
   * block (another URL may have them all), else the daemon's answer.
   */
  public static DaemonException failure(JsonArray errors) {
    DaemonRpcException answer = DaemonRpcException.of(errors);
    for (Object error : errors) {
      if (is(error)) {
        return new NotHere(answer);
      }
    }
    return answer;
  }
}
