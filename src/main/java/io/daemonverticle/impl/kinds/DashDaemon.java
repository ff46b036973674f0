package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
import io.daemonverticle.impl.blocks.BlockIntegrity;
import java.util.Map;

/** ElectrumX's DashDaemon: the plain kind plus the masternode and protx actions. */
public class DashDaemon extends BitcoinDaemon {

  public DashDaemon(DaemonContext ctx) {
    super(ctx);
  }

  /** Dash and its kin hash headers with X11 (or Quark, X16R...): not in the JDK. */
  @Override
  public BlockIntegrity blockIntegrity() {
    return BlockIntegrity.unchecked("X11 not available");
  }

  @Override
  public Map<String, String> passThroughActions() {
    return Map.of(
        Actions.MASTERNODE_BROADCAST, "masternodebroadcast",
        Actions.MASTERNODE_LIST, "masternodelist",
        Actions.PROTX, "protx");
  }
}
