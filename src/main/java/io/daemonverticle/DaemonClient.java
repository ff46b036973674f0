package io.daemonverticle;

import io.daemonverticle.impl.bus.EventBusDaemonClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A typed client of a {@link DaemonVerticle} for other verticles, on this node or anywhere in
 * the cluster. Every failure is a {@link DaemonException} carrying the contract's code
 * ({@link DaemonRpcException} for the daemon's own JSON-RPC errors).
 */
public interface DaemonClient {

  /** A client of the service at {@code address} with the service's default timeout. */
  static DaemonClient create(Vertx vertx, String address) {
    return new EventBusDaemonClient(vertx, address, 0);
  }

  /** A client whose every request asks for this deadline (the timeout-ms header). */
  static DaemonClient create(Vertx vertx, String address, long timeoutMs) {
    return new EventBusDaemonClient(vertx, address, timeoutMs);
  }

  Future<Integer> height();

  /** The last height any node saw, or null when none has asked yet. */
  Future<Integer> cachedHeight();

  Future<List<String>> blockHexHashes(int first, int count);

  Future<JsonObject> deserialisedBlock(String hash);

  /** The raw blocks, in the order of the hashes. */
  Future<List<Buffer>> rawBlocks(List<String> hashes);

  Future<List<String>> mempoolHashes();

  /** Coin units per kB; -1 when the daemon has no estimate. */
  Future<Double> estimateFee(int blocks, String mode);

  Future<Double> relayFee();

  Future<JsonObject> networkInfo();

  Future<JsonObject> mempoolInfo();

  Future<JsonObject> indexInfo();

  Future<String> getRawTransaction(String txid);

  Future<JsonObject> getRawTransactionVerbose(String txid);

  /** Hex of each transaction, null for those the daemon could not give. */
  Future<List<String>> getRawTransactions(List<String> txids);

  Future<JsonObject> txSpendingPrevout(String txid, int vout);

  /** The txid. */
  Future<String> broadcastTransaction(String rawTx);

  Future<JsonObject> broadcastPackage(List<String> rawTxs);

  Future<JsonArray> testMempoolAccept(List<String> rawTxs);

  Future<JsonObject> status();

  /**
   * Any action by name with a JSON body, for the variant actions (masternodeList, protx, …);
   * the reply body as the service sent it.
   */
  Future<Object> request(String action, JsonObject body);
}
