package io.daemonverticle;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failed daemon request, as the service answers it: a failure code from the contract and a
 * text that never contains credentials. The service answers it as {@code message.fail(code,
 * text)}; {@link #fromReply(Throwable)} turns the caller's {@code ReplyException} back into
 * this type.
 */
public class DaemonException extends RuntimeException {

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

  private final int code;

  public DaemonException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static DaemonException badRequest(String message) {
    return new DaemonException(BAD_REQUEST, message);
  }

  public static DaemonException notFound(String message) {
    return new DaemonException(NOT_FOUND, message);
  }

  public static DaemonException busy(String message) {
    return new DaemonException(BUSY, message);
  }

  public static DaemonException unavailable(String message) {
    return new DaemonException(UNAVAILABLE, message);
  }

  /**
   * Maps an event-bus failure to the typed exception: recipient failures carry our codes;
   * a missing consumer or an event-bus timeout becomes 503, as the service was not reachable.
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
      return unavailable("daemon service not reachable on the event bus: " + re.failureType());
    }
    return unavailable(String.valueOf(failure.getMessage()));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + code + "): " + getMessage();
  }
}
