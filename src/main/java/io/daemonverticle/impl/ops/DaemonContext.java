package io.daemonverticle.impl.ops;

import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.rpc.CoinTable.CoinInfo;
import io.daemonverticle.impl.rpc.DaemonRpc;
import io.daemonverticle.impl.rpc.Offloader;
import io.vertx.core.Vertx;

/** What every daemon kind works with. */
public record DaemonContext(Vertx vertx, DaemonOptions options, CoinInfo coin, DaemonKind kind,
                            DaemonRpc rpc, SharedState shared, Offloader offloader) {
}
