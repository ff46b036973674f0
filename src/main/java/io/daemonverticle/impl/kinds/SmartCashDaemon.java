package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
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
  public Map<String, String> passThroughActions() {
    return Map.of(
        Actions.MASTERNODE_BROADCAST, "smartnodebroadcast",
        Actions.MASTERNODE_LIST, "smartnodelist",
        Actions.SMART_REWARDS, "smartrewards");
  }
}
