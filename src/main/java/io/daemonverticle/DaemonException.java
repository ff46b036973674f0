package io.daemonverticle;

import io.daemonverticle.impl.config.Secrets;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A failed daemon request, as the service answers it: a failure code from the contract and a
 * text that never contains credentials. The service answers it as {@code message.fail(code,
 * text)}; {@link #fromReply(Throwable)} turns the caller's {@code ReplyException} back into
 * this type.
 *
 * <p>It is itself a {@link ReplyException} of the same failure type, code and text (the shape
 * of vertx-service-proxy's {@code ServiceException}), so code written for raw event-bus
 * replies handles typed-client failures unchanged; {@link #debugInfo()} adds what the text
 * says as JSON (the daemon's JSON-RPC error for a 422). Nothing extra travels on the wire:
 * any event-bus caller, in any language, reads the same code and text.
 */
public class DaemonException extends ReplyException {

  /** A parameter is missing, of the wrong type or out of range; nothing was sent. */
  public static final int BAD_REQUEST = 400;
  /** Unknown action, or one the configured daemon kind does not have. */
  public static final int NOT_FOUND = 404;
  /** The daemon answered with a JSON-RPC error; see {@link DaemonRpcException}. */
  public static final int DAEMON_ERROR = 422;
  /** More requests are waiting than the service queues; nothing was sent. */
  public static final int BUSY = 429;
  /** The request's deadline passed while the daemon was unreachable or not ready. */
  public static final int UNAVAILABLE = 503;

  /** What {@link #debugInfo()} returns a copy of; never null. */
  private final JsonObject debugInfo;

  /**
   * A failure the service answers with this code and text.
   *
   * @param code one of the contract's codes (400, 404, 422, 429, 503)
   * @param message the text; any credential the process knows, Authorization value or URL
   *     user info in it is masked
   */
  public DaemonException(int code, String message) {
    this(ReplyFailure.RECIPIENT_FAILURE, code, Secrets.mask(message), null);
  }

  /**
   * A failure of the given event-bus type.
   *
   * @param type {@code RECIPIENT_FAILURE} when the service answered it; {@code NO_HANDLERS}
   *     or {@code TIMEOUT} when the event bus did
   * @param code one of the contract's codes
   * @param message the text, free of credentials: masked by the caller (a JSON text must be
   *     masked string by string, not as text)
   * @param debugInfo details as JSON, or null for none
   */
  protected DaemonException(ReplyFailure type, int code, String message, JsonObject debugInfo) {
    // No stack trace: these are answers, made often, not bugs.
    super(type, code, message, true);
    this.debugInfo = debugInfo == null ? new JsonObject() : debugInfo.copy();
  }

  /**
   * The contract's failure code, the same as {@link #failureCode()}.
   *
   * @return 400, 404, 422, 429 or 503
   */
  public int code() {
    return failureCode();
  }

  /**
   * Details of the failure as JSON, as vertx-service-proxy's {@code ServiceException} has them:
   * the daemon's JSON-RPC error ({@code {"code", "message"}}) for a 422, {@code {"errors": [...]}}
   * for a batch; for a service the event bus could not reach, the event bus's own failure
   * ({@code {"failureType", "failureCode", "message"}}); otherwise empty.
   *
   * @return a copy, never null
   */
  public JsonObject debugInfo() {
    return debugInfo.copy();
  }

  /**
   * A 400 answer.
   *
   * @param message what is wrong with which parameter
   * @return the exception
   */
  public static DaemonException badRequest(String message) {
    return new DaemonException(BAD_REQUEST, message);
  }

  /**
   * A 404 answer.
   *
   * @param message which action
   * @return the exception
   */
  public static DaemonException notFound(String message) {
    return new DaemonException(NOT_FOUND, message);
  }

  /**
   * A 429 answer.
   *
   * @param message how busy
   * @return the exception
   */
  public static DaemonException busy(String message) {
    return new DaemonException(BUSY, message);
  }

  /**
   * A 503 answer.
   *
   * @param message the last transient failure
   * @return the exception
   */
  public static DaemonException unavailable(String message) {
    return new DaemonException(UNAVAILABLE, message);
  }

  /**
   * Maps an event-bus failure to the typed exception: recipient failures carry our codes and
   * keep their text; a missing consumer or an event-bus timeout becomes 503 (the service was
   * not reachable), keeping its failure type and, in {@link #debugInfo()}, what the event bus
   * said.
   *
   * @param failure the failure of an event-bus request to the service
   * @return the typed exception
   */
  public static DaemonException fromReply(Throwable failure) {
    if (failure instanceof DaemonException de) {
      return de;
    }
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        if (re.failureCode() == DAEMON_ERROR) {
          return DaemonRpcException.fromText(re.getMessage());
        }
        return new DaemonException(re.failureCode(), re.getMessage());
      }
      return new DaemonException(re.failureType(), UNAVAILABLE,
          "daemon service not reachable on the event bus: " + re.failureType(),
          new JsonObject().put("failureType", re.failureType().name())
              .put("failureCode", re.failureCode()).put("message", re.getMessage()));
    }
    return unavailable(String.valueOf(failure.getMessage()));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + code() + "): " + getMessage();
  }
}
