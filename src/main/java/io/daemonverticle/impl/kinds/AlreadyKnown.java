package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonRpcException;
import java.util.Locale;

/**
 * The daemon's ways of saying a transaction it was sent is already known: in the chain
 * (RPC_VERIFY_ALREADY_IN_CHAIN, -27, "Transaction already in block chain") or in the mempool
 * (RPC_VERIFY_REJECTED, -26, "txn-already-in-mempool" or "txn-already-known").
 */
final class AlreadyKnown {

  static final int ALREADY_IN_CHAIN = -27;
  static final int REJECTED = -26;

  private AlreadyKnown() {
  }

  static boolean is(DaemonRpcException error) {
    Integer code = error.rpcCode();
    if (code == null) {
      return false;
    }
    if (code == ALREADY_IN_CHAIN) {
      return true;
    }
    String message = String.valueOf(error.rpcMessage()).toLowerCase(Locale.ROOT);
    return code == REJECTED && (message.contains("txn-already-in-mempool")
        || message.contains("txn-already-known"));
  }
}
