package io.daemonverticle.impl.kinds;

import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.blocks.BatchBytes;
import io.daemonverticle.impl.blocks.BlockIntegrity;
import io.daemonverticle.impl.codec.LegacyBlock;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.jsonrpc.RpcCall;
import io.daemonverticle.impl.resilience.Deadline;
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
 * <p>As ElectrumX: one batch of verbose getblock for all the blocks, then one batch of
 * getrawtransaction per block, block after block, each block written as soon as its
 * transactions are in. One batch for the transactions of all of up to {@code maxBatch} blocks
 * would be unbounded (a full block holds thousands) in the daemon's work, in the reply and in
 * our memory; per block, one block's transactions are held as hex at a time. A transaction the
 * daemon cannot give fails the request (422): a block without it would be wrong, not partial.
 */
public class LegacyDaemon extends BitcoinDaemon {

  public LegacyDaemon(DaemonContext ctx) {
    super(ctx);
  }

  protected LegacyDaemon(DaemonContext ctx, FixedFees fixedFees) {
    super(ctx, fixedFees);
  }

  /**
   * These blocks are rebuilt here from the daemon's JSON, not given as bytes: there are no
   * daemon bytes to check (and these coins' header hashes are not known here).
   */
  @Override
  public BlockIntegrity blockIntegrity() {
    return BlockIntegrity.unchecked("blocks rebuilt from getblock's JSON");
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
          for (Object reply : replies) {
            JsonObject block = toObject(reply);
            // Every reply is checked before any transaction is asked for.
            txidsToFetch(block);
            blocks.add(block);
          }
          return blocksFrom(blocks, 0, new ArrayList<>(blocks.size()), deadline);
        })
        .compose(out -> ctx.offloader().run(BlockFrames.size(out), () -> {
          BatchBytes.check(BlockFrames.size(out) - 4L * out.size(),
              ctx.options().getMaxBatchBytes());
          return BlockFrames.write(out);
        }));
  }

  /** Rebuilds blocks[next..] in turn, one getrawtransaction batch each, into {@code out}. */
  private Future<List<byte[]>> blocksFrom(List<JsonObject> blocks, int next, List<byte[]> out,
                                          Deadline deadline) {
    if (next == blocks.size()) {
      return Future.succeededFuture(out);
    }
    JsonObject block = blocks.get(next);
    return rawTransactions(txidsToFetch(block), deadline)
        .compose(rawTxs -> build(block, rawTxs))
        .compose(raw -> {
          out.add(raw);
          return blocksFrom(blocks, next + 1, out, deadline);
        });
  }

  /** On the byte path: hex checked and decoded as the reply arrives (see HexBatchReader). */
  private Future<List<byte[]>> rawTransactions(List<String> txids, Deadline deadline) {
    return rawTransactionBytes(txids, deadline);
  }

  /** Writes one block from its verbose reply and its raw transactions. */
  private Future<byte[]> build(JsonObject block, List<byte[]> rawTxs) {
    long total = rawTxs.stream().mapToLong(tx -> tx.length).sum();
    return MalformedBlock.recover(ctx.offloader().run(total,
        () -> LegacyBlock.block(block, rawTxs)));
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
