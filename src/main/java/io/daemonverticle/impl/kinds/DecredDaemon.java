package io.daemonverticle.impl.kinds;

import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.blocks.BlockIntegrity;
import io.daemonverticle.impl.codec.DecredBlock;
import io.daemonverticle.impl.codec.TxId;
import io.daemonverticle.impl.resilience.AttemptCount;
import io.daemonverticle.impl.resilience.Deadline;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElectrumX's DecredDaemon. In Decred a block's stakeholders vote on its parent's regular
 * transactions; when they reject them those transactions never happened. So a block is served
 * without its regular tree when its child's vote bits say so, the tip (which no child has voted
 * on yet) is kept out of the height, and the tip's transactions are offered as mempool instead.
 */
public class DecredDaemon extends BitcoinDaemon {

  private static final Logger LOG = LoggerFactory.getLogger(DecredDaemon.class);

  public DecredDaemon(DaemonContext ctx) {
    super(ctx);
  }

  /** Decred hashes headers (180 bytes) with BLAKE-256, which the JDK does not have. */
  @Override
  public BlockIntegrity blockIntegrity() {
    return BlockIntegrity.unchecked("BLAKE-256 not available");
  }

  /** One below the daemon's count: the tip can still be invalidated by the next block. */
  @Override
  protected Future<Integer> daemonHeight(Deadline deadline, AttemptCount attempts) {
    return super.daemonHeight(deadline, attempts).map(count -> count > 0 ? count - 1 : count);
  }

  /**
   * The blocks as the core reads them, then each one's regular tree dropped where its child
   * voted it down. Which those are depends on the other blocks of the batch (or a header
   * from the daemon), so it is decided after the one-pass read, from the headers only; the
   * reply is rebuilt only when a block is stripped (rare), else passed on as it is.
   */
  @Override
  public Future<Buffer> rawBlocks(List<String> hashes, Deadline deadline) {
    return MalformedBlock.recover(super.rawBlocks(hashes, deadline).compose(framed -> {
      List<Buffer> blocks = BlockFrames.read(framed);
      // What each fetched block says about its parent's regular tree.
      Map<String, Boolean> parentValid = new HashMap<>();
      for (Buffer block : blocks) {
        byte[] header = block.getBytes(0, Math.min(block.length(), DecredBlock.HEADER_SIZE));
        parentValid.put(DecredBlock.parentHash(header),
            DecredBlock.parentRegularTreeValid(DecredBlock.voteBits(header)));
      }
      List<Future<Boolean>> valid = new ArrayList<>(hashes.size());
      for (String hash : hashes) {
        Boolean known = parentValid.get(hash);
        valid.add(known != null ? Future.succeededFuture(known)
            : regularTreeValidByChild(hash, deadline));
      }
      return Future.all(valid).compose(all -> {
        List<Boolean> flags = all.list();
        return flags.contains(Boolean.FALSE) ? strip(hashes, blocks, flags)
            : Future.succeededFuture(framed);
      });
    }));
  }

  /** For a block whose child was not fetched: the child's vote bits, from its header. */
  private Future<Boolean> regularTreeValidByChild(String hash, Deadline deadline) {
    return rpc.call("getblockheader", deadline, hash).compose(header -> {
      Object next = toObject(header).getValue("nextblockhash");
      if (!(next instanceof String nextHash)) {
        // ElectrumX raises DaemonError here: the block has no child yet to have voted.
        return Future.failedFuture(DaemonRpcException.of(new JsonObject().putNull("code")
            .put("message", "Could not find next block for " + hash)));
      }
      return rpc.call("getblockheader", deadline, nextHash);
    }).map(childHeader -> {
      if (!(toObject(childHeader).getValue("votebits") instanceof Number bits)) {
        throw DaemonException.unavailable("daemon gave a getblockheader reply without "
            + "numeric votebits");
      }
      return DecredBlock.parentRegularTreeValid(bits.intValue());
    });
  }

  private Future<Buffer> strip(List<String> hashes, List<Buffer> blocks, List<Boolean> valid) {
    long total = 0;
    for (Buffer block : blocks) {
      total += block.length();
    }
    return ctx.offloader().run(total, () -> {
      List<byte[]> out = new ArrayList<>(blocks.size());
      for (int i = 0; i < blocks.size(); i++) {
        byte[] block = blocks.get(i).getBytes();
        if (valid.get(i)) {
          out.add(block);
        } else {
          LOG.info("block {} is invalidated", hashes.get(i));
          out.add(DecredBlock.stripRegularTree(block));
        }
      }
      return BlockFrames.write(out);
    });
  }

  /** The mempool plus the tip's transactions, which the height leaves out. */
  @Override
  public Future<Object> mempoolHashes(Deadline deadline) {
    return super.mempoolHashes(deadline).compose(mempool -> {
      if (!(mempool instanceof JsonArray txids)) {
        return Future.failedFuture(DaemonException.unavailable(
            "daemon gave a non-array where the mempool txids were expected"));
      }
      return rpc.call("getblockcount", deadline)
          .compose(count -> rpc.call("getblockhash", deadline, toInt(count)))
          .compose(tipHash -> deserialisedBlock(String.valueOf(tipHash), deadline))
          .map(tip -> {
            JsonObject block = toObject(tip);
            JsonArray out = txids.copy();
            JsonArray regular = block.getJsonArray("tx", new JsonArray());
            for (int i = 1; i < regular.size(); i++) {
              out.add(regular.getValue(i));
            }
            JsonArray stake = block.getJsonArray("stx");
            if (stake != null) {
              out.addAll(stake);
            }
            return out;
          });
    });
  }

  /** Decred's txids are BLAKE-256 hashes, which this service does not compute. */
  @Override
  protected TxId.Hash txidHash() {
    return null;
  }
}
