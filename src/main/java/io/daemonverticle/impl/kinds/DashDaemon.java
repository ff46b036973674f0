package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
import io.daemonverticle.impl.ops.Action;
import io.daemonverticle.impl.ops.BitcoinDaemon;
import io.daemonverticle.impl.ops.DaemonContext;
import java.util.Map;

/** ElectrumX's DashDaemon: the plain kind plus the masternode and protx actions. */
public class DashDaemon extends BitcoinDaemon {

  public DashDaemon(DaemonContext ctx) {
    super(ctx);
  }

  @Override
  protected void register(Map<String, Action> a) {
    super.register(a);
    RpcAliases.register(ctx, a, Map.of(
        Actions.MASTERNODE_BROADCAST, "masternodebroadcast",
        Actions.MASTERNODE_LIST, "masternodelist",
        Actions.PROTX, "protx"));
  }
}
