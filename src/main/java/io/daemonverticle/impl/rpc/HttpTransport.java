package io.daemonverticle.impl.rpc;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP layer: one POST of a JSON-RPC payload to one daemon URL, with the reply parsed. Everything that is not a JSON
 * reply is a {@link TransientFailure} (ElectrumX: anything not {@code application/json} is the
 * daemon refusing service: 401, "Work queue depth exceeded", an HTML error page).
 *
 * <p>Every wait has an end: each POST, from asking the pool for a connection to the last byte
 * of the reply, is bounded in total by the time it is given. Vert.x's own request timeouts
 * are a connect timeout and an idle timeout: a daemon that sends a byte every few seconds
 * never trips them and would hold its work-queue slot and its connection past any deadline.
 * So a timer resets the request (HTTP/1.1: closes its connection) when the time is up.
 */
public final class HttpTransport {

  private static final int MAX_REFUSAL_TEXT = 200;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final CookieCredentials cookie;
  private final Offloader offloader;

  public HttpTransport(Vertx vertx, TransportOptions options, CookieCredentials cookie,
                          Offloader offloader) {
    this.vertx = vertx;
    this.cookie = cookie;
    this.offloader = offloader;
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setKeepAlive(true)
        .setVerifyHost(true);
    if (options.proxy() != null) {
      clientOptions.setProxyOptions(options.proxy());
    }
    if (options.trustAll()) {
      clientOptions.setTrustAll(true).setVerifyHost(false);
    } else if (options.caFile() != null) {
      clientOptions.setTrustOptions(options.caFile().endsWith(".jks")
          ? new JksOptions().setPath(options.caFile())
          : new PemTrustOptions().addCertPath(options.caFile()));
    }
    // The pool is a second guard behind the WorkQueue: never more connections per daemon
    // than requests we allow in flight.
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(options.maxConnections());
    this.client = vertx.createHttpClient(clientOptions, pool);
  }

  /**
   * Posts and parses, within {@code timeoutMs} in total for the HTTP exchange; the future
   * fails only with {@link TransientFailure}.
   */
  public Future<Object> post(DaemonUrl url, Buffer body, long timeoutMs) {
    return post(url, body, timeoutMs, Promise.<Void>promise().future());
  }

  /**
   * As {@link #post(DaemonUrl, Buffer, long)}; completing {@code cancel} ends the exchange at
   * once (the request is reset) with a {@link TransientFailure.Kind#CANCELLED} failure: the
   * other attempt of a hedged read answered first.
   */
  public Future<Object> post(DaemonUrl url, Buffer body, long timeoutMs, Future<Void> cancel) {
    return credentials(url)
        .compose(creds -> exchange(url, creds, body, Math.max(1, timeoutMs), cancel))
        .recover(t -> Future.failedFuture(TransientFailure.from(t, url)))
        .compose(reply -> parse(url, reply.response(), reply.body()));
  }

  private Future<Reply> exchange(DaemonUrl url, Credentials creds, Buffer body, long limitMs,
                                 Future<Void> cancel) {
    Promise<Reply> outcome = Promise.promise();
    HttpClientRequest[] onTheWire = new HttpClientRequest[1];
    long timer = vertx.setTimer(limitMs, id -> {
      if (outcome.tryFail(new TimeoutException("no whole reply in " + limitMs + " ms"))
          && onTheWire[0] != null) {
        onTheWire[0].reset();
      }
    });
    cancel.onComplete(v -> {
      if (outcome.tryFail(new TransientFailure(TransientFailure.Kind.CANCELLED,
          "attempt at " + url + " cancelled: another URL answered first"))) {
        vertx.cancelTimer(timer);
        if (onTheWire[0] != null) {
          onTheWire[0].reset();
        }
      }
    });
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url.endpoint())
        // Also bounds the wait for a pooled connection, so none is handed over too late.
        .setConnectTimeout(limitMs)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.USER_AGENT, "daemon-verticle")
        .putHeader(HttpHeaders.AUTHORIZATION, basic(creds));
    client.request(request)
        .compose(sent -> {
          if (outcome.future().isComplete()) {
            // The time ran out while waiting for the connection: give it back unused.
            sent.reset();
            return Future.failedFuture(outcome.future().cause());
          }
          onTheWire[0] = sent;
          return sent.send(body)
              .compose(response -> response.body().map(all -> new Reply(response, all)));
        })
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          if (ar.succeeded()) {
            outcome.tryComplete(ar.result());
          } else {
            outcome.tryFail(ar.cause());
          }
        });
    return outcome.future();
  }

  private static String basic(Credentials creds) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (creds.user() + ":" + creds.password()).getBytes(StandardCharsets.UTF_8));
  }

  public void close() {
    client.close();
  }

  private Future<Credentials> credentials(DaemonUrl url) {
    if (url.hasCredentials()) {
      return Future.succeededFuture(url.credentials());
    }
    if (cookie == null) {
      return Future.failedFuture(new TransientFailure(TransientFailure.Kind.REFUSED,
          "no credentials for " + url));
    }
    return cookie.get();
  }

  private Future<Object> parse(DaemonUrl url, HttpClientResponse response, Buffer body) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE.toString());
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      if (response.statusCode() == 401 && cookie != null && !url.hasCredentials()) {
        cookie.invalidate();
      }
      return Future.failedFuture(refused(response, body));
    }
    return offloader.run(body.length(), () -> {
      Object json;
      try {
        json = Json.decodeValue(body);
      } catch (DecodeException e) {
        throw new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
            "daemon reply from " + url + " is not valid JSON");
      }
      int status = response.statusCode();
      // bitcoind gives JSON-RPC errors non-2xx statuses (500, 404 for an unknown method): those
      // are its answer. Any other JSON with such a status is a proxy or provider refusing.
      if ((status < 200 || status > 299)
          && !(json instanceof JsonObject o && o.getValue("error") != null)) {
        throw refused(response, body);
      }
      return json;
    });
  }

  private static TransientFailure refused(HttpClientResponse response, Buffer body) {
    String text = body.length() > 4 * MAX_REFUSAL_TEXT
        ? body.getString(0, 4 * MAX_REFUSAL_TEXT) : body.toString();
    text = text.strip();
    if (text.isEmpty() || text.startsWith("<")) {
      text = response.statusCode() + " " + response.statusMessage();
    }
    if (text.length() > MAX_REFUSAL_TEXT) {
      text = text.substring(0, MAX_REFUSAL_TEXT) + "...";
    }
    if (isBackPressure(response.statusCode(), text)) {
      return new TransientFailure(TransientFailure.Kind.BACK_PRESSURE, "daemon busy: " + text);
    }
    return new TransientFailure(TransientFailure.Kind.REFUSED, "daemon service refused: "
        + text);
  }

  /**
   * The daemon saying it is full rather than broken: bitcoind's answer when its
   * {@code -rpcworkqueue} is full (HTTP 503 in Bitcoin Core, HTTP 500 text/html in Litecoin
   * Core 0.21, both with this text), or any HTTP 503 "Service Unavailable".
   */
  static boolean isBackPressure(int status, String text) {
    return status == 503 || text.contains("Work queue depth exceeded");
  }

  /** A reply and its whole body. */
  private record Reply(HttpClientResponse response, Buffer body) {
  }

  /** What the HTTP client is built from. */
  public record TransportOptions(ProxyOptions proxy, String caFile, boolean trustAll,
                                 int maxConnections) {
  }
}
