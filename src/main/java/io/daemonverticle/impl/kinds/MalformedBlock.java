package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonException;
import io.vertx.core.Future;

/**
 * Turns a codec's refusal of the daemon's block data into the service's failure. The daemon
 * answered without a JSON-RPC error but with data that cannot be a block of this coin; like
 * the core's other "daemon gave …" failures it is answered 503 with what was wrong.
 */
final class MalformedBlock {

  private MalformedBlock() {
  }

  static <T> Future<T> recover(Future<T> work) {
    return work.recover(t -> Future.failedFuture(t instanceof IllegalArgumentException e
        ? DaemonException.unavailable("daemon gave a malformed block: " + e.getMessage())
        : t));
  }
}
