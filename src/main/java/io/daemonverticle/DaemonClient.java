package io.daemonverticle;

import io.daemonverticle.impl.bus.EventBusDaemonClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A typed client of a {@link DaemonVerticle} for other verticles, on this node or anywhere in
 * the cluster. Every call returns a {@code Future}; every failure is a {@link DaemonException}
 * (a {@code ReplyException} with the contract's code as its failure code, and
 * {@link DaemonException#debugInfo()}), a {@link DaemonRpcException} for the daemon's own
 * JSON-RPC errors.
 *
 * <p>Each request is answered by the service's deadline: its {@code requestTimeoutMs}, or the
 * client's own timeout when created with one. The client waits for that answer; only a service
 * that is not on the event bus, or vanished with the request, fails the call with 503 from the
 * client side (failure type {@code NO_HANDLERS} or {@code TIMEOUT}).
 */
public interface DaemonClient {

  /**
   * A client of the service at {@code address}; each request has the service's own deadline
   * ({@code requestTimeoutMs}, whatever it is configured to).
   *
   * @param vertx the Vert.x instance whose event bus reaches the service
   * @param address the service's event-bus address ({@code address} in its config)
   * @return the client
   */
  static DaemonClient create(Vertx vertx, String address) {
    return new EventBusDaemonClient(vertx, address, 0);
  }

  /**
   * A client whose every request asks for this deadline (the {@code timeout-ms} header) instead
   * of the service's own.
   *
   * @param vertx the Vert.x instance whose event bus reaches the service
   * @param address the service's event-bus address
   * @param timeoutMs the deadline of each request, 1 to {@link Actions#MAX_TIMEOUT_MS}
   * @return the client
   * @throws IllegalArgumentException when {@code timeoutMs} is out of that range
   */
  static DaemonClient create(Vertx vertx, String address, long timeoutMs) {
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be between 1 and "
          + Actions.MAX_TIMEOUT_MS + ", not " + timeoutMs);
    }
    return new EventBusDaemonClient(vertx, address, timeoutMs);
  }

  /**
   * The daemon's block count ({@code getblockcount}); also updates the shared cached height.
   *
   * @return the height
   */
  Future<Integer> height();

  /**
   * The last height any node saw, without asking the daemon.
   *
   * @return the height, or null when none has asked yet
   */
  Future<Integer> cachedHeight();

  /**
   * The hashes of {@code count} blocks from height {@code first}.
   *
   * @param first the first height, not negative
   * @param count how many, at most {@code maxBatch}
   * @return the hex hashes, in height order
   */
  Future<List<String>> blockHexHashes(int first, int count);

  /**
   * The block as the daemon describes it (verbose {@code getblock}).
   *
   * @param hash the block hash, 64 hex characters
   * @return the daemon's JSON object
   */
  Future<JsonObject> deserialisedBlock(String hash);

  /**
   * The raw blocks.
   *
   * @param hashes block hashes, at most {@code maxBatch}
   * @return each block's bytes, in the order of the hashes
   */
  Future<List<Buffer>> rawBlocks(List<String> hashes);

  /**
   * The txids in the daemon's mempool.
   *
   * @return the txids
   */
  Future<List<String>> mempoolHashes();

  /**
   * The fee rate for confirmation within {@code blocks} blocks.
   *
   * @param blocks the target, in blocks
   * @param mode {@code estimatesmartfee}'s mode ("ECONOMICAL", "CONSERVATIVE"), or null
   * @return coin units per kB; -1 when the daemon has no estimate
   */
  Future<Double> estimateFee(int blocks, String mode);

  /**
   * The daemon's minimum relay fee.
   *
   * @return coin units per kB
   */
  Future<Double> relayFee();

  /**
   * {@code getnetworkinfo}, at most {@code cacheTtlMs} old, shared across the cluster.
   *
   * @return the daemon's JSON object
   */
  Future<JsonObject> networkInfo();

  /**
   * {@code getmempoolinfo}, at most {@code cacheTtlMs} old, shared across the cluster.
   *
   * @return the daemon's JSON object
   */
  Future<JsonObject> mempoolInfo();

  /**
   * {@code getindexinfo}.
   *
   * @return the daemon's JSON object
   */
  Future<JsonObject> indexInfo();

  /**
   * One transaction's raw bytes.
   *
   * @param txid the txid, 64 hex characters
   * @return the transaction as hex
   */
  Future<String> getRawTransaction(String txid);

  /**
   * One transaction as the daemon describes it (verbose {@code getrawtransaction}).
   *
   * @param txid the txid, 64 hex characters
   * @return the daemon's JSON object
   */
  Future<JsonObject> getRawTransactionVerbose(String txid);

  /**
   * Several transactions' raw bytes, in one batch.
   *
   * @param txids the txids, at most {@code maxBatch}
   * @return hex of each transaction, in order; null for those the daemon could not give
   */
  Future<List<String>> getRawTransactions(List<String> txids);

  /**
   * What spends an output ({@code gettxspendingprevout}).
   *
   * @param txid the output's transaction
   * @param vout the output's index
   * @return the daemon's JSON object
   */
  Future<JsonObject> txSpendingPrevout(String txid, int vout);

  /**
   * Sends a transaction to the network ({@code sendrawtransaction}).
   *
   * @param rawTx the transaction as hex
   * @return the txid
   */
  Future<String> broadcastTransaction(String rawTx);

  /**
   * Sends a package of transactions ({@code submitpackage}).
   *
   * @param rawTxs the transactions as hex
   * @return the daemon's answer
   */
  Future<JsonObject> broadcastPackage(List<String> rawTxs);

  /**
   * Whether the mempool would accept these transactions ({@code testmempoolaccept}).
   *
   * @param rawTxs the transactions as hex
   * @return the daemon's answer, one object per transaction
   */
  Future<JsonArray> testMempoolAccept(List<String> rawTxs);

  /**
   * Which instance answered, its URLs (without credentials) and circuits, queues and counters.
   *
   * @return the status object of the contract
   */
  Future<JsonObject> status();

  /**
   * Any action by name with a JSON body, for the variant actions (masternodeList, protx, …).
   *
   * @param action the action name (see {@link Actions})
   * @param body its parameters, or null
   * @return the reply body as the service sent it
   */
  Future<Object> request(String action, JsonObject body);

  /**
   * Follows the daemon's best block: {@code handler} is given each publication of
   * {@code <address>.tip}, in order, from whichever node of the cluster follows the tip (see
   * {@link TipUpdate}). Nothing is asked of the service; a publication that is no tip update
   * is skipped, and so is one given already (same seq and hash: a node taking the tip over
   * publishes again what the last one may not have published).
   *
   * @param handler called on this caller's context for each update
   * @return the consumer: its {@code completion()} says when it is registered (across the
   *     cluster), {@code unregister()} stops the updates
   */
  MessageConsumer<JsonObject> tips(Handler<TipUpdate> handler);
}
