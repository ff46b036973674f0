package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
import io.daemonverticle.impl.blocks.BlockIntegrity;
import io.daemonverticle.impl.codec.HeaderHash;
import io.daemonverticle.impl.codec.ZcoinMtp;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * ElectrumX's ZcoinMtpDaemon: znode actions, and raw blocks without the ~194 KiB of MTP proof
 * each MTP block carries (see {@link ZcoinMtp}).
 */
public class ZcoinMtpDaemon extends BitcoinDaemon {

  public ZcoinMtpDaemon(DaemonContext ctx) {
    super(ctx);
  }

  @Override
  public Map<String, String> passThroughActions() {
    return Map.of(
        Actions.MASTERNODE_BROADCAST, "znodebroadcast",
        Actions.MASTERNODE_LIST, "znodelist",
        Actions.PROTX, "protx");
  }

  /**
   * Zcoin's block hash is double SHA-256 of its header, 180 bytes for an MTP block (checked on
   * the block as the daemon gave it, before the proof is stripped).
   */
  @Override
  public BlockIntegrity blockIntegrity() {
    return BlockIntegrity.checkedBy(HeaderHash.ZCOIN_MTP);
  }

  @Override
  protected UnaryOperator<byte[]> blockHook() {
    return ZcoinMtp::stripMtpData;
  }
}
