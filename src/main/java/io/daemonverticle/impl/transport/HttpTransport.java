package io.daemonverticle.impl.transport;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.config.Secrets;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer: one POST of a JSON-RPC payload to one daemon URL, its reply handed as it
 * arrives to the attempt's {@link ReplyReader}. Everything that is not a JSON reply is a
 * {@link TransientFailure} (ElectrumX: anything not {@code application/json} is the daemon
 * refusing service: 401, "Work queue depth exceeded", an HTML error page).
 *
 * <p>Every wait has an end: each POST, from asking the pool for a connection to the last byte
 * of the reply, is bounded in total by the time it is given. Vert.x's own request timeouts
 * are a connect timeout and an idle timeout: a daemon that sends a byte every few seconds
 * never trips them and would hold its work-queue slot and its connection past any deadline.
 * So a timer resets the request (HTTP/1.1: closes its connection) when the time is up: a timer
 * of the service's {@link TimeSource}, so that a test in virtual time decides when an attempt
 * that hangs ends (Vert.x's connect timeout stays on real time).
 *
 * <p>Nothing unbounded is held: the reply is read as a stream and counted as it comes; past
 * {@code maxReplyBytes} the request is reset (its connection closed) and the attempt fails,
 * a transient failure of that URL. A refusal's text keeps only its first bytes, masked: a proxy
 * may echo the Authorization header it was sent.
 */
public final class HttpTransport {

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
  /** How much of a refusal's body is kept to be masked and cut to its message. */
  private static final int KEPT_REFUSAL_BYTES = 800;
  private static final String JSON = "application/json";
  /**
   * The most of a reply's body Vert.x hands over in one chunk. Its default, 8 KiB, cut a
   * 1 MB block into 123 chunks of 8 KiB even when a socket read brought 64 KiB, and each
   * chunk pays the whole way through Netty's decoder, Vert.x's copy and our reader: with
   * this, REST blocks went from 0.54-0.60 of the wire to 0.70-0.79 and JSON-RPC blocks from
   * 0.83-0.92 to 0.92-1.03 (README, Performance). The decoder slices what a read brought, so
   * a larger bound holds no more memory: a chunk is never more than one read.
   */
  static final int MAX_CHUNK_BYTES = 1024 * 1024;

  /**
   * How long an idle daemon connection stays in the pool. bitcoind closes a connection idle
   * for {@code -rpcservertimeout} (30 s by default), and Vert.x keeps one 60 s by default: a
   * request that takes a connection as bitcoind closes it fails on the way and is retried.
   * Closing ours first leaves no such race (ElectrumX's aiohttp keeps them 15 s).
   */
  public static final int KEEP_ALIVE_SECONDS = 20;

  private final TimeSource time;
  private final HttpClientAgent client;
  private final CookieCredentials cookie;
  private final Offloader offloader;
  private final long maxReplyBytes;

  /** As the other constructor, each exchange bounded on Vert.x's timers. */
  public HttpTransport(Vertx vertx, TransportOptions options, CookieCredentials cookie,
                       Offloader offloader) {
    this(vertx, TimeSource.of(vertx), options, cookie, offloader);
  }

  /**
   * A transport whose client is {@code vertx}'s.
   *
   * @param time where each exchange's bound is timed: the service's time source
   */
  public HttpTransport(Vertx vertx, TimeSource time, TransportOptions options,
                       CookieCredentials cookie, Offloader offloader) {
    this.time = time;
    this.cookie = cookie;
    this.offloader = offloader;
    this.maxReplyBytes = options.maxReplyBytes();
    // The pool is a second guard behind the WorkQueue: never more connections per daemon
    // than requests we allow in flight.
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(options.maxConnections());
    this.client = vertx.httpClientBuilder().with(clientOptions(options)).with(pool)
        .withConnectHandler(HttpTransport::quietOnFailure).build();
  }

  /**
   * The client's options: keep-alive, large chunks, the proxy, and whom it trusts (all when
   * told so, without checking the host; else the CA file, JKS or PEM; else the JVM's CAs).
   */
  static HttpClientOptions clientOptions(TransportOptions options) {
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(options.keepAliveSeconds())
        .setMaxChunkSize(MAX_CHUNK_BYTES)
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
    return clientOptions;
  }

  /**
   * A daemon connection that fails ("Connection reset": the daemon closed it as a request
   * went out on it) also fails each request on it, and the retry loop counts and logs that
   * as daemon trouble (WARN, once a minute per kind). Vert.x logs the connection's own
   * failure at ERROR unless the connection has a handler, and ERROR is a bug of ours: this
   * handler says it at DEBUG.
   */
  private static void quietOnFailure(HttpConnection connection) {
    connection.exceptionHandler(failure -> LOG.debug("daemon connection {} failed: {}",
        connection.remoteAddress(), failure.toString()));
  }

  /** Where readers run their large work (parsing, decoding) off the event loop. */
  public Offloader offloader() {
    return offloader;
  }

  /**
   * Posts and reads the reply with {@code reader}, within {@code timeoutMs} in total for the
   * HTTP exchange. The future fails with {@link TransientFailure}, or with the
   * {@link DaemonException} the reader found in the reply (the daemon's answer).
   */
  public <T> Future<T> post(DaemonUrl url, Buffer body, long timeoutMs, ReplyReader<T> reader) {
    return post(url, body, timeoutMs, reader, Promise.<Void>promise().future());
  }

  /**
   * As {@link #post(DaemonUrl, Buffer, long, ReplyReader)}; completing {@code cancel} ends the
   * exchange at once (the request is reset) with a {@link TransientFailure.Kind#CANCELLED}
   * failure: the other attempt of a hedged read answered first.
   */
  public <T> Future<T> post(DaemonUrl url, Buffer body, long timeoutMs, ReplyReader<T> reader,
                            Future<Void> cancel) {
    return send(url, url.endpoint(), body, JSON, timeoutMs, reader, cancel);
  }

  /**
   * A GET of {@code path} (absolute, e.g. {@code /rest/block/<hash>.bin}) on the URL's host,
   * bounded and cancelled as a POST is; a 2xx reply of content type {@code type} is handed
   * to the reader as it arrives, anything else fails with a {@link TransientFailure} carrying
   * the HTTP status.
   */
  public <T> Future<T> get(DaemonUrl url, String path, String type, long timeoutMs,
                           ReplyReader<T> reader, Future<Void> cancel) {
    return send(url, url.origin() + path, null, type, timeoutMs, reader, cancel);
  }

  private <T> Future<T> send(DaemonUrl url, String uri, Buffer body, String type,
                             long timeoutMs, ReplyReader<T> reader, Future<Void> cancel) {
    return credentials(url)
        .compose(creds -> exchange(url, uri, creds, body, type, Math.max(1, timeoutMs), reader,
            cancel))
        .recover(t -> {
          reader.abandon();
          // A reader may refuse the request itself as the reply comes (too many bytes of
          // blocks asked for): that is the caller's answer, not the URL failing.
          return Future.failedFuture(t instanceof DaemonException ? t
              : TransientFailure.from(t, url));
        })
        .compose(v -> reader.end())
        .recover(t -> Future.failedFuture(typed(t)));
  }

  /** A reader's surprise (a bug, a shape nobody foresaw) is the reply's fault: transient. */
  private static Throwable typed(Throwable t) {
    if (t instanceof TransientFailure || t instanceof DaemonException) {
      return t;
    }
    return new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
        "unexpected reply from the daemon: " + Secrets.daemonText(t.getMessage()));
  }

  private <T> Future<Void> exchange(DaemonUrl url, String uri, Credentials creds, Buffer body,
                                    String type, long limitMs, ReplyReader<T> reader,
                                    Future<Void> cancel) {
    Promise<Void> outcome = Promise.promise();
    HttpClientRequest[] onTheWire = new HttpClientRequest[1];
    long timer = time.setTimer(limitMs, id -> {
      if (outcome.tryFail(new TimeoutException("no whole reply in " + limitMs + " ms"))
          && onTheWire[0] != null) {
        onTheWire[0].reset();
      }
    });
    cancel.onComplete(v -> {
      if (outcome.tryFail(new TransientFailure(TransientFailure.Kind.CANCELLED,
          "attempt at " + url + " cancelled: another URL answered first"))) {
        time.cancelTimer(timer);
        if (onTheWire[0] != null) {
          onTheWire[0].reset();
        }
      }
    });
    outcome.future().onComplete(ar -> time.cancelTimer(timer));
    RequestOptions request = new RequestOptions()
        .setMethod(body == null ? HttpMethod.GET : HttpMethod.POST)
        .setAbsoluteURI(uri)
        // Also bounds the wait for a pooled connection, so none is handed over too late.
        .setConnectTimeout(limitMs)
        .putHeader(HttpHeaders.USER_AGENT, "daemon-verticle")
        .putHeader(HttpHeaders.AUTHORIZATION, basic(creds));
    if (body != null) {
      request.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    }
    client.request(request)
        .compose(sent -> {
          // A reset request reports to its own handler, and Vert.x logs at ERROR when there
          // is none (a request reset before it was sent: its time ran out or it was
          // cancelled while waiting for a connection). Its failure is this exchange's.
          sent.exceptionHandler(outcome::tryFail);
          if (outcome.future().isComplete()) {
            // The time ran out while waiting for the connection: give it back unused.
            sent.reset();
            return Future.failedFuture(outcome.future().cause());
          }
          onTheWire[0] = sent;
          return body == null ? sent.send() : sent.send(body);
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            outcome.tryFail(ar.cause());
          } else if (!outcome.future().isComplete()) {
            new Receiving<>(url, ar.result(), onTheWire[0], type, body != null, reader,
                outcome).start();
          }
        });
    return outcome.future();
  }

  /** One reply on its way in: counted, and handed on or kept as a refusal's text. */
  private final class Receiving<T> {
    final DaemonUrl url;
    final HttpClientResponse response;
    final HttpClientRequest request;
    final ReplyReader<T> reader;
    final Promise<Void> outcome;
    /** A 2xx reply of the expected type goes straight to the reader; else it is kept first. */
    final boolean streaming;
    /** A JSON-RPC exchange: a JSON error body with a non-2xx status is the daemon's answer. */
    final boolean json;
    /** A JSON body that did not stream: kept whole (it may be the daemon's answer). */
    Buffer kept = Buffer.buffer();
    /** Any other body: only its start, which the refusal quotes. */
    final RefusalText refusal = new RefusalText(KEPT_REFUSAL_BYTES);
    long received;

    Receiving(DaemonUrl url, HttpClientResponse response, HttpClientRequest request,
              String expected, boolean rpc, ReplyReader<T> reader, Promise<Void> outcome) {
      this.url = url;
      this.response = response;
      this.request = request;
      this.reader = reader;
      this.outcome = outcome;
      String type = response.getHeader(HttpHeaders.CONTENT_TYPE.toString());
      type = type == null ? "" : type.toLowerCase(Locale.ROOT);
      json = rpc && type.startsWith(JSON);
      int status = response.statusCode();
      streaming = type.startsWith(expected) && status >= 200 && status <= 299;
    }

    void start() {
      response.exceptionHandler(this::fail);
      response.handler(this::chunk);
      response.end().onComplete(ar -> {
        if (ar.failed()) {
          fail(ar.cause());
        } else if (!outcome.future().isComplete()) {
          finish();
        }
      });
    }

    void chunk(Buffer chunk) {
      if (outcome.future().isComplete()) {
        return;
      }
      received += chunk.length();
      if (received > maxReplyBytes) {
        fail(new TransientFailure(TransientFailure.Kind.TOO_LONG, "daemon reply from " + url
            + " is longer than maxReplyBytes (" + maxReplyBytes + " bytes): cut off"));
        return;
      }
      if (streaming) {
        try {
          reader.chunk(chunk);
        } catch (RuntimeException e) {
          fail(typed(e));
        }
      } else if (json) {
        kept.appendBuffer(chunk);
      } else {
        refusal.append(chunk);
      }
    }

    void finish() {
      if (streaming) {
        outcome.tryComplete();
        return;
      }
      if (!json) {
        if (response.statusCode() == 401 && cookie != null && !url.hasCredentials()) {
          cookie.invalidate();
        }
        outcome.tryFail(refused(response, refusal.bytes()));
        return;
      }
      // bitcoind gives JSON-RPC errors non-2xx statuses (500, 404 for an unknown method):
      // those are its answer, read like any reply. Any other JSON with such a status is a
      // proxy or provider refusing.
      Object parsed;
      try {
        parsed = Json.decodeValue(kept);
      } catch (DecodeException e) {
        parsed = null;
      }
      if (!(parsed instanceof JsonObject o && o.getValue("error") != null)) {
        outcome.tryFail(refused(response, kept));
        return;
      }
      try {
        reader.chunk(kept);
        outcome.tryComplete();
      } catch (RuntimeException e) {
        outcome.tryFail(typed(e));
      }
    }

    void fail(Throwable cause) {
      // Reset closes the connection: nothing more of this reply is read or held.
      if (outcome.tryFail(cause)) {
        request.reset();
      }
      kept = null;
    }
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

  private static TransientFailure refused(HttpClientResponse response, Buffer body) {
    String text = RefusalText.of(body, KEPT_REFUSAL_BYTES).strip();
    if (text.isEmpty() || text.startsWith("<")) {
      text = response.statusCode() + " " + response.statusMessage();
    }
    text = Secrets.daemonText(text);
    if (isBackPressure(response.statusCode(), text)) {
      return new TransientFailure(TransientFailure.Kind.BACK_PRESSURE, "daemon busy: " + text,
          response.statusCode());
    }
    return new TransientFailure(TransientFailure.Kind.REFUSED, "daemon service refused: "
        + text, response.statusCode());
  }

  /**
   * The daemon saying it is full rather than broken: bitcoind's answer when its
   * {@code -rpcworkqueue} is full (HTTP 503 in Bitcoin Core, HTTP 500 text/html in Litecoin
   * Core 0.21, both with this text), or any HTTP 503 "Service Unavailable".
   */
  static boolean isBackPressure(int status, String text) {
    return status == 503 || text.contains("Work queue depth exceeded");
  }

  /** What the HTTP client is built from. */
  public record TransportOptions(ProxyOptions proxy, String caFile, boolean trustAll,
                                 int maxConnections, long maxReplyBytes,
                                 int keepAliveSeconds) {

    /** With idle connections kept {@link #KEEP_ALIVE_SECONDS}. */
    public TransportOptions(ProxyOptions proxy, String caFile, boolean trustAll,
                            int maxConnections, long maxReplyBytes) {
      this(proxy, caFile, trustAll, maxConnections, maxReplyBytes, KEEP_ALIVE_SECONDS);
    }
  }
}
