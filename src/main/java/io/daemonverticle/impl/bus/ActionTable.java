package io.daemonverticle.impl.bus;

import io.daemonverticle.Actions;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The contract's actions over one daemon kind: which name calls which operation, with which
 * checked parameters, and the shape of its reply. The kind says what it can do; this table is
 * the only place that knows the event-bus names and bodies. A new action is a line here (and
 * its name in {@link Actions}).
 */
public final class ActionTable {

  /** The body key holding a pass-through action's positional parameters. */
  static final String PARAMS = "params";

  private ActionTable() {
  }

  /**
   * @param maxBatch  the most items one batch action may ask for (400 past it)
   * @param status    the status reply, which the service assembles from all its parts
   */
  public static Map<String, Action> of(BitcoinDaemon daemon, int maxBatch,
                                       Supplier<Future<JsonObject>> status) {
    Map<String, Action> a = new LinkedHashMap<>();
    a.put(Actions.HEIGHT, (p, d) -> daemon.height(d));
    a.put(Actions.CACHED_HEIGHT, (p, d) -> daemon.cachedHeight(d));
    a.put(Actions.BLOCK_HEX_HASHES, (p, d) -> daemon.blockHexHashes(
        p.nonNegativeInt("first", Integer.MAX_VALUE), p.nonNegativeInt("count", maxBatch), d));
    a.put(Actions.DESERIALISED_BLOCK, (p, d) -> daemon.deserialisedBlock(p.hash("hash"), d));
    a.put(Actions.RAW_BLOCKS, (p, d) -> daemon.rawBlocks(p.hashes("hashes", maxBatch), d));
    a.put(Actions.MEMPOOL_HASHES, (p, d) -> daemon.mempoolHashes(d));
    a.put(Actions.ESTIMATE_FEE, (p, d) -> daemon.estimateFee(
        p.nonNegativeInt("blocks", Integer.MAX_VALUE), p.feeMode("mode"), d));
    a.put(Actions.RELAY_FEE, (p, d) -> daemon.relayFee(d));
    a.put(Actions.NETWORK_INFO, (p, d) -> daemon.networkInfo(d));
    a.put(Actions.MEMPOOL_INFO, (p, d) -> daemon.mempoolInfo(d));
    a.put(Actions.INDEX_INFO, (p, d) -> daemon.indexInfo(d));
    a.put(Actions.GET_RAW_TRANSACTION, (p, d) -> daemon.getRawTransaction(p.hash("txid"),
        p.optionalBoolean("verbose", false), d));
    a.put(Actions.GET_RAW_TRANSACTIONS, (p, d) -> daemon.getRawTransactions(
        p.hashes("txids", maxBatch), p.optionalBoolean("replaceErrors", true), d));
    a.put(Actions.TX_SPENDING_PREVOUT, (p, d) -> daemon.txSpendingPrevout(p.hash("txid"),
        p.nonNegativeInt("vout", Integer.MAX_VALUE), d));
    a.put(Actions.BROADCAST_TRANSACTION, (p, d) ->
        daemon.broadcastTransaction(p.rawTx("rawTx"), d));
    a.put(Actions.BROADCAST_PACKAGE, (p, d) ->
        daemon.broadcastPackage(p.rawTxs("rawTxs", maxBatch), d));
    a.put(Actions.TEST_MEMPOOL_ACCEPT, (p, d) ->
        daemon.testMempoolAccept(p.rawTxs("rawTxs", maxBatch), d));
    for (String action : daemon.passThroughActions().keySet()) {
      a.put(action, (p, d) -> daemon.passThrough(action, p.optionalArray(PARAMS, maxBatch), d));
    }
    a.put(Actions.STATUS, (p, d) -> status.get());
    return a;
  }
}
