package io.daemonverticle.impl.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * A failure as the HTTP front answers it: the status is the failure code, and the JSON body
 * {@code {"code", "message", "source"}} says which part answered: {@code "service"} for the
 * DaemonVerticle's own answer on the event bus (its failure code, as is), {@code "http"} for
 * this front (refused before or instead of asking the service).
 */
final class ErrorReply {

  static final String SERVICE = "service";
  static final String HTTP = "http";

  private ErrorReply() {
  }

  /** @return completed once the answer is written (at once when the response is gone) */
  static Future<Void> send(HttpServerResponse response, int code, String message,
                           String source) {
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(code)
        .putHeader("content-type", "application/json")
        .end(new JsonObject()
            .put("code", code)
            .put("message", message)
            .put("source", source)
            .encode());
  }
}
