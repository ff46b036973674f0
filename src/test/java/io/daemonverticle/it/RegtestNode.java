package io.daemonverticle.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real bcoin regtest node for the integration tests, driven through scripts/regtest (start,
 * stop, mine) and spoken to directly (JSON-RPC and the wallet HTTP server) with a WebClient,
 * independently of the verticle under test. Each test class uses its own node names.
 *
 * <p>The script calls block: call them from the test thread or through {@link #blocking}.
 */
public final class RegtestNode {

  private final String name;
  private String url;

  private RegtestNode(String name) {
    this.name = name;
  }

  /** A node name unique to this test class and JVM, as scripts/regtest accepts it. */
  public static String uniqueName(Class<?> testClass, String suffix) {
    return ("it-" + testClass.getSimpleName() + "-" + suffix + "-" + ProcessHandle.current().pid())
        .replaceAll("[^A-Za-z0-9_.-]", "-");
  }

  /** Starts node {@code name} (blocking) on free ports with a fresh key. */
  public static RegtestNode start(String name) {
    RegtestNode node = new RegtestNode(name);
    node.url = ProjectScripts.run("scripts/regtest/start", "--name", name).trim();
    return node;
  }

  /** Starts the stopped node again on the same ports with the same key: the same URL. */
  public RegtestNode restart() {
    String again = ProjectScripts.run("scripts/regtest/start", "--name", name, "--reuse").trim();
    if (!again.equals(url)) {
      throw new IllegalStateException("node " + name + " came back on another URL");
    }
    return this;
  }

  /** Stops the node (blocking); harmless when it is not running. */
  public void stop() {
    ProjectScripts.run("scripts/regtest/stop", "--name", name);
  }

  /** Mines n blocks to the node's wallet (blocking) and answers the new height. */
  public int mine(int n) {
    return Integer.parseInt(ProjectScripts.run("scripts/regtest/mine", "--name", name,
        Integer.toString(n)).trim());
  }

  /** Runs a blocking step of this helper off the event loop. */
  public static <T> Future<T> blocking(Vertx vertx, java.util.concurrent.Callable<T> step) {
    return vertx.executeBlocking(step, false);
  }

  public String name() {
    return name;
  }

  /** {@code http://rpc:KEY@127.0.0.1:PORT/}: holds the api key, never log it. */
  public String url() {
    return url;
  }

  public int port() {
    return Integer.parseInt(state("port"));
  }

  public int walletPort() {
    return Integer.parseInt(state("wallet-port"));
  }

  public String apiKey() {
    return state("api-key");
  }

  /** {@code 127.0.0.1:PORT/}: how the service shows this URL in its status. */
  public String publicUrl() {
    return "127.0.0.1:" + port() + "/";
  }

  /** One JSON-RPC call straight to the node; fails with the daemon's error object. */
  public Future<Object> rpc(WebClient web, String method, Object... params) {
    JsonObject body = new JsonObject().put("jsonrpc", "1.0").put("id", 1)
        .put("method", method).put("params", new JsonArray(List.of(params)));
    return web.post(port(), "127.0.0.1", "/")
        .basicAuthentication("rpc", apiKey())
        .sendJsonObject(body)
        .compose((HttpResponse<Buffer> resp) -> {
          JsonObject reply = json(resp, "JSON-RPC " + method);
          if (reply.getValue("error") != null) {
            return Future.failedFuture(new IllegalStateException(method + " failed: "
                + reply.getValue("error")));
          }
          return Future.succeededFuture(reply.getValue("result"));
        });
  }

  /** The wallet's receive address (primary wallet, default account). */
  public Future<String> receiveAddress(WebClient web) {
    return web.get(walletPort(), "127.0.0.1", "/wallet/primary/account/default")
        .basicAuthentication("wallet", apiKey())
        .send()
        .map((HttpResponse<Buffer> resp) -> json(resp, "wallet account")
            .getString("receiveAddress"));
  }

  /**
   * A transaction paying {@code satoshis} to {@code address}, made and signed by the wallet
   * but not broadcast: {@code hex} and {@code hash} (the txid).
   */
  public Future<JsonObject> createTransaction(WebClient web, String address, long satoshis) {
    JsonObject body = new JsonObject().put("outputs", new JsonArray()
        .add(new JsonObject().put("address", address).put("value", satoshis)));
    return web.post(walletPort(), "127.0.0.1", "/wallet/primary/create")
        .basicAuthentication("wallet", apiKey())
        .sendJsonObject(body)
        .map((HttpResponse<Buffer> resp) -> json(resp, "wallet create"));
  }

  /** A WebClient for the node that never goes through a proxy and never keeps a dead socket. */
  public static WebClient webClient(Vertx vertx) {
    return WebClient.create(vertx, new WebClientOptions().setKeepAlive(false)
        .setConnectTimeout(5000).setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS));
  }

  private static JsonObject json(HttpResponse<Buffer> resp, String what) {
    if (resp.statusCode() != 200) {
      throw new IllegalStateException(what + ": HTTP " + resp.statusCode() + " "
          + resp.bodyAsString());
    }
    return resp.bodyAsJsonObject();
  }

  private String state(String file) {
    try {
      return Files.readString(ProjectScripts.stateRoot().resolve(name).resolve(file),
          StandardCharsets.UTF_8)
          .trim();
    } catch (IOException e) {
      throw new IllegalStateException("node " + name + " has no " + file + " file", e);
    }
  }
}
