package io.daemonverticle.impl.ops;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.rpc.DaemonRpc;
import io.daemonverticle.impl.rpc.Deadline;
import io.daemonverticle.impl.rpc.RpcCall;
import io.daemonverticle.impl.rpc.RpcResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The operations of the plain Bitcoin daemon (ElectrumX's {@code Daemon}). The coin variants
 * extend it and change only what differs: a few overridden operations and extra actions.
 */
public class BitcoinDaemon {

  static final String NETWORK_INFO_KEY = "networkInfo";
  static final String MEMPOOL_INFO_KEY = "mempoolInfo";
  private static final Set<String> FEE_MODES = Set.of("UNSET", "ECONOMICAL", "CONSERVATIVE");
  private static final HexFormat HEX = HexFormat.of();

  protected final DaemonContext ctx;
  protected final DaemonRpc rpc;
  private final FixedFees fixedFees;
  private final Map<String, Future<Boolean>> availableRpcs = new HashMap<>();

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
  }

  /** The actions this kind serves, by name. */
  public final Map<String, Action> actions() {
    Map<String, Action> actions = new LinkedHashMap<>();
    register(actions);
    return actions;
  }

  /** Variants add their own actions (or remove some) after calling this. */
  protected void register(Map<String, Action> a) {
    int maxBatch = ctx.options().getMaxBatch();
    a.put(Actions.HEIGHT, (p, d) -> height(d));
    a.put(Actions.CACHED_HEIGHT, (p, d) -> ctx.shared().cachedHeight());
    a.put(Actions.BLOCK_HEX_HASHES, (p, d) ->
        blockHexHashes(p.nonNegativeInt("first", Integer.MAX_VALUE),
            p.nonNegativeInt("count", maxBatch), d));
    a.put(Actions.DESERIALISED_BLOCK, (p, d) -> deserialisedBlock(p.hash("hash"), d));
    a.put(Actions.RAW_BLOCKS, (p, d) -> rawBlocks(p.hashes("hashes", maxBatch), d)
        .compose(blocks -> ctx.offloader().run(framedSize(blocks), () -> frame(blocks))));
    a.put(Actions.MEMPOOL_HASHES, (p, d) -> mempoolHashes(d));
    a.put(Actions.ESTIMATE_FEE, (p, d) ->
        estimateFee(p.nonNegativeInt("blocks", Integer.MAX_VALUE), feeMode(p), d));
    a.put(Actions.RELAY_FEE, (p, d) -> relayFee(d));
    a.put(Actions.NETWORK_INFO, (p, d) -> networkInfo(d));
    a.put(Actions.MEMPOOL_INFO, (p, d) -> mempoolInfo(d));
    a.put(Actions.INDEX_INFO, (p, d) -> rpc.call("getindexinfo", d));
    a.put(Actions.GET_RAW_TRANSACTION, (p, d) -> {
      String txid = p.hash("txid");
      // Old daemons reject booleans here: verbose goes as 0 or 1.
      return rpc.call("getrawtransaction", d, txid, p.optionalBoolean("verbose", false) ? 1 : 0);
    });
    a.put(Actions.GET_RAW_TRANSACTIONS, (p, d) -> getRawTransactions(
        p.hashes("txids", maxBatch), p.optionalBoolean("replaceErrors", true), d));
    a.put(Actions.TX_SPENDING_PREVOUT, (p, d) -> {
      String txid = p.hash("txid");
      long vout = p.nonNegativeInt("vout", Integer.MAX_VALUE);
      JsonArray outpoints = new JsonArray().add(new JsonObject().put("txid", txid)
          .put("vout", vout));
      return rpc.call("gettxspendingprevout", d, outpoints,
              new JsonObject().put("mempool_only", false))
          .map(result -> result instanceof JsonArray arr && !arr.isEmpty()
              ? arr.getValue(0) : result);
    });
    a.put(Actions.BROADCAST_TRANSACTION, (p, d) ->
        rpc.call("sendrawtransaction", d, p.rawTx("rawTx")));
    a.put(Actions.BROADCAST_PACKAGE, (p, d) ->
        rpc.call("submitpackage", d, new JsonArray(new ArrayList<>(p.rawTxs("rawTxs", maxBatch)))));
    a.put(Actions.TEST_MEMPOOL_ACCEPT, (p, d) ->
        rpc.call("testmempoolaccept", d,
            new JsonArray(new ArrayList<>(p.rawTxs("rawTxs", maxBatch)))));
  }

  /**
   * The daemon's height; every answer updates the shared cached height. Only the poller may
   * move it down (see {@link SharedState#observeHeight}), unless no poller runs.
   */
  public Future<Integer> height(Deadline deadline) {
    return height(deadline, ctx.options().getHeightPollMs() == 0);
  }

  /** As {@link #height(Deadline)}, saying whether this answer may lower the cached height. */
  public Future<Integer> height(Deadline deadline, boolean mayDecrease) {
    return daemonHeight(deadline)
        .compose(height -> ctx.shared().observeHeight(height, mayDecrease).map(v -> height));
  }

  /** ElectrumX's {@code height}: getblockcount. Decred overrides it. */
  protected Future<Integer> daemonHeight(Deadline deadline) {
    return rpc.call("getblockcount", deadline).map(BitcoinDaemon::toInt);
  }

  public Future<JsonArray> blockHexHashes(int first, int count, Deadline deadline) {
    List<RpcCall> calls = new ArrayList<>(count);
    for (long h = first; h < (long) first + count; h++) {
      calls.add(RpcCall.of("getblockhash", h));
    }
    return rpc.batch(calls, deadline).map(results -> {
      List<Object> hashes = DaemonRpc.resultsOrFail(results);
      return new JsonArray(hashes);
    });
  }

  public Future<Object> deserialisedBlock(String hash, Deadline deadline) {
    return rpc.call("getblock", deadline, hash, true);
  }

  /** The blocks' bytes in request order. */
  public Future<List<byte[]>> rawBlocks(List<String> hashes, Deadline deadline) {
    List<JsonArray> params = new ArrayList<>(hashes.size());
    for (String hash : hashes) {
      params.add(new JsonArray().add(hash).add(false));
    }
    return rpc.batch("getblock", params, deadline)
        .map(DaemonRpc::resultsOrFail)
        .compose(this::decodeHex);
  }

  /** Hex strings to bytes, off the event loop when they are large. */
  protected Future<List<byte[]>> decodeHex(List<Object> hexes) {
    long total = 0;
    for (Object hex : hexes) {
      if (!(hex instanceof String s)) {
        return Future.failedFuture(DaemonException.unavailable(
            "daemon gave a non-string where hex was expected"));
      }
      total += s.length();
    }
    return ctx.offloader().run(total, () -> {
      List<byte[]> out = new ArrayList<>(hexes.size());
      for (Object hex : hexes) {
        out.add(HEX.parseHex((String) hex));
      }
      return out;
    });
  }

  public Future<Object> mempoolHashes(Deadline deadline) {
    return rpc.call("getrawmempool", deadline);
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
    return ctx.shared().cached(NETWORK_INFO_KEY, ctx.options().getCacheTtlMs(), deadline,
        () -> rpc.call("getnetworkinfo", deadline).map(BitcoinDaemon::toObject));
  }

  /**
   * getmempoolinfo's three fee keys; a daemon that lacks one there gives it in getnetworkinfo
   * (relayfee, incrementalfee) on older versions. A key neither has stays null.
   */
  public Future<JsonObject> mempoolInfo(Deadline deadline) {
    return ctx.shared().cached(MEMPOOL_INFO_KEY, ctx.options().getCacheTtlMs(), deadline,
        () -> rpc.call("getmempoolinfo", deadline).map(BitcoinDaemon::toObject)
            .compose(info -> {
              if (info.containsKey("minrelaytxfee") && info.containsKey("incrementalrelayfee")) {
                return Future.succeededFuture(feeKeys(info, new JsonObject()));
              }
              return networkInfo(deadline).map(net -> feeKeys(info, net));
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
    List<JsonArray> params = new ArrayList<>(txids.size());
    for (String txid : txids) {
      params.add(new JsonArray().add(txid).add(0));
    }
    return rpc.batch("getrawtransaction", params, deadline).map(results -> {
      if (!replaceErrors) {
        return new JsonArray(DaemonRpc.resultsOrFail(results));
      }
      JsonArray out = new JsonArray();
      for (RpcResult r : results) {
        out.add(r.failed() ? null : r.result());
      }
      return out;
    });
  }

  /**
   * Whether the daemon has a method, asked once by calling it without parameters: it exists
   * unless the daemon says "method not found". Concurrent first askers share the probe.
   */
  protected Future<Boolean> isRpcAvailable(String method, Deadline deadline) {
    Future<Boolean> known = availableRpcs.get(method);
    if (known != null && !known.failed()) {
      return known;
    }
    Future<Boolean> probe = rpc.call(method, deadline).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(true);
      }
      if (ar.cause() instanceof DaemonRpcException e) {
        return Future.succeededFuture(!Integer.valueOf(DaemonRpc.METHOD_NOT_FOUND)
            .equals(e.rpcCode()));
      }
      return Future.failedFuture(ar.cause());
    });
    availableRpcs.put(method, probe);
    return probe;
  }

  private static String feeMode(Params p) {
    String mode = p.optionalString("mode");
    if (mode == null) {
      return null;
    }
    String upper = mode.toUpperCase(Locale.ROOT);
    if (!FEE_MODES.contains(upper)) {
      throw DaemonException.badRequest("mode must be one of ECONOMICAL, CONSERVATIVE, UNSET");
    }
    return upper;
  }

  /** The contract's rawBlocks reply: each block as a 4-byte big-endian length, then bytes. */
  public static Buffer frame(List<byte[]> blocks) {
    long total = framedSize(blocks);
    if (total > Integer.MAX_VALUE) {
      throw DaemonException.badRequest("the blocks asked for add up to more than 2 GB: ask "
          + "for fewer at a time");
    }
    Buffer out = Buffer.buffer((int) total);
    for (byte[] block : blocks) {
      out.appendInt(block.length).appendBytes(block);
    }
    return out;
  }

  private static long framedSize(List<byte[]> blocks) {
    long total = 0;
    for (byte[] block : blocks) {
      total += 4 + block.length;
    }
    return total;
  }

  protected static int toInt(Object value) {
    if (!(value instanceof Number n)) {
      throw DaemonException.unavailable("daemon gave " + value + " where a number was expected");
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
