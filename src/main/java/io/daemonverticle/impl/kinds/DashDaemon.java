package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
import java.util.Map;

/** ElectrumX's DashDaemon: the plain kind plus the masternode and protx actions. */
public class DashDaemon extends BitcoinDaemon {

  public DashDaemon(DaemonContext ctx) {
    super(ctx);
  }

  @Override
  public Map<String, String> passThroughActions() {
    return Map.of(
        Actions.MASTERNODE_BROADCAST, "masternodebroadcast",
        Actions.MASTERNODE_LIST, "masternodelist",
        Actions.PROTX, "protx");
  }
}
