package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.blocks.BlockIntegrity;
import io.daemonverticle.impl.blocks.HexFinisher;
import io.daemonverticle.impl.blocks.HexItem;
import io.daemonverticle.impl.blocks.HexResults;
import io.daemonverticle.impl.blocks.SubBatches;
import io.daemonverticle.impl.cluster.Flights;
import io.daemonverticle.impl.codec.HeaderHash;
import io.daemonverticle.impl.codec.TxId;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.jsonrpc.RpcCall;
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
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The operations of the plain Bitcoin daemon (ElectrumX's {@code Daemon}), typed and checked
 * already: how each talks to the daemon. Which event-bus action calls which operation, and how
 * its parameters and reply look, is declared in {@code Actions.SPECS} and bound in
 * {@code impl.bus.ActionTable}.
 * The coin variants extend this class and change only what differs: a few overridden
 * operations and their pass-through actions.
 */
public class BitcoinDaemon {

  static final String NETWORK_INFO_KEY = "networkInfo";
  static final String MEMPOOL_INFO_KEY = "mempoolInfo";

  protected final DaemonContext ctx;
  protected final JsonRpc rpc;
  private final FixedFees fixedFees;
  /** How many sub-batches a JSON-RPC blocks request is cut into. */
  private final SubBatches subBatches = new SubBatches();
  private final HeightFloor heightFloor = new HeightFloor();
  /** The answers of {@link #isRpcAvailable}: kept for good once the daemon has given one. */
  private final Map<String, Boolean> availableRpcs = new HashMap<>();
  private final Flights<Boolean> probes;

  public BitcoinDaemon(DaemonContext ctx) {
    this(ctx, null);
  }

  /**
   * @param fixedFees the fee answers of the fakeEstimate kinds, composed with any block
   *     handling; null to ask the daemon
   */
  protected BitcoinDaemon(DaemonContext ctx, FixedFees fixedFees) {
    this.ctx = ctx;
    this.rpc = ctx.rpc();
    this.fixedFees = fixedFees;
    // A probe has at least a default request's time, whoever started it.
    this.probes = new Flights<>(ctx.time(), "probe",
        ctx.options().getRequestTimeoutMs(),
        ctx.rpc()::recordUnavailable);
  }

  /** The kind this daemon is configured as: which actions it serves is declared per kind. */
  public DaemonKind kind() {
    return ctx.kind();
  }

  /**
   * The kind's extra actions that hand the caller's params array to one fixed RPC method
   * (ElectrumX's masternode_broadcast, masternode_list, protx, smartrewards), action name to
   * method. The method is the kind's choice, never the caller's: no action passes an
   * arbitrary RPC through. The plain kind has none.
   */
  public Map<String, String> passThroughActions() {
    return Map.of();
  }

  /**
   * Calls the RPC method of one of {@link #passThroughActions()} with the caller's params.
   *
   * @throws IllegalArgumentException for an action that is not one of them
   */
  public Future<Object> passThrough(String action, JsonArray params, Deadline deadline) {
    String method = passThroughActions().get(action);
    if (method == null) {
      throw new IllegalArgumentException("daemon kind " + ctx.kind().configName()
          + " has no pass-through action " + action);
    }
    return rpc.call(new RpcCall(method, params), deadline);
  }

  /**
   * The last height any instance of the cluster saw, without asking the daemon; 503 when the
   * cluster's map has not answered by the deadline.
   */
  public Future<Integer> cachedHeight(Deadline deadline) {
    return ctx.shared().cachedHeight(deadline);
  }

  /**
   * The daemon's height; every answer updates the shared cached height. Only the poller may
   * move it down (see {@code SharedState.observeHeight}), unless no poller runs.
   */
  public Future<Integer> height(Deadline deadline) {
    return height(deadline, ctx.options().getHeightPollMs() == 0);
  }

  /**
   * As {@link #height(Deadline)}, saying whether this answer may lower the cached height. The
   * answer does not wait for the cluster: the shared height is updated in the background,
   * bounded there and logged when the cluster does not take it.
   */
  public Future<Integer> height(Deadline deadline, boolean mayDecrease) {
    AttemptCount attempts = new AttemptCount();
    return daemonHeight(deadline, attempts)
        .map(told -> heightFloor.answer(told, attempts.answeredAt()))
        .onSuccess(height -> ctx.shared().observeHeight(height, mayDecrease));
  }

  /**
   * ElectrumX's {@code height}: getblockcount; {@code attempts} says which URL answered.
   * Decred overrides it.
   */
  protected Future<Integer> daemonHeight(Deadline deadline, AttemptCount attempts) {
    return rpc.call(RpcCall.of("getblockcount"), deadline, attempts).map(BitcoinDaemon::toInt);
  }

  /** The hash of the daemon's best block ({@code getbestblockhash}): what the tip poll reads. */
  public Future<String> bestBlockHash(Deadline deadline) {
    return rpc.call("getbestblockhash", deadline).map(BlockHeader::checkedHash);
  }

  /** A block's height and parent ({@code getblockheader}), in the best chain or not. */
  public Future<BlockHeader> blockHeader(String hash, Deadline deadline) {
    return rpc.call("getblockheader", deadline, hash, true).map(BlockHeader::of);
  }

  /** The hash of the best chain's block at {@code height}, one {@code getblockhash}. */
  public Future<String> blockHash(int height, Deadline deadline) {
    return rpc.call("getblockhash", deadline, height).map(BlockHeader::checkedHash);
  }

  public Future<JsonArray> blockHexHashes(int first, int count, Deadline deadline) {
    List<RpcCall> calls = new ArrayList<>(count);
    for (long h = first; h < (long) first + count; h++) {
      calls.add(RpcCall.of("getblockhash", h));
    }
    return ctx.hex().batch(calls, true,
        HexFinisher.byteWork(items -> HexResults.texts(items, false, false)), deadline);
  }

  public Future<Object> deserialisedBlock(String hash, Deadline deadline) {
    return rpc.call("getblock", deadline, hash, true);
  }

  /**
   * The blocks in request order, framed as the contract's rawBlocks reply ({@code
   * BlockFrames}): read in one pass from the daemon's reply, each block checked against its
   * hash ({@link #blockIntegrity()}) and put through the kind's {@link #blockHook()} in the
   * same step.
   */
  public Future<Buffer> rawBlocks(List<String> hashes, Deadline deadline) {
    List<RpcCall> calls = new ArrayList<>(hashes.size());
    for (String hash : hashes) {
      calls.add(RpcCall.of("getblock", hash, false));
    }
    UnaryOperator<byte[]> hook = blockHook();
    BlockIntegrity integrity = blockIntegrity();
    long maxBytes = ctx.options().getMaxBatchBytes();
    int parts = subBatches.forBlocks(hashes.size());
    // Without a hook, framing is per block: the decoded slabs are framed as they are. The
    // daemon's errors come first: a block it did not give has no bytes to check.
    Function<HexItem[], Buffer> frame = items -> {
      HexResults.failOnErrors(items);
      integrity.checkHex(hashes, items);
      return HexResults.framedBlocks(items, hook, maxBytes);
    };
    HexFinisher<Buffer> framing = hook == null ? HexFinisher.perItem(frame)
        : HexFinisher.byteWork(frame);
    Future<Buffer> framed;
    if (hashes.isEmpty()) {
      framed = ctx.hex().batch(calls, false, framing, deadline, parts);
    } else if (ctx.rest() == null) {
      framed = ctx.hex().send(
          integrity.namingUrl(ctx.hex().exchange(calls, false, framing, parts)), deadline);
    } else {
      // Where a URL serves REST the blocks come as bytes; the kind's hook runs on them alike.
      // Framing REST blocks as they came costs nothing; a hook's byte work may be large.
      framed = ctx.hex().send(integrity.namingUrl(ctx.rest().orElse(hashes,
          blocks -> ctx.offloader().run(hook == null ? 0 : HexResults.size(blocks), () -> {
            integrity.checkReceived(hashes, blocks);
            return HexResults.framedReceived(blocks, hook);
          }),
          ctx.hex().exchange(calls, false, framing, parts))),
          deadline);
    }
    return framed.onSuccess(reply ->
        subBatches.observe(reply.length() - 4L * hashes.size(), hashes.size()));
  }

  /**
   * How the blocks {@link #rawBlocks} serves are checked against the hashes asked for: with
   * the coin's header hash where it is double SHA-256 of 80 bytes (see
   * {@code CoinTable.CoinInfo.sha256dHeaders}); a kind whose coins hash otherwise overrides it.
   * Others are served unchecked, saying so in the status reply.
   */
  public BlockIntegrity blockIntegrity() {
    return ctx.coin().sha256dHeaders() ? BlockIntegrity.checkedBy(HeaderHash.SHA256D)
        : BlockIntegrity.unchecked("the header hash of " + ctx.coin().name()
            + " is not known to be sha256d");
  }

  /**
   * The kind's byte work on each block (bytes in, bytes out; no I/O), run where the blocks
   * are decoded; null when blocks are served as the daemon gives them. A codec's
   * IllegalArgumentException is a malformed block (503).
   */
  protected UnaryOperator<byte[]> blockHook() {
    return null;
  }

  /** The raw transactions' bytes in request order, read in one pass. */
  protected Future<List<byte[]>> rawTransactionBytes(List<String> txids, Deadline deadline) {
    List<RpcCall> calls = new ArrayList<>(txids.size());
    for (String txid : txids) {
      calls.add(RpcCall.of("getrawtransaction", txid, 0));
    }
    return ctx.hex().batch(calls, false, HexFinisher.byteWork(HexResults::decoded), deadline);
  }

  public Future<Object> mempoolHashes(Deadline deadline) {
    return rpc.call("getrawmempool", deadline);
  }

  public Future<Object> indexInfo(Deadline deadline) {
    return rpc.call("getindexinfo", deadline);
  }

  public Future<Object> getRawTransaction(String txid, boolean verbose, Deadline deadline) {
    // Old daemons reject booleans here: verbose goes as 0 or 1.
    return rpc.call("getrawtransaction", deadline, txid, verbose ? 1 : 0);
  }

  /** gettxspendingprevout for one outpoint: the first (only) item of its answer. */
  public Future<Object> txSpendingPrevout(String txid, long vout, Deadline deadline) {
    JsonArray outpoints = new JsonArray().add(new JsonObject().put("txid", txid)
        .put("vout", vout));
    return rpc.call("gettxspendingprevout", deadline, outpoints,
            new JsonObject().put("mempool_only", false))
        .map(result -> result instanceof JsonArray arr && !arr.isEmpty()
            ? arr.getValue(0) : result);
  }

  /**
   * sendrawtransaction. When a retry of this request (its first reply lost on the way: the
   * connection dropped, the attempt timed out) hears that the transaction is already in the
   * chain or the mempool, the first attempt delivered it: the answer is its txid, computed
   * here. The first attempt's own "already known" is still the daemon's error (422): the caller
   * may be rebroadcasting on purpose.
   */
  public Future<Object> broadcastTransaction(String rawTx, Deadline deadline) {
    AttemptCount attempts = new AttemptCount();
    return rpc.call(RpcCall.of("sendrawtransaction", rawTx), deadline, attempts)
        .recover(e -> {
          TxId.Hash hash = txidHash();
          if (attempts.get() > 1 && hash != null && e instanceof DaemonRpcException error
              && AlreadyKnown.is(error)) {
            try {
              return Future.succeededFuture(TxId.of(rawTx, hash));
            } catch (IllegalArgumentException notATransaction) {
              // The daemon took it as one; we cannot read it: its own answer stands.
            }
          }
          return Future.failedFuture(e);
        });
  }

  /**
   * How the coin hashes a transaction into its id; null when this service cannot compute it
   * (a broadcast's lost reply is then reported as the daemon's "already known").
   */
  protected TxId.Hash txidHash() {
    return TxId.Hash.SHA256D;
  }

  public Future<Object> broadcastPackage(List<String> rawTxs, Deadline deadline) {
    return rpc.call("submitpackage", deadline, new JsonArray(new ArrayList<>(rawTxs)));
  }

  public Future<Object> testMempoolAccept(List<String> rawTxs, Deadline deadline) {
    return rpc.call("testmempoolaccept", deadline, new JsonArray(new ArrayList<>(rawTxs)));
  }

  /**
   * ElectrumX's {@code estimatefee}: estimatesmartfee when the daemon has it (its feerate, or
   * -1 without one), else estimatefee.
   */
  public Future<Object> estimateFee(int blocks, String mode, Deadline deadline) {
    if (fixedFees != null) {
      return fixedFees.estimateFee();
    }
    Object[] args = mode == null ? new Object[] {blocks} : new Object[] {blocks, mode};
    return isRpcAvailable("estimatesmartfee", deadline).compose(smart -> smart
        ? rpc.call("estimatesmartfee", deadline, args).map(estimate ->
            estimate instanceof JsonObject o && o.getValue("feerate") != null
                ? o.getValue("feerate") : (Object) (-1))
        : rpc.call("estimatefee", deadline, args));
  }

  /** ElectrumX's {@code relayfee}: from the (cached) network info. */
  public Future<Object> relayFee(Deadline deadline) {
    if (fixedFees != null) {
      return fixedFees.relayFee();
    }
    return networkInfo(deadline).map(info -> {
      Object fee = info.getValue("relayfee");
      if (fee == null) {
        throw DaemonException.unavailable("getnetworkinfo gave no relayfee");
      }
      return fee;
    });
  }

  public Future<JsonObject> networkInfo(Deadline deadline) {
    return ctx.shared().cached(NETWORK_INFO_KEY, JsonObject.class, ctx.options().getCacheTtlMs(),
        deadline,
        own -> rpc.call("getnetworkinfo", own).map(BitcoinDaemon::toObject));
  }

  /**
   * getmempoolinfo's three fee keys; a daemon that lacks one there gives it in getnetworkinfo
   * (relayfee, incrementalfee) on older versions. A key neither has stays null.
   */
  public Future<JsonObject> mempoolInfo(Deadline deadline) {
    return ctx.shared().cached(MEMPOOL_INFO_KEY, JsonObject.class, ctx.options().getCacheTtlMs(),
        deadline,
        own -> rpc.call("getmempoolinfo", own).map(BitcoinDaemon::toObject)
            .compose(info -> {
              if (info.containsKey("minrelaytxfee") && info.containsKey("incrementalrelayfee")) {
                return Future.succeededFuture(feeKeys(info, new JsonObject()));
              }
              return networkInfo(own).map(net -> feeKeys(info, net));
            }));
  }

  private static JsonObject feeKeys(JsonObject mempool, JsonObject network) {
    Object minRelay = mempool.getValue("minrelaytxfee", network.getValue("relayfee"));
    Object incremental = mempool.getValue("incrementalrelayfee",
        network.getValue("incrementalfee"));
    return new JsonObject()
        .put("mempoolminfee", mempool.getValue("mempoolminfee"))
        .put("minrelaytxfee", minRelay)
        .put("incrementalrelayfee", incremental);
  }

  public Future<JsonArray> getRawTransactions(List<String> txids, boolean replaceErrors,
                                              Deadline deadline) {
    List<RpcCall> calls = new ArrayList<>(txids.size());
    for (String txid : txids) {
      calls.add(RpcCall.of("getrawtransaction", txid, 0));
    }
    return ctx.hex().batch(calls, true,
        HexFinisher.byteWork(items -> HexResults.texts(items, replaceErrors, true)), deadline);
  }

  /**
   * Whether the daemon has a method, asked once by calling it without parameters: it exists
   * unless the daemon says "method not found". Concurrent first askers share the probe, a
   * {@link Flights} flight with a deadline of its own, and each has its answer by its own
   * deadline; a probe that failed or ran out of time is forgotten, so the next asker probes
   * again.
   */
  protected Future<Boolean> isRpcAvailable(String method, Deadline deadline) {
    Boolean known = availableRpcs.get(method);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return probes.join(method, deadline, own -> rpc.call(method, own).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(true);
      }
      if (ar.cause() instanceof DaemonRpcException e) {
        return Future.succeededFuture(!Integer.valueOf(JsonRpc.METHOD_NOT_FOUND)
            .equals(e.rpcCode()));
      }
      return Future.<Boolean>failedFuture(ar.cause());
    }).onSuccess(available -> availableRpcs.put(method, available)));
  }

  /**
   * A count or height from the daemon: a whole number that fits an int. Anything else is a
   * reply we cannot use (503), never a number made up by rounding or overflow.
   */
  protected static int toInt(Object value) {
    if (!(value instanceof Number n)) {
      throw DaemonException.unavailable("daemon gave " + value + " where a number was expected");
    }
    double d = n.doubleValue();
    if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      throw DaemonException.unavailable("daemon gave " + value + " where a whole number was "
          + "expected");
    }
    return n.intValue();
  }

  protected static JsonObject toObject(Object value) {
    if (!(value instanceof JsonObject o)) {
      throw DaemonException.unavailable("daemon gave a non-object where an object was "
          + "expected");
    }
    return o;
  }
}
