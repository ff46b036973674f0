package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
import io.daemonverticle.impl.ops.Action;
import io.daemonverticle.impl.ops.BitcoinDaemon;
import io.daemonverticle.impl.ops.DaemonContext;
import java.util.Map;

/**
 * ElectrumX's SmartCashDaemon: SmartCash calls its masternodes smartnodes and has no protx,
 * but pays smart rewards.
 */
public class SmartCashDaemon extends BitcoinDaemon {

  public SmartCashDaemon(DaemonContext ctx) {
    super(ctx);
  }

  @Override
  protected void register(Map<String, Action> a) {
    super.register(a);
    RpcAliases.register(ctx, a, Map.of(
        Actions.MASTERNODE_BROADCAST, "smartnodebroadcast",
        Actions.MASTERNODE_LIST, "smartnodelist",
        Actions.SMART_REWARDS, "smartrewards"));
  }
}
