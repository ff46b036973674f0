package io.daemonverticle.impl.service;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.cluster.ChainReader;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.kinds.BlockHeader;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.NanoClock;
import io.vertx.core.Future;

/**
 * This instance's daemon as the shared tip reads it when it looks for a fork: each call
 * bounded by the tip follower's timeout from when it is made.
 */
final class DaemonChainReader implements ChainReader {

  /** bitcoind's RPC_INVALID_ADDRESS_OR_KEY: getblockheader of a block it does not know. */
  static final int BLOCK_NOT_FOUND = -5;

  private final BitcoinDaemon daemon;
  private final long timeoutMs;
  private final NanoClock clock;

  /**
   * @param timeoutMs how long each call may take
   * @param clock     what the calls' deadlines are measured on: the service's time source
   */
  DaemonChainReader(BitcoinDaemon daemon, long timeoutMs, NanoClock clock) {
    this.daemon = daemon;
    this.timeoutMs = timeoutMs;
    this.clock = clock;
  }

  @Override
  public Future<String> hashAt(int height) {
    return daemon.blockHash(height, deadline());
  }

  @Override
  public Future<String> parentOf(String hash) {
    return daemon.blockHeader(hash, deadline()).map(BlockHeader::previous);
  }

  @Override
  public Future<Boolean> abandoned(String hash) {
    return daemon.blockHeader(hash, deadline()).transform(ar -> {
      if (ar.succeeded()) {
        // A kind whose header has no confirmations: known is all it can tell.
        Integer confirmations = ar.result().confirmations();
        return Future.succeededFuture(confirmations == null || confirmations < 0);
      }
      if (ar.cause() instanceof DaemonRpcException e
          && Integer.valueOf(BLOCK_NOT_FOUND).equals(e.rpcCode())) {
        return Future.succeededFuture(false);
      }
      return Future.failedFuture(ar.cause());
    });
  }

  private Deadline deadline() {
    return Deadline.in(timeoutMs, clock);
  }
}
