package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
import io.daemonverticle.impl.blocks.BlockIntegrity;
import io.daemonverticle.impl.codec.TxId;
import java.util.Map;

/**
 * ElectrumX's SmartCashDaemon: SmartCash calls its masternodes smartnodes and has no protx,
 * but pays smart rewards.
 */
public class SmartCashDaemon extends BitcoinDaemon {

  public SmartCashDaemon(DaemonContext ctx) {
    super(ctx);
  }

  /** SmartCash hashes a transaction once. */
  @Override
  protected TxId.Hash txidHash() {
    return TxId.Hash.SHA256;
  }

  /** SmartCash hashes headers with Keccak-256, which the JDK does not have (its SHA3 pads otherwise). */
  @Override
  public BlockIntegrity blockIntegrity() {
    return BlockIntegrity.unchecked("Keccak-256 not available");
  }

  @Override
  public Map<String, String> passThroughActions() {
    return Map.of(
        Actions.MASTERNODE_BROADCAST, "smartnodebroadcast",
        Actions.MASTERNODE_LIST, "smartnodelist",
        Actions.SMART_REWARDS, "smartrewards");
  }
}
