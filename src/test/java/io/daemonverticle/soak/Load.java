package io.daemonverticle.soak;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The soak's consumer: keeps {@code concurrency} requests in flight, each with the service
 * deadline {@link #DEADLINE_MS} in its timeout header, until stopped: one in
 * {@link #HTTP_SHARE} through a service JVM's HTTP front ({@code POST /actions/{action}}), the
 * others on the clustered event bus (the service JVMs share one address, so the bus spreads
 * them). The mix: heights
 * (live and cached), block hashes, raw blocks, raw transactions, fees, network and mempool
 * info, and broadcasts of a coinbase already in the chain, which the daemon refuses: its
 * refusal (422) is the answer expected there.
 */
final class Load {

  static final long DEADLINE_MS = 20_000;
  /**
   * The event bus gives up this long after the deadline: a reply that never comes shows as
   * the bus's TIMEOUT (unanswered), not as a wait without end.
   */
  static final long BUS_SLACK_MS = 10_000;

  /** One request in this many goes through an HTTP front. */
  static final int HTTP_SHARE = 4;

  /** The actions and their weights in the mix. */
  private static final String[] MIX = {
      Actions.HEIGHT, Actions.HEIGHT, Actions.CACHED_HEIGHT, Actions.CACHED_HEIGHT,
      Actions.BLOCK_HEX_HASHES, Actions.RAW_BLOCKS, Actions.RAW_BLOCKS,
      Actions.GET_RAW_TRANSACTIONS, Actions.GET_RAW_TRANSACTIONS, Actions.ESTIMATE_FEE,
      Actions.RELAY_FEE, Actions.NETWORK_INFO, Actions.MEMPOOL_INFO,
      Actions.BROADCAST_TRANSACTION};

  /** One request: sent at {@code sentNanos}; {@code doneNanos} 0 while unanswered. */
  static final class Call {
    final String action;
    final long sentNanos;
    /** Sent through an HTTP front, not the event bus. */
    final boolean http;
    volatile long doneNanos;
    volatile boolean ok;
    /** The failure's code (DaemonException codes), or the bus's failure type. */
    volatile String failure;
    volatile String message;

    Call(String action, long sentNanos, boolean http) {
      this.action = action;
      this.sentNanos = sentNanos;
      this.http = http;
    }
  }

  /** What the requests ask about: from the chain as it was when the soak began. */
  record Chain(List<String> blockHashes, List<String> txids, List<String> rawTxs) {
  }

  private final Vertx vertx;
  private final String address;
  private final Chain chain;
  private final int concurrency;
  private final WebClient web;
  private final List<Integer> httpPorts;
  private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
  private volatile boolean running;

  /** @param httpPorts the service JVMs' HTTP fronts, taken in turn for the HTTP share */
  Load(Vertx vertx, String address, Chain chain, int concurrency, List<Integer> httpPorts) {
    this.vertx = vertx;
    this.address = address;
    this.chain = chain;
    this.concurrency = concurrency;
    this.httpPorts = List.copyOf(httpPorts);
    // One connection per request in flight at most, kept alive: a reload must not cut them.
    this.web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
  }

  void start() {
    running = true;
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext((Void v) -> next());
    }
  }

  /** No new requests from now; those in flight go on. */
  void stop() {
    running = false;
  }

  List<Call> calls() {
    return new ArrayList<>(calls);
  }

  long unanswered() {
    return calls.stream().filter((Call c) -> c.doneNanos == 0).count();
  }

  private void next() {
    if (!running) {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String action = MIX[random.nextInt(MIX.length)];
    if (!httpPorts.isEmpty() && random.nextInt(HTTP_SHARE) == 0) {
      overHttp(action, httpPorts.get(random.nextInt(httpPorts.size())));
      return;
    }
    Call call = new Call(action, System.nanoTime(), false);
    calls.add(call);
    DeliveryOptions delivery = new DeliveryOptions().addHeader(Actions.HEADER, action)
        .addHeader(Actions.TIMEOUT_HEADER, Long.toString(DEADLINE_MS))
        .setSendTimeout(DEADLINE_MS + BUS_SLACK_MS);
    vertx.eventBus().request(address, body(action), delivery)
        .onComplete((AsyncResult<Message<Object>> ar) -> {
      call.doneNanos = System.nanoTime();
      if (ar.succeeded()) {
        call.ok = true;
      } else if (ar.cause() instanceof ReplyException re
          && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        call.failure = Integer.toString(re.failureCode());
        call.message = re.getMessage();
        // The daemon's refusal of a transaction already in the chain is its answer.
        call.ok = action.equals(Actions.BROADCAST_TRANSACTION)
            && re.failureCode() == DaemonException.DAEMON_ERROR;
      } else if (ar.cause() instanceof ReplyException re) {
        call.failure = re.failureType().name();
        call.message = re.getMessage();
      } else {
        call.failure = ar.cause().getClass().getSimpleName();
        call.message = ar.cause().getMessage();
      }
      next();
    });
  }

  /**
   * The same request through an HTTP front: 200 is an answer; any other status is the
   * failure code the front or the service gave (the body says which); no response at all is
   * the client's failure.
   */
  private void overHttp(String action, int port) {
    Call call = new Call(action, System.nanoTime(), true);
    calls.add(call);
    JsonObject body = body(action);
    HttpRequest<Buffer> request = web.post(port, "127.0.0.1", "/actions/" + action)
        .putHeader(Actions.TIMEOUT_HEADER, Long.toString(DEADLINE_MS))
        .timeout(DEADLINE_MS + BUS_SLACK_MS);
    (body == null ? request.send() : request.sendJsonObject(body))
        .onComplete((AsyncResult<HttpResponse<Buffer>> ar) -> {
      call.doneNanos = System.nanoTime();
      if (ar.failed()) {
        call.failure = ar.cause().getClass().getSimpleName();
        call.message = ar.cause().getMessage();
      } else if (ar.result().statusCode() == 200) {
        call.ok = true;
      } else {
        int status = ar.result().statusCode();
        call.failure = Integer.toString(status);
        call.message = ar.result().bodyAsString();
        call.ok = action.equals(Actions.BROADCAST_TRANSACTION)
            && status == DaemonException.DAEMON_ERROR;
      }
      next();
    });
  }

  private JsonObject body(String action) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<String> hashes = chain.blockHashes();
    switch (action) {
      case Actions.BLOCK_HEX_HASHES:
        int count = 1 + random.nextInt(10);
        return new JsonObject().put("first", random.nextInt(hashes.size() - count))
            .put("count", count);
      case Actions.RAW_BLOCKS:
        return new JsonObject().put("hashes", new JsonArray(pick(hashes, 1 + random.nextInt(3))));
      case Actions.GET_RAW_TRANSACTIONS:
        return new JsonObject().put("txids",
            new JsonArray(pick(chain.txids(), 1 + random.nextInt(5))));
      case Actions.ESTIMATE_FEE:
        return new JsonObject().put("blocks", 1 + random.nextInt(10));
      case Actions.BROADCAST_TRANSACTION:
        return new JsonObject().put("rawTx", pick(chain.rawTxs(), 1).get(0));
      default:
        return null;
    }
  }

  private static List<String> pick(List<String> from, int n) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picked.add(from.get(ThreadLocalRandom.current().nextInt(from.size())));
    }
    return picked;
  }
}
