package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the tip stream writes, counted on the server's side the moment the work that writes it
 * is done: the "following" line before its handler returns, a tip published on the stream's
 * context by the next task there, a heartbeat when the virtual time reaches it. A stream that
 * fails to write fails the test at once, where waiting for the text at the client would wait
 * for ever. (What the client reads, in order, is {@link TipEventStreamTest}'s.)
 */
@ExtendWith(VertxExtension.class)
class TipEventStreamAtOnceTest {

  private static final String ADDRESS = "tip-stream-at-once";
  private static final String TOPIC = ADDRESS + Actions.TIP_TOPIC_SUFFIX;
  private static final String FOLLOWING = ": following " + TOPIC + "\n\n";

  /** Held for the whole test: Vert.x 5 shuts down a client nothing refers to. */
  private HttpClient http;
  private NetClient net;

  private static JsonObject tip(int seq) {
    return new JsonObject().put("height", 100 + seq).put("hash", String.format("%064x", seq))
        .put("source", "poll").put("seq", (long) seq);
  }

  private static long frame(JsonObject tip) {
    return ("id: " + tip.getLong("seq") + "\nevent: tip\ndata: " + tip.encode() + "\n\n")
        .length();
  }

  /** A server with {@code handler} on /events/tip, its router made on {@code context}. */
  private static Future<HttpServer> serve(Vertx vertx, Context context,
                                          HttpServerOptions options,
                                          Handler<RoutingContext> handler) {
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext((Void v) -> {
      Router router = Router.router(vertx);
      router.get("/events/tip").handler(handler);
      vertx.createHttpServer(options).requestHandler(router).listen(0, "127.0.0.1")
          .onComplete(listening);
    });
    return listening.future();
  }

  @Test
  void eachWriteIsMadeByTheTaskThatCausesIt(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    TipEventStream stream = new TipEventStream(vertx, time, ADDRESS);
    List<HttpServerResponse> responses = new ArrayList<>();
    List<Long> writtenAtReturn = new ArrayList<>();
    http = vertx.createHttpClient();
    HttpClientRequest[] request = new HttpClientRequest[1];
    long beat = TipEventStream.HEARTBEAT_MS;
    // A tip the stream cannot read is dropped, not thrown into Vert.x.
    vertx.exceptionHandler(ctx::failNow);
    serve(vertx, context, new HttpServerOptions(), c -> {
      responses.add(c.response());
      stream.handle(c);
      writtenAtReturn.add(c.response().bytesWritten());
    })
        .compose((HttpServer server) -> http.request(HttpMethod.GET, server.actualPort(),
            "127.0.0.1", "/events/tip"))
        .compose((HttpClientRequest r) -> {
          request[0] = r;
          r.send();
          return time.once(() -> writtenAtReturn.size() == 1);
        })
        .compose((Void v) -> VirtualTime.on(context, () -> {
          assertThat(writtenAtReturn.get(0)).as("the following line, before returning")
              .isEqualTo(FOLLOWING.length());
          assertThat(time.pending()).as("the heartbeat armed").isEqualTo(1);
          vertx.eventBus().publish(TOPIC, tip(1));
        }))
        .compose((Void v) -> VirtualTime.on(context, () -> {
          assertThat(responses.get(0).bytesWritten()).as("the tip, delivered by then")
              .isEqualTo(FOLLOWING.length() + frame(tip(1)));
          // Seen already, and not a tip at all: neither is written.
          vertx.eventBus().publish(TOPIC, tip(1));
          vertx.eventBus().publish(TOPIC, new JsonObject().put("height", 7));
        }))
        .compose((Void v) -> time.advance(beat - 1))
        .compose((Void v) -> VirtualTime.on(context, () ->
            assertThat(responses.get(0).bytesWritten()).as("nothing more before 10 s")
                .isEqualTo(FOLLOWING.length() + frame(tip(1)))))
        .compose((Void v) -> time.advance(1))
        .compose((Void v) -> VirtualTime.on(context, () -> {
          assertThat(responses.get(0).bytesWritten()).as("a heartbeat at 10 s")
              .isEqualTo(FOLLOWING.length() + frame(tip(1)) + ":\n\n".length());
          assertThat(time.pending()).as("armed again").isEqualTo(1);
        }))
        // The client leaves: the server's response closes, and the stream's timer goes.
        .compose((Void v) -> request[0].connection().close())
        .compose((Void v) -> time.once(() -> responses.get(0).closed()))
        .compose((Void v) -> VirtualTime.on(context, () -> {
          assertThat(time.pending()).as("the heartbeat cancelled").isZero();
          vertx.eventBus().publish(TOPIC, tip(2));
        }))
        .compose((Void v) -> VirtualTime.on(context, () ->
            assertThat(responses.get(0).bytesWritten()).as("nothing after the client left")
                .isEqualTo(FOLLOWING.length() + frame(tip(1)) + ":\n\n".length())))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aGracefulStopEndsTheStreamAndItsHeartbeatAtOnce(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    TipEventStream stream = new TipEventStream(vertx, time, ADDRESS);
    List<HttpServerResponse> responses = new ArrayList<>();
    http = vertx.createHttpClient();
    HttpServer[] server = new HttpServer[1];
    serve(vertx, context, new HttpServerOptions(), c -> {
      responses.add(c.response());
      stream.handle(c);
    })
        .compose((HttpServer s) -> {
          server[0] = s;
          return http.request(HttpMethod.GET, s.actualPort(), "127.0.0.1", "/events/tip");
        })
        .compose((HttpClientRequest r) -> {
          r.send();
          return time.once(() -> responses.size() == 1);
        })
        // A stop that gives its connections 1 ms: a stream still open then is cut, not
        // ended, so the wait below ends either way.
        .compose((Void v) -> VirtualTime.on(context, () -> server[0].shutdown(1,
            TimeUnit.MILLISECONDS)))
        .compose((Void v) -> time.once(() -> responses.get(0).ended()
            || responses.get(0).closed()))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(responses.get(0).ended()).as("ended by the stream on the stop").isTrue();
          assertThat(time.pending()).as("its heartbeat gone with the end").isZero();
          ctx.completeNow();
        })));
  }

  /** Publishes tips from {@code seq} on, one a task, until {@code stop} holds or the last. */
  private static Future<Integer> publishUntil(Vertx vertx, Context context, int seq, int last,
                                              java.util.function.BooleanSupplier stop) {
    if (stop.getAsBoolean() || seq > last) {
      return Future.succeededFuture(seq);
    }
    return VirtualTime.on(context, () -> vertx.eventBus().publish(TOPIC, tip(seq)))
        .compose((Void v) -> publishUntil(vertx, context, seq + 1, last, stop));
  }

  @Test
  void aClientThatStopsReadingHasItsStreamEndedNotHeld(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    TipEventStream stream = new TipEventStream(vertx, time, ADDRESS);
    List<HttpServerResponse> responses = new ArrayList<>();
    // Small socket buffers on both sides: a client that does not read fills them with a few
    // kilobytes of tips (32 tips here), and the response's write queue, 1 KiB, fills behind.
    net = vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(4096));
    NetSocket[] client = new NetSocket[1];
    serve(vertx, context, new HttpServerOptions().setSendBufferSize(4096), c -> {
      c.response().setWriteQueueMaxSize(1024);
      responses.add(c.response());
      stream.handle(c);
    })
        .compose((HttpServer s) -> net.connect(s.actualPort(), "127.0.0.1"))
        .compose((NetSocket socket) -> {
          client[0] = socket;
          socket.pause();
          socket.write("GET /events/tip HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          return time.once(() -> responses.size() == 1);
        })
        // Ten times what the buffers hold: the stream must end on the way; one that keeps
        // writing fails at the last, without waiting.
        .compose((Void v) -> publishUntil(vertx, context, 1, 320,
            () -> responses.get(0).ended()))
        .compose((Integer next) -> VirtualTime.on(context, () -> {
          assertThat(responses.get(0).ended()).as("ended after %s tips", next - 1).isTrue();
          assertThat(time.pending()).as("its heartbeat gone with it").isZero();
        }))
        // The unread bytes would hold the server's close: the client goes first.
        .eventually(() -> client[0] == null ? Future.succeededFuture() : client[0].close())
        .onComplete(ctx.succeedingThenComplete());
  }
}
