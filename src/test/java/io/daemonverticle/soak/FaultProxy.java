package io.daemonverticle.soak;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on 127.0.0.1 in front of the regtest node, which misbehaves the way networks
 * and daemons do. Two kinds:
 * <ul>
 *   <li>{@link #faulty}: per request, 4 % the connection is dropped, 4 % HTTP 503 with an HTML
 *   body, 4 % the daemon's reply trickles out in small pieces over about 1.5 s, the rest is
 *   forwarded as it is;</li>
 *   <li>{@link #flapping}: a 12 s cycle of 5 s forwarding, 3.5 s closing every connection at
 *   once (as a refused connection looks to the service) and 3.5 s black-holing (the request
 *   is read and never answered).</li>
 * </ul>
 * It passes the request's headers on (the Authorization header included) and never logs
 * them. When the node is down the upstream connection fails and the proxy closes the
 * client's connection, as a stopped daemon would.
 */
final class FaultProxy {

  /** How long a black-holed connection is held before the proxy lets go of it itself. */
  private static final long HOLD_LIMIT_MS = 60_000;
  private static final long FLAP_CYCLE_MS = 12_000;
  private static final long FLAP_UP_MS = 5_000;
  private static final long FLAP_REFUSE_MS = 3_500;

  private final Vertx vertx;
  private final int nodePort;
  private final boolean flapping;
  private final long startMs = System.currentTimeMillis();
  private final HttpClient upstream;
  private HttpServer server;
  /** What the proxy did, by kind: forwarded, dropped, http503, trickled, refused, held, nodeDown. */
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  private FaultProxy(Vertx vertx, int nodePort, boolean flapping) {
    this.vertx = vertx;
    this.nodePort = nodePort;
    this.flapping = flapping;
    // Short keep-alive: a stopping bitcoind waits for its clients' idle connections to close.
    this.upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(1)
        .setConnectTimeout(2000), new PoolOptions().setHttp1MaxSize(64));
  }

  static Future<FaultProxy> faulty(Vertx vertx, int nodePort) {
    return new FaultProxy(vertx, nodePort, false).listen();
  }

  static Future<FaultProxy> flapping(Vertx vertx, int nodePort) {
    return new FaultProxy(vertx, nodePort, true).listen();
  }

  private Future<FaultProxy> listen() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle)
        .listen()
        .map((HttpServer s) -> {
          server = s;
          return this;
        });
  }

  int port() {
    return server.actualPort();
  }

  Map<String, Long> counts() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    counts.forEach((String k, AtomicLong v) -> copy.put(k, v.get()));
    return copy;
  }

  Future<Void> close() {
    return server.close().eventually(upstream::close);
  }

  private void count(String what) {
    counts.computeIfAbsent(what, (String k) -> new AtomicLong()).incrementAndGet();
  }

  private void handle(HttpServerRequest request) {
    request.body().onFailure((Throwable e) -> request.connection().close())
        .onSuccess((Buffer body) -> {
      if (flapping) {
        flap(request, body);
      } else {
        fault(request, body);
      }
    });
  }

  private void flap(HttpServerRequest request, Buffer body) {
    long phase = (System.currentTimeMillis() - startMs) % FLAP_CYCLE_MS;
    if (phase < FLAP_UP_MS) {
      forward(request, body, false);
    } else if (phase < FLAP_UP_MS + FLAP_REFUSE_MS) {
      count("refused");
      request.connection().close();
    } else {
      count("held");
      long timer = vertx.setTimer(HOLD_LIMIT_MS, (Long id) -> request.connection().close());
      request.connection().closeHandler((Void v) -> vertx.cancelTimer(timer));
    }
  }

  private void fault(HttpServerRequest request, Buffer body) {
    double r = ThreadLocalRandom.current().nextDouble();
    if (r < 0.04) {
      count("dropped");
      request.connection().close();
    } else if (r < 0.08) {
      count("http503");
      request.response().setStatusCode(503).putHeader("Content-Type", "text/html")
          .end("<html><body><h1>503 Service Unavailable</h1></body></html>");
    } else {
      forward(request, body, r < 0.12);
    }
  }

  private void forward(HttpServerRequest request, Buffer body, boolean trickle) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(nodePort).setURI(request.uri()).setIdleTimeout(30_000);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String name : new String[] {"Authorization", "Content-Type"}) {
      String value = request.getHeader(name);
      if (value != null) {
        headers.add(name, value);
      }
    }
    options.setHeaders(headers);
    upstream.request(options)
        .compose((HttpClientRequest up) -> up.send(body))
        .compose((HttpClientResponse resp) -> resp.body().map((Buffer reply) -> {
          var out = request.response().setStatusCode(resp.statusCode());
          String type = resp.getHeader("Content-Type");
          if (type != null) {
            out.putHeader("Content-Type", type);
          }
          if (trickle) {
            count("trickled");
            trickle(request, reply);
          } else {
            count("forwarded");
            out.end(reply);
          }
          return null;
        }))
        .onFailure((Throwable e) -> {
          // The node is down (or went down mid-reply): the client sees a closed connection.
          count("nodeDown");
          request.connection().close();
        });
  }

  /** The reply in 10 pieces, 150 ms apart, with a Content-Length so the client waits. */
  private void trickle(HttpServerRequest request, Buffer reply) {
    request.response().putHeader("Content-Length", Integer.toString(reply.length()));
    int piece = Math.max(1, (reply.length() + 9) / 10);
    writePiece(request, reply, 0, piece);
  }

  private void writePiece(HttpServerRequest request, Buffer reply, int from, int piece) {
    if (request.response().closed()) {
      return;
    }
    int to = Math.min(reply.length(), from + piece);
    if (to >= reply.length()) {
      request.response().end(reply.slice(from, to));
      return;
    }
    request.response().write(reply.slice(from, to));
    vertx.setTimer(150, (Long id) -> writePiece(request, reply, to, piece));
  }
}
