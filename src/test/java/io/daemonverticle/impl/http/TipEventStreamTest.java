package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event stream's heartbeat, in virtual time ({@link VirtualTime}): a comment line at
 * exactly 10,000 ms and every 10,000 ms after, none before, and none once the client left.
 * The server runs on the clock's context, where the stream's timers fire; a tip published
 * after a span of time is the marker that whatever the span wrote has arrived.
 */
@ExtendWith(VertxExtension.class)
class TipEventStreamTest {

  private static final String ADDRESS = "tip-stream-test";
  private static final String HEARTBEAT = ":\n\n";

  /** Serves on {@code context}; {@code left} completes when the stream's connection closes. */
  private static Future<HttpServer> serve(Context context, TipEventStream stream,
                                          Promise<Void> left) {
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext((Void v) -> {
      Router router = Router.router(context.owner());
      router.get("/events/tip").handler(ctx -> {
        ctx.request().connection().closeHandler((Void closed) -> left.tryComplete());
        ctx.next();
      }).handler(stream);
      context.owner().createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .onComplete(listening);
    });
    return listening.future();
  }

  private static JsonObject tip(int seq) {
    return new JsonObject().put("height", 100 + seq).put("hash", String.format("%064x", seq))
        .put("source", "poll").put("seq", (long) seq);
  }

  private static String frame(JsonObject tip) {
    return "id: " + tip.getLong("seq") + "\nevent: tip\ndata: " + tip.encode() + "\n\n";
  }

  /** Publishes {@code tip} and completes once the stream has it. */
  private static Future<Void> publish(Vertx vertx, EventStreamText stream, JsonObject tip) {
    vertx.eventBus().publish(ADDRESS + Actions.TIP_TOPIC_SUFFIX, tip);
    return stream.contains(frame(tip));
  }

  @Test
  void aHeartbeatEveryTenSecondsNoneBeforeAndNoneAfterTheClientLeft(Vertx vertx,
                                                                   VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    EventStreamText stream = new EventStreamText();
    HttpClient http = vertx.createHttpClient();
    HttpClientResponse[] response = new HttpClientResponse[1];
    long beat = TipEventStream.HEARTBEAT_MS;
    Promise<Void> left = Promise.promise();
    serve(context, new TipEventStream(vertx, time, ADDRESS), left)
        .compose((HttpServer server) -> http.request(HttpMethod.GET, server.actualPort(),
            "127.0.0.1", "/events/tip"))
        .compose(request -> request.send())
        .compose((HttpClientResponse r) -> {
          response[0] = r;
          r.handler(stream::append);
          return stream.contains(": following " + ADDRESS + Actions.TIP_TOPIC_SUFFIX + "\n\n");
        })
        .compose((Void v) -> {
          // Armed before the stream said it follows the topic.
          ctx.verify(() -> assertThat(time.pending()).isEqualTo(1));
          return time.advance(beat - 1);
        })
        .compose((Void v) -> publish(vertx, stream, tip(1)))
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(stream.text.toString()).as("no heartbeat before 10 s")
              .doesNotContain(HEARTBEAT).endsWith("\n\n" + frame(tip(1))));
          return time.advance(1);
        })
        .compose((Void v) -> publish(vertx, stream, tip(2)))
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(stream.text.toString()).as("one at 10 s")
              .endsWith(frame(tip(1)) + HEARTBEAT + frame(tip(2))));
          return time.advance(beat - 1);
        })
        .compose((Void v) -> publish(vertx, stream, tip(3)))
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(stream.text.toString()).as("none before 20 s")
              .endsWith(frame(tip(1)) + HEARTBEAT + frame(tip(2)) + frame(tip(3))));
          return time.advance(1);
        })
        .compose((Void v) -> publish(vertx, stream, tip(4)))
        // A tip seen already is not sent again: the next one comes right after the last.
        .compose((Void v) -> {
          vertx.eventBus().publish(ADDRESS + Actions.TIP_TOPIC_SUFFIX, tip(4));
          return publish(vertx, stream, tip(5));
        })
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(stream.text.toString()).as("the next at 20 s")
                .endsWith(frame(tip(3)) + HEARTBEAT + frame(tip(4)) + frame(tip(5)));
            assertThat(time.delaysSet()).containsExactly(beat, beat, beat);
          });
          // The client leaves: the stream's timer goes with it.
          return response[0].request().connection().close();
        })
        // The server sees the connection go, on the clock's context: by then the stream
        // heard of it too.
        .compose((Void v) -> left.future())
        .compose((Void v) -> VirtualTime.on(context, () -> { }))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(time.pending()).as("the heartbeat cancelled").isZero();
          assertThat(time.delaysSet()).as("not set again").hasSize(3);
          ctx.completeNow();
        })));
  }
}
