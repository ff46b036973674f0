package io.daemonverticle.impl.bus;

import io.daemonverticle.ActionParam;
import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.resilience.Deadline;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Binds each declared action ({@link Actions#SPECS}) that the kind serves to the kind's typed
 * operation. The declaration says the parameters: they are all checked (400) before the
 * operation is called, which reads them by their declared constants. This is the only place
 * that knows which operation an action calls.
 */
public final class ActionTable {

  private ActionTable() {
  }

  /**
   * @param maxBatch the most items one batch action may ask for (400 past it)
   * @param status   the status reply, which the service assembles from all its parts
   * @throws IllegalStateException when the declarations and the kind disagree on what it serves
   */
  public static Map<String, Action> of(BitcoinDaemon daemon, int maxBatch,
                                       Supplier<Future<JsonObject>> status) {
    Map<String, Operation> ops = new HashMap<>();
    ops.put(Actions.HEIGHT, (p, d) -> daemon.height(d));
    ops.put(Actions.CACHED_HEIGHT, (p, d) -> daemon.cachedHeight(d));
    ops.put(Actions.BLOCK_HEX_HASHES, (p, d) -> daemon.blockHexHashes(
        p.get(ActionParam.FIRST), p.get(ActionParam.COUNT), d));
    ops.put(Actions.DESERIALISED_BLOCK, (p, d) ->
        daemon.deserialisedBlock(p.get(ActionParam.HASH), d));
    ops.put(Actions.RAW_BLOCKS, (p, d) -> daemon.rawBlocks(p.get(ActionParam.HASHES), d));
    ops.put(Actions.MEMPOOL_HASHES, (p, d) -> daemon.mempoolHashes(d));
    ops.put(Actions.ESTIMATE_FEE, (p, d) -> daemon.estimateFee(
        p.get(ActionParam.BLOCKS), p.get(ActionParam.MODE), d));
    ops.put(Actions.RELAY_FEE, (p, d) -> daemon.relayFee(d));
    ops.put(Actions.NETWORK_INFO, (p, d) -> daemon.networkInfo(d));
    ops.put(Actions.MEMPOOL_INFO, (p, d) -> daemon.mempoolInfo(d));
    ops.put(Actions.INDEX_INFO, (p, d) -> daemon.indexInfo(d));
    ops.put(Actions.GET_RAW_TRANSACTION, (p, d) -> daemon.getRawTransaction(
        p.get(ActionParam.TXID), p.get(ActionParam.VERBOSE), d));
    ops.put(Actions.GET_RAW_TRANSACTIONS, (p, d) -> daemon.getRawTransactions(
        p.get(ActionParam.TXIDS), p.get(ActionParam.REPLACE_ERRORS), d));
    ops.put(Actions.TX_SPENDING_PREVOUT, (p, d) -> daemon.txSpendingPrevout(
        p.get(ActionParam.TXID), p.get(ActionParam.VOUT), d));
    ops.put(Actions.BROADCAST_TRANSACTION, (p, d) ->
        daemon.broadcastTransaction(p.get(ActionParam.RAW_TX), d));
    ops.put(Actions.BROADCAST_PACKAGE, (p, d) ->
        daemon.broadcastPackage(p.get(ActionParam.RAW_TXS), d));
    ops.put(Actions.TEST_MEMPOOL_ACCEPT, (p, d) ->
        daemon.testMempoolAccept(p.get(ActionParam.RAW_TXS), d));
    for (String action : daemon.passThroughActions().keySet()) {
      ops.put(action, (p, d) -> daemon.passThrough(action, p.get(ActionParam.PARAMS), d));
    }
    ops.put(Actions.STATUS, (p, d) -> status.get());

    Map<String, Action> table = new LinkedHashMap<>();
    for (ActionSpec spec : Actions.SPECS) {
      Operation op = ops.remove(spec.name());
      boolean served = spec.servedBy(daemon.kind());
      if (served != (op != null)) {
        throw new IllegalStateException("action " + spec.name() + " is declared "
            + (served ? "" : "not ") + "served by kind " + daemon.kind().configName()
            + ", which " + (op == null ? "has no operation for it" : "has one"));
      }
      if (served) {
        table.put(spec.name(), (params, deadline) ->
            op.apply(params.check(spec, maxBatch), deadline));
      }
    }
    if (!ops.isEmpty()) {
      throw new IllegalStateException("operations for undeclared actions: " + ops.keySet());
    }
    return table;
  }

  /** A kind's operation called with the checked parameters of its action. */
  private interface Operation extends BiFunction<CheckedParams, Deadline, Future<?>> {
  }
}
