package io.daemonverticle.impl.service;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.cluster.ChainReader;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.cluster.SharedTip;
import io.daemonverticle.impl.cluster.Tip;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.NanoClock;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the daemon's best block for {@code <address>.tip}: each source (the poll, the
 * long-poll, ZMQ) hands it what it saw, and it hands the shared tip a {@link Tip} with a
 * {@link ChainReader} on this daemon to look for the fork with. Only the poller lease's
 * holder calls it. A daemon without {@code getblockheader} has no tip publications (said
 * once); {@code <address>.height} goes on.
 */
final class TipFollower implements TipSink {

  private static final Logger LOG = LoggerFactory.getLogger(TipFollower.class);

  private final BitcoinDaemon daemon;
  private final SharedState shared;
  private final long timeoutMs;
  /** What each call's deadline is measured on: the service's time source. */
  private final NanoClock clock;
  private final ChainReader reader;
  /** The daemon's best block this instance last saw published: the same again is no news. */
  private String lastSeen;
  private boolean off;

  /**
   * @param timeoutMs how long each daemon call of one observation may take
   * @param clock     what those calls' deadlines are measured on
   */
  TipFollower(BitcoinDaemon daemon, SharedState shared, long timeoutMs, NanoClock clock) {
    this.daemon = daemon;
    this.shared = shared;
    this.timeoutMs = timeoutMs;
    this.clock = clock;
    this.reader = new DaemonChainReader(daemon, timeoutMs, clock);
  }

  private Deadline deadline() {
    return Deadline.in(timeoutMs, clock);
  }

  boolean isOff() {
    return off;
  }

  /** This instance leads now: first what the last leader left unconfirmed. */
  Future<Void> resume() {
    return shared.resumeTip();
  }

  /** The poll: {@code getbestblockhash}, and what follows when it changed. */
  @Override
  public Future<Void> poll(String source) {
    if (off) {
      return Future.succeededFuture();
    }
    return daemon.bestBlockHash(deadline())
        .compose(hash -> sawHash(hash, source));
  }

  /** A source saw this best block hash (ZMQ's hashblock): its header says where it is. */
  Future<Void> sawHash(String hash, String source) {
    if (off || hash.equals(lastSeen)) {
      return Future.succeededFuture();
    }
    return daemon.blockHeader(hash, deadline())
        .compose(header -> saw(new Tip(header.height(), hash), header.previous(), source))
        .recover(this::offWithoutHeaders);
  }

  @Override
  public Future<Void> saw(Tip tip, String parent, String source) {
    if (off || tip.hash().equals(lastSeen)) {
      return Future.succeededFuture();
    }
    return shared.observeTip(new SharedTip.Observation(tip, parent, source, reader))
        .onSuccess(v -> {
          // Seen once the cluster's tip is this one: a tip left for later (the daemon is
          // behind the published one) is looked at again by the next poll.
          Tip published = shared.lastPublishedTip();
          if (published != null && published.hash().equals(tip.hash())) {
            lastSeen = tip.hash();
          }
        });
  }

  private Future<Void> offWithoutHeaders(Throwable failure) {
    if (failure instanceof DaemonRpcException e
        && Integer.valueOf(JsonRpc.METHOD_NOT_FOUND).equals(e.rpcCode())) {
      off = true;
      LOG.warn("the daemon has no getblockheader: no <address>.tip publications (the "
          + "heights go on)");
      return Future.succeededFuture();
    }
    return Future.failedFuture(failure);
  }
}
