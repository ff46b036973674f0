package io.daemonverticle.impl.jsonrpc;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.config.Secrets;
import io.daemonverticle.impl.resilience.AttemptCount;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.resilience.RetryLoop;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-RPC layer: single and batch calls (ElectrumX's {@code _send_single} and {@code _send_vector}):
 * builds the payload with ids from one counter, and turns the reply into results. Warming up
 * (-28) and parse errors (-32700) are transient; any other JSON-RPC error is the daemon's
 * answer. Batch replies are matched to requests by id, never by position.
 */
public final class JsonRpc {

  public static final int WARMING_UP = -28;
  public static final int PARSE_ERROR = -32700;
  public static final int METHOD_NOT_FOUND = -32601;

  private final RetryLoop retryLoop;
  private long nextId;

  public JsonRpc(RetryLoop retryLoop) {
    this.retryLoop = retryLoop;
  }

  /**
   * Counts a request given up at its deadline by a wait in front of this client (a shared
   * probe) with the retry loop's own 503s, so that the status counter sees every 503.
   */
  public void recordUnavailable() {
    retryLoop.recordUnavailable();
  }

  /** One call; its JSON-RPC error fails the future with {@link DaemonRpcException}. */
  public Future<Object> call(RpcCall call, Deadline deadline) {
    long id = nextId++;
    return retryLoop.send(RpcPayload.single(call, id), reply -> single(reply, id), deadline,
        call.readOnly());
  }

  /**
   * As {@link #call(RpcCall, Deadline)}, counting in {@code attempts} the attempts sent: a
   * caller may tell the daemon's answer to a retry from its answer to a first attempt.
   */
  public Future<Object> call(RpcCall call, Deadline deadline, AttemptCount attempts) {
    long id = nextId++;
    return retryLoop.send(RpcPayload.single(call, id), reply -> single(reply, id), deadline,
        call.readOnly(), attempts);
  }

  public Future<Object> call(String method, Deadline deadline, Object... params) {
    return call(RpcCall.of(method, params), deadline);
  }

  /**
   * Many calls in one HTTP request; the results come in request order, each with its result
   * or its error. An empty batch sends nothing.
   */
  public Future<List<RpcResult>> batch(List<RpcCall> calls, Deadline deadline) {
    if (calls.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long firstId = nextId;
    nextId += calls.size();
    boolean readOnly = true;
    for (RpcCall call : calls) {
      readOnly &= call.readOnly();
    }
    return retryLoop.send(RpcPayload.batch(calls, firstId),
        reply -> batchReply(reply, firstId, calls.size()), deadline, readOnly);
  }

  /**
   * A batch sent once to one given URL (see {@link RetryLoop#once}): the service's checks and
   * polls of each URL. Not retried: a failure is the URL's, for the caller to judge.
   */
  public Future<List<RpcResult>> batchAt(DaemonUrl url, List<RpcCall> calls, long timeoutMs) {
    long firstId = nextId;
    nextId += calls.size();
    return retryLoop.once(url, RpcPayload.batch(calls, firstId),
        reply -> batchReply(reply, firstId, calls.size()), timeoutMs);
  }

  /**
   * Reserves {@code count} consecutive request ids, the first returned: every payload sent
   * through this client (a hex batch's too) carries ids from the one counter, so a reply can
   * always be matched to what was asked.
   */
  public long reserveIds(int count) {
    long first = nextId;
    nextId += count;
    return first;
  }

  /**
   * The results, or for any item that failed a {@link DaemonRpcException} holding all the
   * errors (ElectrumX's batch without replace_errs).
   */
  public static List<Object> resultsOrFail(List<RpcResult> results) {
    JsonArray errors = new JsonArray();
    List<Object> values = new ArrayList<>(results.size());
    for (RpcResult r : results) {
      if (r.failed()) {
        errors.add(r.error());
      }
      values.add(r.result());
    }
    if (!errors.isEmpty()) {
      throw DaemonRpcException.of(errors);
    }
    return values;
  }

  /**
   * A single reply must be JSON-RPC: our id with a {@code result} or an {@code error}.
   * Anything else (a proxy's or provider's own JSON, another request's answer) is a
   * transient failure, never a success with a null result.
   */
  static Object single(Object reply, long id) {
    if (!(reply instanceof JsonObject object)) {
      throw notJsonRpc("daemon reply to a single request is not a JSON object");
    }
    JsonObject error = errorOf(object);
    Object replyId = object.getValue("id");
    if (error != null && (replyId == null || isId(replyId, id))) {
      // bitcoind answers a request it could not read with a null id.
      throw failureOf(error);
    }
    if (!isId(replyId, id)) {
      throw notJsonRpc("daemon reply carries id " + replyId + ", not the request's " + id);
    }
    if (!object.containsKey("result")) {
      throw notJsonRpc("daemon reply has neither result nor error");
    }
    return object.getValue("result");
  }

  /**
   * A batch reply must be a JSON array answering each id from {@code firstId} exactly once,
   * each item with a {@code result} or an {@code error}: anything else is a transient failure,
   * as is a warming-up or parse error of any item. Another error is that item's answer.
   */
  static List<RpcResult> batchReply(Object reply, long firstId, int count) {
    if (!(reply instanceof JsonArray array)) {
      if (reply instanceof JsonObject object && errorOf(object) != null) {
        // Some daemons answer a whole batch with one error (e.g. warming up).
        throw failureOf(errorOf(object));
      }
      throw new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
          "daemon reply to a batch is not a JSON array");
    }
    Map<Long, RpcResult> byId = new HashMap<>(count * 2);
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof JsonObject object) || !(object.getValue("id") instanceof Number n)
          || !isId(n, n.longValue())) {
        throw notJsonRpc("daemon batch reply has an item without a whole-number id");
      }
      long itemId = n.longValue();
      if (itemId < firstId || itemId >= firstId + count) {
        throw notJsonRpc("daemon batch reply has an answer to id " + itemId
            + ", which this batch did not ask");
      }
      JsonObject error = errorOf(object);
      if (error != null) {
        Integer code = error.getValue("code") instanceof Number c ? c.intValue() : null;
        if (code != null && (code == WARMING_UP || code == PARSE_ERROR)) {
          throw failureOf(error);
        }
      } else if (!object.containsKey("result")) {
        throw notJsonRpc("daemon batch reply item " + itemId + " has neither result nor error");
      }
      if (byId.put(itemId, new RpcResult(object.getValue("result"), error)) != null) {
        throw notJsonRpc("daemon batch reply answers id " + itemId + " twice");
      }
    }
    List<RpcResult> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      RpcResult result = byId.get(firstId + i);
      if (result == null) {
        throw notJsonRpc("daemon batch reply lacks the answer to request id " + (firstId + i));
      }
      results.add(result);
    }
    return results;
  }

  private static boolean isId(Object value, long id) {
    return value instanceof Number n && n.doubleValue() == id;
  }

  private static TransientFailure notJsonRpc(String message) {
    return new TransientFailure(TransientFailure.Kind.PARSE_ERROR, message);
  }

  private static JsonObject errorOf(JsonObject reply) {
    Object error = reply.getValue("error");
    if (error == null) {
      return null;
    }
    if (error instanceof JsonObject object) {
      return object;
    }
    return new JsonObject().put("code", null).put("message", String.valueOf(error));
  }

  public static RuntimeException failureOf(JsonObject error) {
    Object code = error.getValue("code");
    boolean warmingUp = code instanceof Number n && n.intValue() == WARMING_UP;
    if (!warmingUp && !(code instanceof Number n && n.intValue() == PARSE_ERROR)) {
      return PrunedBlock.failure(error);
    }
    // Retried, so repeated in a 503 and logged: the daemon's words, masked and bounded.
    String message = Secrets.daemonText(String.valueOf(error.getValue("message")));
    return warmingUp
        ? new TransientFailure(TransientFailure.Kind.WARMING_UP, "warming up: " + message)
        : new TransientFailure(TransientFailure.Kind.PARSE_ERROR, "parse error: " + message);
  }
}
