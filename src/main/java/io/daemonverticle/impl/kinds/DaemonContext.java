package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.blocks.HexBatches;
import io.daemonverticle.impl.blocks.RestBlocks;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.kinds.CoinTable.CoinInfo;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.Offloader;
import io.vertx.core.Vertx;

/**
 * What every daemon kind works with: {@code rpc} for calls answered as JSON, {@code hex} for
 * batches answered as hex (blocks, transactions, hashes); {@code rest} null when
 * {@code restBlocks} is off; {@code time} the service's time source (the probes' deadlines).
 */
public record DaemonContext(Vertx vertx, TimeSource time, DaemonOptions options, CoinInfo coin, DaemonKind kind,
                            JsonRpc rpc, HexBatches hex, SharedState shared, Offloader offloader,
                            RestBlocks rest) {
}
