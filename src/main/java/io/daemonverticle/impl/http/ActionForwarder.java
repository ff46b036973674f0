package io.daemonverticle.impl.http;

import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.daemonverticle.impl.bus.ReplyBufferCodec;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;

/**
 * {@code POST /actions/{action}}: the JSON body goes to the service's address as the event-bus
 * request of the contract, with the {@code action} header and the {@code timeout-ms} header
 * passed through; the reply comes back as JSON, or as {@code application/octet-stream} when it
 * is bytes (rawBlocks' framed blocks, as they are). The service checks the action and its
 * parameters; this front refuses only what is its own business: broadcasts it is not allowed
 * to forward, and a body that is no JSON object.
 */
final class ActionForwarder implements Handler<RoutingContext> {

  /**
   * Slack past the request's deadline for the service's own answer (it answers at the
   * deadline; its safety net 2 s later): the event-bus wait ends after both.
   */
  private static final long REPLY_SLACK_MS = 5_000;

  private final Vertx vertx;
  private final String address;
  private final boolean allowBroadcast;
  /** The serving settings' requestTimeoutMs: a reload may change it under a running front. */
  private final LongSupplier defaultTimeoutMs;

  ActionForwarder(Vertx vertx, String address, boolean allowBroadcast,
                  LongSupplier defaultTimeoutMs) {
    this.vertx = vertx;
    this.address = address;
    this.allowBroadcast = allowBroadcast;
    this.defaultTimeoutMs = defaultTimeoutMs;
    // The service answering may be on another node: its rawBlocks reply then costs a copy less.
    ReplyBufferCodec.registerOn(vertx.eventBus());
  }

  @Override
  public void handle(RoutingContext ctx) {
    String action = ctx.pathParam("action");
    HttpServerResponse response = ctx.response();
    ActionSpec spec = Actions.spec(action);
    if (spec != null && spec.broadcast() && !allowBroadcast) {
      ErrorReply.send(response, 403, "action " + action + " broadcasts to the network: this "
          + "HTTP front does not forward broadcasts (httpAllowBroadcast is false)",
          ErrorReply.HTTP);
      return;
    }
    Object body;
    try {
      body = body(ctx.body().buffer());
    } catch (IllegalArgumentException e) {
      ErrorReply.send(response, 400, e.getMessage(), ErrorReply.HTTP);
      return;
    }
    String timeout = ctx.request().getHeader(Actions.TIMEOUT_HEADER);
    DeliveryOptions delivery = new DeliveryOptions()
        .addHeader(Actions.HEADER, action)
        .setSendTimeout(waitMs(timeout));
    if (timeout != null) {
      delivery.addHeader(Actions.TIMEOUT_HEADER, timeout);
    }
    ReplyBufferCodec.askFor(action, delivery);
    vertx.eventBus().request(address, body, delivery).onComplete(ar -> {
      if (ar.succeeded()) {
        answer(response, ar.result().body());
      } else {
        fail(response, ar.cause(), delivery.getSendTimeout());
      }
    });
  }

  /** No body (or only blanks) is no parameters; anything else must be a JSON object. */
  static JsonObject body(Buffer raw) {
    if (raw == null || raw.toString().isBlank()) {
      return null;
    }
    Object value;
    try {
      value = Json.decodeValue(raw);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("the request body is not JSON: send a JSON object "
          + "of the action's parameters (or no body)");
    }
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException("the request body must be a JSON object of the "
          + "action's parameters, e.g. {\"first\":0,\"count\":3}");
    }
    return object;
  }

  private static void answer(HttpServerResponse response, Object reply) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (reply instanceof Buffer bytes) {
      response.putHeader("content-type", "application/octet-stream").end(bytes);
    } else {
      response.putHeader("content-type", "application/json").end(Json.encode(reply));
    }
  }

  private void fail(HttpServerResponse response, Throwable failure, long waitedMs) {
    if (failure instanceof ReplyException re) {
      switch (re.failureType()) {
        case RECIPIENT_FAILURE -> {
          int code = re.failureCode();
          // Every code of the contract is an HTTP status; anything else is a bad gateway.
          ErrorReply.send(response, code >= 400 && code <= 599 ? code : 502,
              String.valueOf(re.getMessage()), ErrorReply.SERVICE);
        }
        case NO_HANDLERS -> ErrorReply.send(response, 503, "no DaemonVerticle serves "
            + "event-bus address '" + address + "'", ErrorReply.HTTP);
        case TIMEOUT -> ErrorReply.send(response, 504, "the service did not answer within "
            + waitedMs + " ms", ErrorReply.HTTP);
        default -> ErrorReply.send(response, 502, "event bus: " + re.getMessage(),
            ErrorReply.HTTP);
      }
    } else {
      ErrorReply.send(response, 502, "event bus: " + failure.getMessage(), ErrorReply.HTTP);
    }
  }

  /** How long to wait for the service: its deadline and then some; never forever. */
  private long waitMs(String timeoutHeader) {
    long deadline = defaultTimeoutMs.getAsLong();
    if (timeoutHeader != null) {
      try {
        deadline = Math.min(Math.max(1, Long.parseLong(timeoutHeader.trim())),
            Actions.MAX_TIMEOUT_MS);
      } catch (NumberFormatException e) {
        // The service answers 400 for it at once; wait as for any request.
      }
    }
    return deadline + REPLY_SLACK_MS;
  }
}
