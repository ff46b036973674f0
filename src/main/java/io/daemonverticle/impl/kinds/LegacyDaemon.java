package io.daemonverticle.impl.kinds;

import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.codec.LegacyBlock;
import io.daemonverticle.impl.rpc.JsonRpc;
import io.daemonverticle.impl.rpc.Deadline;
import io.daemonverticle.impl.rpc.RpcCall;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * ElectrumX's LegacyRPCDaemon, for daemons whose getblock cannot give hex: each block is
 * rebuilt from its verbose getblock reply and its raw transactions (see {@link LegacyBlock}).
 *
 * <p>Two daemon round trips whatever the number of blocks: one batch of verbose getblock, one
 * batch of getrawtransaction for the transactions of all of them. A transaction the daemon
 * cannot give fails the request (422): a block without it would be wrong, not partial.
 */
public class LegacyDaemon extends BitcoinDaemon {

  public LegacyDaemon(DaemonContext ctx) {
    super(ctx);
  }

  protected LegacyDaemon(DaemonContext ctx, FixedFees fixedFees) {
    super(ctx, fixedFees);
  }

  @Override
  public Future<Buffer> rawBlocks(List<String> hashes, Deadline deadline) {
    List<RpcCall> calls = new ArrayList<>(hashes.size());
    for (String hash : hashes) {
      // Verbose is the only form these daemons have; some reject a second parameter.
      calls.add(RpcCall.of("getblock", hash));
    }
    return rpc.batch(calls, deadline)
        .map(JsonRpc::resultsOrFail)
        .compose(replies -> {
          List<JsonObject> blocks = new ArrayList<>(replies.size());
          List<String> txids = new ArrayList<>();
          for (Object reply : replies) {
            JsonObject block = toObject(reply);
            blocks.add(block);
            txids.addAll(txidsToFetch(block));
          }
          return rawTransactions(txids, deadline).compose(rawTxs -> build(blocks, rawTxs));
        });
  }

  private Future<List<byte[]>> rawTransactions(List<String> txids, Deadline deadline) {
    return rawTransactionBytes(txids, deadline);
  }

  /** Deals the transactions out to their blocks in order and writes each block. */
  private Future<Buffer> build(List<JsonObject> blocks, List<byte[]> rawTxs) {
    long total = rawTxs.stream().mapToLong(tx -> tx.length).sum();
    return MalformedBlock.recover(ctx.offloader().run(total, () -> {
      List<byte[]> out = new ArrayList<>(blocks.size());
      int next = 0;
      for (JsonObject block : blocks) {
        int count = txidsToFetch(block).size();
        out.add(LegacyBlock.block(block, rawTxs.subList(next, next + count)));
        next += count;
      }
      return BlockFrames.write(out);
    }));
  }

  /**
   * The txids whose raw transactions the block needs: none for the genesis block (its
   * coinbase is not a transaction the daemon will give), else all of {@code tx}.
   */
  private static List<String> txidsToFetch(JsonObject block) {
    if (!(block.getValue("height") instanceof Number height)) {
      throw DaemonException.unavailable("daemon gave a verbose getblock reply without a "
          + "numeric height");
    }
    if (height.longValue() == 0) {
      return List.of();
    }
    if (!(block.getValue("tx") instanceof JsonArray tx)) {
      throw DaemonException.unavailable("daemon gave a verbose getblock reply without a tx "
          + "list");
    }
    List<String> txids = new ArrayList<>(tx.size());
    for (Object txid : tx) {
      if (!(txid instanceof String s)) {
        throw DaemonException.unavailable("daemon gave a verbose getblock reply whose tx list "
            + "holds something other than txids");
      }
      txids.add(s);
    }
    return txids;
  }
}
