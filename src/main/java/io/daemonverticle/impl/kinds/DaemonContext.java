package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.kinds.CoinTable.CoinInfo;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.rpc.JsonRpc;
import io.daemonverticle.impl.rpc.Offloader;
import io.vertx.core.Vertx;

/** What every daemon kind works with. */
public record DaemonContext(Vertx vertx, DaemonOptions options, CoinInfo coin, DaemonKind kind,
                            JsonRpc rpc, SharedState shared, Offloader offloader) {
}
