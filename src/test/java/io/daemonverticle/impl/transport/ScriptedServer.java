package io.daemonverticle.impl.transport;

import io.daemonverticle.testing.Transports;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A bare HTTP server on 127.0.0.1 that answers each request as the test scripted it and keeps
 * what each request brought, for a transport with one connection.
 *
 * <p>How a test sees a missing answer at once: {@link #exchange} sends a marker request once
 * the exchange's request is here. With one connection the marker goes out only once the reply
 * before it has been read whole, so its arrival here is the event that must come after the
 * exchange's outcome: it cancels the exchange, and an exchange still waiting then (a reply
 * nobody handed on) fails as {@code CANCELLED}, where waiting would run into a time limit.
 * That order holds on a Vert.x of one event loop (the tests make theirs so): the client's
 * handling of a reply's end runs on that thread before the next request is even written, where
 * with several threads the marker's round trip may overtake it. A handler that throws (a
 * mutant's null) fails the exchange under way too, instead of leaving it to hang.
 */
final class ScriptedServer {

  /** The path of the marker requests, each followed by its exchange's number. */
  static final String MARKER = "/marker/";

  /** The marker an exchange waits for: its number and its arrival. */
  private record Marker(int exchange, Promise<Void> arrived) {
  }

  /** What one request brought. */
  record Seen(HttpMethod method, String uri, MultiMap headers, Buffer body) {
  }

  private final HttpServer server;
  private final boolean tls;
  private final Queue<Consumer<HttpServerResponse>> script = new ConcurrentLinkedQueue<>();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger connections = new AtomicInteger();
  /**
   * The exchange under way and its marker's arrival, set together: the test's thread starts
   * the next exchange while the loop may still be reading the last one's marker, and a marker
   * of an exchange before it (it may come late) must not cancel this one.
   */
  private volatile Marker marker = new Marker(0, Promise.promise());
  private final AtomicInteger exchanges = new AtomicInteger();
  private volatile Promise<Void> requestArrived = Promise.promise();
  private volatile Promise<?> underWay = Promise.promise();
  private final List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());

  private ScriptedServer(Vertx vertx, HttpServerOptions options) {
    tls = options.isSsl();
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(this::onRequest);
  }

  static Future<ScriptedServer> start(Vertx vertx) {
    return start(vertx, new HttpServerOptions());
  }

  static Future<ScriptedServer> start(Vertx vertx, HttpServerOptions options) {
    ScriptedServer scripted = new ScriptedServer(vertx, options);
    vertx.exceptionHandler(failure -> {
      scripted.uncaught.add(failure);
      scripted.underWay.tryFail(new AssertionError("a handler threw", failure));
    });
    return scripted.server.listen(0, "127.0.0.1").map(s -> scripted);
  }

  private void onRequest(HttpServerRequest request) {
    if (request.path().startsWith(MARKER)) {
      Marker awaited = marker;
      if (request.path().equals(MARKER + awaited.exchange())) {
        awaited.arrived().tryComplete();
      }
      request.response().putHeader("Content-Type", "application/json").end("{}");
      return;
    }
    request.body().onSuccess(body -> {
      seen.add(new Seen(request.method(), request.uri(), request.headers(), body));
      requestArrived.tryComplete();
      Consumer<HttpServerResponse> answer = script.poll();
      if (answer != null) {
        answer.accept(request.response());
      } else {
        request.response().putHeader("Content-Type", "application/json")
            .end("{\"result\":0,\"error\":null,\"id\":0}");
      }
    });
  }

  /** The next request not yet scripted is answered so; unscripted ones get a JSON result. */
  ScriptedServer then(Consumer<HttpServerResponse> answer) {
    script.add(answer);
    return this;
  }

  /** The next request is answered with this status, content type and body. */
  ScriptedServer then(int status, String type, String body) {
    return then(response -> response.setStatusCode(status).putHeader("Content-Type", type)
        .end(body));
  }

  int port() {
    return server.actualPort();
  }

  /**
   * The URL of this server, as user "user", password "pass"; over TLS by the name its test
   * certificates are for, localhost.
   */
  DaemonUrl url() {
    return tls ? DaemonUrl.parse("https://user:pass@localhost:" + port(), null, false)
        : Transports.url(port());
  }

  /** Every request but the markers, in order. */
  List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** What a handler threw and nothing caught, on this server's Vert.x. */
  List<Throwable> uncaught() {
    synchronized (uncaught) {
      return List.copyOf(uncaught);
    }
  }

  /** Connections opened to this server so far. */
  int connections() {
    return connections.get();
  }

  /**
   * Runs {@code exchange} on {@code context} with the marker's arrival as its cancel, the
   * marker sent on {@code transport} (one connection) once the exchange's request is here. An
   * exchange that throws fails the future.
   */
  <T> Future<T> exchange(Context context, HttpTransport transport,
                         Function<Future<Void>, Future<T>> exchange) {
    Promise<Void> arrived = Promise.promise();
    int number = exchanges.incrementAndGet();
    marker = new Marker(number, arrived);
    String markerPath = MARKER + number;
    // The cancel comes two hops after the marker: Vert.x may hand a reply's end on in a task
    // of its own, queued before the marker was read, so the reply's outcome gets the hops
    // ahead of the cancel (a full suite run once saw a 401 cancelled so).
    Promise<Void> cancel = Promise.promise();
    arrived.future().onSuccess(v -> afterHops(context, 2, cancel::tryComplete));
    Promise<Void> request = Promise.promise();
    requestArrived = request;
    Promise<T> outcome = Promise.promise();
    underWay = outcome;
    context.runOnContext(v -> {
      try {
        exchange.apply(cancel.future()).onComplete(outcome);
      } catch (RuntimeException e) {
        outcome.fail(e);
      }
    });
    request.future().onSuccess(v -> context.runOnContext(w -> transport.get(url(), markerPath,
        "application/json", 60_000, new Recorder(), Promise.<Void>promise().future())));
    // The cancel ends an exchange under way in a few hops on the context; an outcome still
    // missing after them is one the transport lost (a future that never completes).
    cancel.future().onSuccess(v -> afterHops(context, 3, () -> outcome.tryFail(
        new AssertionError("no outcome once the request behind it arrived"))));
    return outcome.future();
  }

  private static void afterHops(Context context, int hops, Runnable then) {
    if (hops == 0) {
      then.run();
    } else {
      context.runOnContext(v -> afterHops(context, hops - 1, then));
    }
  }

  /** A reader that keeps what it was handed and how the transport treated it. */
  static final class Recorder implements ReplyReader<Buffer> {
    final Buffer bytes = Buffer.buffer();
    int chunks;
    boolean abandoned;
    /** Thrown from {@link #chunk} when set: the reader refusing the reply as it comes. */
    RuntimeException refuse;
    /** What {@link #end} answers when set, instead of the bytes. */
    Future<Buffer> ending;
    /** A chunk or an end after {@link #abandon}: the transport broke the reader's contract. */
    boolean touchedAfterAbandon;

    @Override
    public void chunk(Buffer chunk) {
      touchedAfterAbandon |= abandoned;
      if (refuse != null) {
        throw refuse;
      }
      chunks++;
      bytes.appendBuffer(chunk);
    }

    @Override
    public Future<Buffer> end() {
      touchedAfterAbandon |= abandoned;
      return ending != null ? ending : Future.succeededFuture(bytes);
    }

    @Override
    public void abandon() {
      abandoned = true;
    }
  }
}
