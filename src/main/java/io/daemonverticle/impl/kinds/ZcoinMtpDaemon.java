package io.daemonverticle.impl.kinds;

import io.daemonverticle.Actions;
import io.daemonverticle.impl.codec.ZcoinMtp;
import io.daemonverticle.impl.rpc.Deadline;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  @Override
  public Future<List<byte[]>> rawBlocks(List<String> hashes, Deadline deadline) {
    return super.rawBlocks(hashes, deadline).compose(blocks -> {
      long total = blocks.stream().mapToLong(b -> b.length).sum();
      return MalformedBlock.recover(ctx.offloader().run(total, () -> {
        List<byte[]> stripped = new ArrayList<>(blocks.size());
        for (byte[] block : blocks) {
          stripped.add(ZcoinMtp.stripMtpData(block));
        }
        return stripped;
      }));
    });
  }
}
