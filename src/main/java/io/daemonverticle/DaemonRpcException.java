package io.daemonverticle;

import io.daemonverticle.impl.config.Secrets;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The daemon answered with a JSON-RPC error (ElectrumX's {@code DaemonError}): never retried,
 * answered 422 with the error as the daemon gave it, or an array of them for a batch. The
 * error is also the {@link #debugInfo()}: {@code {"code", "message"}}, or {@code {"errors": [...]}}
 * for a batch. Its strings are masked ({@code impl.config.Secrets}): a daemon or a proxy may
 * repeat a credential in its error.
 */
public final class DaemonRpcException extends DaemonException {

  /** The daemon's error object, or a JsonArray of them for a batch; masked. */
  private final Object error;

  private DaemonRpcException(Object error) {
    super(ReplyFailure.RECIPIENT_FAILURE, DAEMON_ERROR, Json.encode(error),
        error instanceof JsonObject o ? o : new JsonObject().put("errors", error));
    this.error = error;
  }

  /**
   * The daemon's error for one request, its strings masked.
   *
   * @param error one JSON-RPC error object {@code {"code":…,"message":…}}
   * @return the exception carrying it
   */
  public static DaemonRpcException of(JsonObject error) {
    return new DaemonRpcException(Secrets.redactor().redactJson(error));
  }

  /**
   * The daemon's errors for a batch, their strings masked.
   *
   * @param errors the errors of a batch, in request order
   * @return the exception carrying them
   */
  public static DaemonRpcException of(JsonArray errors) {
    return new DaemonRpcException(Secrets.redactor().redactJson(errors));
  }

  static DaemonRpcException fromText(String text) {
    try {
      Object decoded = Json.decodeValue(text);
      if (decoded instanceof JsonObject o) {
        return of(o);
      }
      if (decoded instanceof JsonArray a) {
        return of(a);
      }
    } catch (DecodeException e) {
      // fall through: not JSON, keep the text as the message
    }
    return of(new JsonObject().put("code", null).put("message", text));
  }

  /** {@return the JSON-RPC error code, or null for a batch of errors} */
  public Integer rpcCode() {
    return error instanceof JsonObject o ? o.getInteger("code") : null;
  }

  /** {@return the JSON-RPC error message, or null for a batch of errors} */
  public String rpcMessage() {
    return error instanceof JsonObject o ? o.getString("message") : null;
  }

  /** {@return a copy of the daemon's error object, or a JsonArray of them for a batch} */
  public Object error() {
    return error instanceof JsonObject o ? o.copy() : ((JsonArray) error).copy();
  }

  /** {@return true for a batch whose items failed} */
  public boolean isBatch() {
    return error instanceof JsonArray;
  }
}
