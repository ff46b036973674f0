package io.daemonverticle.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

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
    return new JsonObject(send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/bench/stats")), "stats"));
  }

  /**
   * A JSON-RPC batch asked of the fake directly, not through the service: the results, in the
   * calls' order.
   *
   * @throws IOException for an item with an error, or an HTTP error
   */
  JsonArray batch(JsonArray calls) throws IOException, InterruptedException {
    String credentials = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    JsonArray replies = new JsonArray(send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/"))
        .header("Authorization", "Basic " + credentials)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(calls.encode())), "JSON-RPC"));
    JsonArray results = new JsonArray();
    for (int i = 0; i < replies.size(); i++) {
      JsonObject reply = replies.getJsonObject(i);
      if (reply.getValue("error") != null) {
        throw new IOException("the fake daemon answered " + reply.getValue("error") + " to "
            + calls.getValue(i));
      }
      results.add(reply.getValue("result"));
    }
    return results;
  }

  private static String send(HttpRequest.Builder request, String what)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("fake daemon " + what + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }
}
