package io.daemonverticle.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One listener of the benchmark's fake daemon (src/test/bench/fake-daemon.js) and the
 * DaemonVerticle that serves it: {@code plain} answers JSON-RPC only, {@code rest} also
 * bitcoind's REST interface.
 */
record FakeDaemonPort(String name, int port) {

  static final String USER = "bench";
  static final String PASSWORD = "bench";

  /** {@code name=port}, as the programs pass it on. */
  static FakeDaemonPort parse(String spec) {
    int eq = spec.indexOf('=');
    try {
      return new FakeDaemonPort(spec.substring(0, eq), Integer.parseInt(spec.substring(eq + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--daemon wants NAME=PORT, not " + spec);
    }
  }

  String spec() {
    return name + "=" + port;
  }

  String url() {
    return "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/";
  }

  /** The event-bus address of the DaemonVerticle serving this daemon. */
  String address() {
    return "bench.daemon." + name;
  }

  /** What the fake was asked so far: HTTP requests, JSON-RPC calls by method, REST blocks. */
  JsonObject stats() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/bench/stats"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("fake daemon stats answered HTTP " + response.statusCode());
    }
    return new JsonObject(response.body());
  }
}
