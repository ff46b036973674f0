package io.daemonverticle.impl.http;

import io.daemonverticle.Actions;
import io.daemonverticle.TipUpdate;
import io.daemonverticle.impl.bus.SeenTips;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /events/tip}: the service's {@code <address>.tip} publications as Server-Sent
 * Events, one {@code event: tip} per publication with its seq as the event id and its JSON as
 * the data, so {@code curl -N} watches blocks arrive. Nothing is replayed: a client that
 * reconnects goes on from the next publication, and the seq tells it what it missed.
 *
 * <p>A comment line goes out every {@link #HEARTBEAT_MS} so that the front's idle timeout and
 * proxies leave a quiet stream open. A client that does not read (the write queue full) has
 * its stream ended rather than held in memory; the front's graceful stop ends every stream
 * at once instead of waiting for it.
 *
 * <p>The heartbeat is a timer of the front's {@link TimeSource}, set again each time it fires
 * (the time source has no periodic timer).
 */
final class TipEventStream implements Handler<RoutingContext> {

  /** Below the front's idle timeout ({@link ConnectionGuard#IDLE_TIMEOUT_S}). */
  static final long HEARTBEAT_MS = 10_000;

  private final Vertx vertx;
  private final TimeSource time;
  private final String topic;

  TipEventStream(Vertx vertx, TimeSource time, String address) {
    this.vertx = vertx;
    this.time = time;
    this.topic = address + Actions.TIP_TOPIC_SUFFIX;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        // nginx would otherwise hold the events back in its buffer.
        .putHeader("X-Accel-Buffering", "no");
    SeenTips seen = new SeenTips();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(topic, message -> {
      if (response.ended() || response.closed()) {
        return;
      }
      if (response.writeQueueFull()) {
        response.end();
        return;
      }
      JsonObject body;
      TipUpdate update;
      try {
        body = message.body();
        update = TipUpdate.fromJson(body);
      } catch (IllegalArgumentException | ClassCastException e) {
        return;
      }
      if (!seen.firstTime(update.seq(), update.hash())) {
        return;
      }
      response.write("id: " + update.seq() + "\nevent: tip\ndata: " + body.encode() + "\n\n");
    });
    Heartbeat heartbeat = new Heartbeat(response);
    heartbeat.arm();
    Runnable stop = () -> {
      consumer.unregister();
      heartbeat.stop();
    };
    response.closeHandler(v -> stop.run());
    response.endHandler(v -> stop.run());
    ctx.request().connection().shutdownHandler(v -> {
      if (!response.ended()) {
        response.end();
      }
    });
    // The headers go out once the consumer is registered: a client that sees them misses
    // no publication made after.
    consumer.completion().onComplete(ar -> {
      if (!response.ended() && !response.closed()) {
        response.write(": following " + topic + "\n\n");
      }
    });
  }

  /** A comment line every {@link #HEARTBEAT_MS} while the stream is open. */
  private final class Heartbeat {

    private final HttpServerResponse response;
    private long timer;

    Heartbeat(HttpServerResponse response) {
      this.response = response;
    }

    void arm() {
      timer = time.setTimer(HEARTBEAT_MS, id -> {
        if (!response.ended() && !response.closed()) {
          response.write(":\n\n");
          arm();
        }
      });
    }

    void stop() {
      time.cancelTimer(timer);
    }
  }
}
