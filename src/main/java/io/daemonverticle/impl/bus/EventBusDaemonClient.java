package io.daemonverticle.impl.bus;

import io.daemonverticle.ActionParam;
import io.daemonverticle.Actions;
import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.TipUpdate;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** {@link DaemonClient} over the event-bus contract. */
public final class EventBusDaemonClient implements DaemonClient {

  /** How long past the service's own deadline the event bus waits for its answer. */
  private static final long REPLY_SLACK_MS = 5_000;

  private final Vertx vertx;
  private final String address;
  private final long timeoutMs;

  /** {@code timeoutMs} 0: the service's own requestTimeoutMs. */
  public EventBusDaemonClient(Vertx vertx, String address, long timeoutMs) {
    if (timeoutMs < 0 || timeoutMs > Actions.MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException("timeoutMs must be between 1 and "
          + Actions.MAX_TIMEOUT_MS + ", not " + timeoutMs);
    }
    this.vertx = vertx;
    this.address = address;
    this.timeoutMs = timeoutMs;
    // rawBlocks replies from a service on another node then come with one copy fewer.
    BusCodecs.registerOn(vertx.eventBus());
  }

  @Override
  public Future<Integer> height() {
    return send(Actions.HEIGHT, null).map(v -> ((Number) v).intValue());
  }

  @Override
  public Future<Integer> cachedHeight() {
    return send(Actions.CACHED_HEIGHT, null).map(v -> v == null ? null : ((Number) v).intValue());
  }

  @Override
  public Future<List<String>> blockHexHashes(int first, int count) {
    return send(Actions.BLOCK_HEX_HASHES, ActionParam.COUNT.put(ActionParam.FIRST.put(new JsonObject(), first), count))
        .map(EventBusDaemonClient::strings);
  }

  @Override
  public Future<JsonObject> deserialisedBlock(String hash) {
    return send(Actions.DESERIALISED_BLOCK, ActionParam.HASH.put(new JsonObject(), hash))
        .map(JsonObject.class::cast);
  }

  @Override
  public Future<List<Buffer>> rawBlocks(List<String> hashes) {
    return send(Actions.RAW_BLOCKS, ActionParam.HASHES.put(new JsonObject(), hashes)).map(body -> BlockFrames.read((Buffer) body));
  }

  @Override
  public Future<List<String>> mempoolHashes() {
    return send(Actions.MEMPOOL_HASHES, null).map(EventBusDaemonClient::strings);
  }

  @Override
  public Future<Double> estimateFee(int blocks, String mode) {
    JsonObject body = ActionParam.MODE.put(ActionParam.BLOCKS.put(new JsonObject(), blocks),
        mode);
    return send(Actions.ESTIMATE_FEE, body).map(v -> ((Number) v).doubleValue());
  }

  @Override
  public Future<Double> relayFee() {
    return send(Actions.RELAY_FEE, null).map(v -> ((Number) v).doubleValue());
  }

  @Override
  public Future<JsonObject> networkInfo() {
    return send(Actions.NETWORK_INFO, null).map(JsonObject.class::cast);
  }

  @Override
  public Future<JsonObject> mempoolInfo() {
    return send(Actions.MEMPOOL_INFO, null).map(JsonObject.class::cast);
  }

  @Override
  public Future<JsonObject> indexInfo() {
    return send(Actions.INDEX_INFO, null).map(JsonObject.class::cast);
  }

  @Override
  public Future<String> getRawTransaction(String txid) {
    return send(Actions.GET_RAW_TRANSACTION, ActionParam.TXID.put(new JsonObject(), txid))
        .map(String.class::cast);
  }

  @Override
  public Future<JsonObject> getRawTransactionVerbose(String txid) {
    return send(Actions.GET_RAW_TRANSACTION, ActionParam.VERBOSE.put(ActionParam.TXID.put(
        new JsonObject(), txid), true)).map(JsonObject.class::cast);
  }

  @Override
  public Future<List<String>> getRawTransactions(List<String> txids) {
    return send(Actions.GET_RAW_TRANSACTIONS, ActionParam.TXIDS.put(new JsonObject(), txids)).map(EventBusDaemonClient::strings);
  }

  @Override
  public Future<JsonObject> txSpendingPrevout(String txid, int vout) {
    return send(Actions.TX_SPENDING_PREVOUT, ActionParam.VOUT.put(ActionParam.TXID.put(
        new JsonObject(), txid), vout))
        .map(JsonObject.class::cast);
  }

  @Override
  public Future<String> broadcastTransaction(String rawTx) {
    return send(Actions.BROADCAST_TRANSACTION, ActionParam.RAW_TX.put(new JsonObject(), rawTx))
        .map(String.class::cast);
  }

  @Override
  public Future<JsonObject> broadcastPackage(List<String> rawTxs) {
    return send(Actions.BROADCAST_PACKAGE, ActionParam.RAW_TXS.put(new JsonObject(), rawTxs)).map(JsonObject.class::cast);
  }

  @Override
  public Future<JsonArray> testMempoolAccept(List<String> rawTxs) {
    return send(Actions.TEST_MEMPOOL_ACCEPT, ActionParam.RAW_TXS.put(new JsonObject(), rawTxs)).map(JsonArray.class::cast);
  }

  @Override
  public Future<JsonObject> status() {
    return send(Actions.STATUS, null).map(JsonObject.class::cast);
  }

  @Override
  public Future<Object> request(String action, JsonObject body) {
    return send(action, body);
  }

  private Future<Object> send(String action, JsonObject body) {
    DeliveryOptions delivery = ReplyBufferCodec.askFor(action,
        new DeliveryOptions().addHeader(Actions.HEADER, action).setSendTimeout(busTimeoutMs()));
    if (timeoutMs > 0) {
      delivery.addHeader(Actions.TIMEOUT_HEADER, Long.toString(timeoutMs));
    }
    return LocalServices.request(vertx, address, body, delivery)
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body())
            : Future.failedFuture(DaemonException.fromReply(ar.cause())));
  }

  /**
   * How long the event bus waits for the service's answer. Without a deadline of its own the
   * client cannot know the service's requestTimeoutMs (anything up to MAX_TIMEOUT_MS), so it
   * waits as long as any service may take: the service answers by its own deadline, and this
   * bound only ends the wait for a service that vanished with the request.
   */
  long busTimeoutMs() {
    return (timeoutMs > 0 ? timeoutMs : Actions.MAX_TIMEOUT_MS) + REPLY_SLACK_MS;
  }

  private static List<String> strings(Object body) {
    JsonArray array = (JsonArray) body;
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getString(i));
    }
    return out;
  }

  @Override
  public MessageConsumer<JsonObject> tips(Handler<TipUpdate> handler) {
    SeenTips seen = new SeenTips();
    return vertx.eventBus().consumer(address + Actions.TIP_TOPIC_SUFFIX, message -> {
      TipUpdate update;
      try {
        update = TipUpdate.fromJson(message.body());
      } catch (IllegalArgumentException | ClassCastException e) {
        // Anyone may publish on the topic: what is not a tip update is not handed on.
        return;
      }
      if (seen.firstTime(update.seq(), update.hash())) {
        handler.handle(update);
      }
    });
  }
}
