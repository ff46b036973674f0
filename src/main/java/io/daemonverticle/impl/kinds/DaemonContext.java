package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.kinds.CoinTable.CoinInfo;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.rpc.JsonRpc;
import io.daemonverticle.impl.rpc.Offloader;
import io.daemonverticle.impl.rpc.RestBlocks;
import io.vertx.core.Vertx;

/** What every daemon kind works with; {@code rest} null when {@code restBlocks} is off. */
public record DaemonContext(Vertx vertx, DaemonOptions options, CoinInfo coin, DaemonKind kind,
                            JsonRpc rpc, SharedState shared, Offloader offloader,
                            RestBlocks rest) {
}
