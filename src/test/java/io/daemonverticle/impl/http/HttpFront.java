package io.daemonverticle.impl.http;

import io.daemonverticle.DaemonVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;

/** A DaemonVerticle with its HTTP front on a free loopback port, and a client for it. */
final class HttpFront {

  final Vertx vertx;
  final int port;
  final WebClient client;

  private HttpFront(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.client = WebClient.create(vertx);
  }

  /** Deploys the service with {@code config} plus httpPort 0 (any free port). */
  static Future<HttpFront> deploy(Vertx vertx, io.vertx.core.json.JsonObject config) {
    DaemonVerticle verticle = new DaemonVerticle(Map.of());
    return vertx.deployVerticle(verticle,
            new DeploymentOptions().setConfig(config.copy().put("httpPort", 0)))
        .map((String id) -> new HttpFront(vertx, verticle.httpPort()));
  }

  /** A client of a front already listening on {@code port}. */
  static HttpFront at(Vertx vertx, int port) {
    return new HttpFront(vertx, port);
  }

  Future<HttpResponse<Buffer>> post(String action, String body) {
    return post(action, body, MultiMap.caseInsensitiveMultiMap());
  }

  Future<HttpResponse<Buffer>> post(String action, String body, MultiMap headers) {
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, port, "127.0.0.1",
        "/actions/" + action).putHeaders(headers).timeout(20_000);
    return body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
  }

  Future<HttpResponse<Buffer>> get(String path) {
    return get(path, MultiMap.caseInsensitiveMultiMap());
  }

  Future<HttpResponse<Buffer>> get(String path, MultiMap headers) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", path).putHeaders(headers)
        .timeout(20_000).send();
  }

  static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
