package io.daemonverticle.impl.rpc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Locale;

/**
 * The HTTP layer: one POST of a JSON-RPC payload to one daemon URL, with the reply parsed. Everything that is not a JSON
 * reply is a {@link TransientFailure} (ElectrumX: anything not {@code application/json} is the
 * daemon refusing service: 401, "Work queue depth exceeded", an HTML error page).
 */
public final class HttpTransport {

  private static final int MAX_REFUSAL_TEXT = 200;

  private final WebClient client;
  private final CookieCredentials cookie;
  private final Offloader offloader;

  public HttpTransport(Vertx vertx, TransportOptions options, CookieCredentials cookie,
                          Offloader offloader) {
    this.cookie = cookie;
    this.offloader = offloader;
    WebClientOptions clientOptions = new WebClientOptions()
        .setKeepAlive(true)
        .setUserAgentEnabled(true)
        .setUserAgent("daemon-verticle")
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
    this.client = WebClient.create(vertx, clientOptions, pool);
  }

  /** Posts and parses; the future fails only with {@link TransientFailure}. */
  public Future<Object> post(DaemonUrl url, Buffer body, long timeoutMs) {
    return credentials(url).compose(creds -> client.postAbs(url.endpoint())
            .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
            .basicAuthentication(creds.user(), creds.password())
            .timeout(Math.max(1, timeoutMs))
            .sendBuffer(body))
        .recover(t -> Future.failedFuture(TransientFailure.from(t, url)))
        .compose(response -> parse(url, response));
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

  private Future<Object> parse(DaemonUrl url, HttpResponse<Buffer> response) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE.toString());
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
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

  private static TransientFailure refused(HttpResponse<Buffer> response, Buffer body) {
    String text = body.length() > 4 * MAX_REFUSAL_TEXT
        ? body.getString(0, 4 * MAX_REFUSAL_TEXT) : body.toString();
    text = text.strip();
    if (text.isEmpty() || text.startsWith("<")) {
      text = response.statusCode() + " " + response.statusMessage();
    }
    if (text.length() > MAX_REFUSAL_TEXT) {
      text = text.substring(0, MAX_REFUSAL_TEXT) + "...";
    }
    return new TransientFailure(TransientFailure.Kind.REFUSED, "daemon service refused: "
        + text);
  }

  /** What the HTTP client is built from. */
  public record TransportOptions(ProxyOptions proxy, String caFile, boolean trustAll,
                                 int maxConnections) {
  }
}
