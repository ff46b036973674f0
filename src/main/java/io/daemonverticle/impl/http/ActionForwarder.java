package io.daemonverticle.impl.http;

import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.daemonverticle.impl.bus.BusCodecs;
import io.daemonverticle.impl.bus.LocalServices;
import io.daemonverticle.impl.bus.ReplyBufferCodec;
import io.daemonverticle.impl.bus.RequestBodyCodec;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /actions/{action}}: the JSON body goes to the service's address as the event-bus
 * request of the contract, with the {@code action} header and the {@code timeout-ms} header
 * passed through; the reply comes back as JSON, or as {@code application/octet-stream} when it
 * is bytes (rawBlocks' framed blocks, as they are). The service checks the action and its
 * parameters; this front refuses only what is its own business: broadcasts it is not allowed
 * to forward, and a body that is no JSON object.
 */
final class ActionForwarder implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ActionForwarder.class);

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
  private final ReplyBudget replies;

  ActionForwarder(Vertx vertx, String address, boolean allowBroadcast,
                  LongSupplier defaultTimeoutMs, ReplyBudget replies) {
    this.vertx = vertx;
    this.replies = replies;
    this.address = address;
    this.allowBroadcast = allowBroadcast;
    this.defaultTimeoutMs = defaultTimeoutMs;
    // The service answering may be on another node: its rawBlocks reply then costs a copy less.
    BusCodecs.registerOn(vertx.eventBus());
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
    JsonObject body = ctx.get(JsonBodyReader.BODY);
    String timeout = ctx.request().getHeader(Actions.TIMEOUT_HEADER);
    DeliveryOptions delivery = new DeliveryOptions()
        .addHeader(Actions.HEADER, action)
        .setSendTimeout(waitMs(timeout));
    if (timeout != null) {
      delivery.addHeader(Actions.TIMEOUT_HEADER, timeout);
    }
    if (body != null) {
      // Parsed once by the front and never touched again: handed over without Vert.x's copy.
      delivery.setCodecName(RequestBodyCodec.NAME);
    }
    ReplyBufferCodec.askFor(action, delivery);
    LocalServices.request(vertx, address, body, delivery).onComplete(ar -> {
      if (ar.succeeded()) {
        answer(ctx, action, ar.result().body());
      } else {
        fail(response, ar.cause(), delivery.getSendTimeout());
      }
    });
  }

  /**
   * Writes the service's answer: bytes as they are, anything else as JSON. A reply that cannot
   * be encoded is answered 500 (and logged), never left unanswered. The bytes of replies not
   * yet taken by their clients are bounded ({@link ReplyBudget}): a client that does not read
   * holds its reply {@link ReplyBudget#WRITE_TIMEOUT_MS} at most, then its connection closes.
   */
  private void answer(RoutingContext ctx, String action, Object reply) {
    HttpServerResponse response = ctx.response();
    if (response.closed() || response.ended()) {
      return;
    }
    Buffer bytes;
    String type;
    try {
      if (reply instanceof Buffer framed) {
        bytes = framed;
        type = "application/octet-stream";
      } else {
        bytes = Json.encodeToBuffer(reply);
        type = "application/json";
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      LOG.error("HTTP front: the reply to {} could not be encoded", action, e);
      ErrorReply.send(response, 500, "the service's reply to " + action + " could not be "
          + "encoded: " + e.getClass().getSimpleName(), ErrorReply.HTTP);
      return;
    }
    replies.write(ctx, type, bytes);
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
