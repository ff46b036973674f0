package io.daemonverticle.it;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Bitcoin Core-family regtest node (Litecoin Core 0.21) for the integration tests,
 * driven through scripts/core (start, stop, mine) and spoken to directly over JSON-RPC with
 * a WebClient, independently of the verticle under test. Unlike bcoin its chain is on disk:
 * a restart keeps it. Each test class uses its own node names.
 *
 * <p>The script calls block: call them from the test thread or through
 * {@link RegtestNode#blocking}.
 */
public final class CoreNode {

  /**
   * How a node is started: auth and the daemon's own HTTP settings (0 for its default).
   * bitcoind exits only once its clients' keep-alive connections are closed, which it does
   * after they idle for rpcServerTimeout seconds (30 by default): the tests' nodes close
   * them sooner, so that a stop under a live service takes seconds, not half a minute.
   */
  public record Settings(boolean cookie, int rpcWorkQueue, int rpcThreads,
                         int rpcServerTimeout) {

    /** The idle-connection timeout of the tests' nodes, seconds. */
    public static final int TEST_SERVER_TIMEOUT_S = 3;

    public static Settings password() {
      return new Settings(false, 0, 0, TEST_SERVER_TIMEOUT_S);
    }

    public static Settings cookieAuth() {
      return new Settings(true, 0, 0, TEST_SERVER_TIMEOUT_S);
    }

    List<String> arguments() {
      List<String> args = new ArrayList<>();
      if (cookie) {
        args.add("--cookie");
      }
      if (rpcWorkQueue > 0) {
        args.add("--rpcworkqueue=" + rpcWorkQueue);
      }
      if (rpcThreads > 0) {
        args.add("--rpcthreads=" + rpcThreads);
      }
      if (rpcServerTimeout > 0) {
        args.add("--rpcservertimeout=" + rpcServerTimeout);
      }
      return args;
    }
  }

  private final String name;
  private final Settings settings;
  private String url;

  private CoreNode(String name, Settings settings) {
    this.name = name;
    this.settings = settings;
  }

  /** A node name unique to this test class and JVM, as scripts/core accepts it. */
  public static String uniqueName(Class<?> testClass, String suffix) {
    return RegtestNode.uniqueName(testClass, suffix);
  }

  /** Starts node {@code name} (blocking) with a new chain on a free port. */
  public static CoreNode start(String name, Settings settings) {
    CoreNode node = new CoreNode(name, settings);
    node.url = node.script("start", settings.arguments()).trim();
    return node;
  }

  /**
   * Starts the stopped node again with its chain, port and auth: the same URL (with cookie
   * auth the daemon writes a new cookie). Returns once it answers getblockcount.
   */
  public CoreNode restart() {
    List<String> args = new ArrayList<>(settings.arguments());
    args.add("--reuse");
    String again = script("start", args).trim();
    if (!again.equals(url)) {
      throw new IllegalStateException("core node " + name + " came back on another URL");
    }
    return this;
  }

  /** Stops the node (blocking), keeping its chain; harmless when it is not running. */
  public void stop() {
    script("stop", List.of());
  }

  /** Stops the node and deletes its chain; harmless when it is not running. */
  public void stopAndPurge() {
    script("stop", List.of("--purge"));
  }

  /** Mines n blocks to the node's wallet (blocking) and answers the new height. */
  public int mine(int n) {
    return Integer.parseInt(script("mine", List.of(Integer.toString(n))).trim());
  }

  public String name() {
    return name;
  }

  /**
   * {@code http://rpc:PASSWORD@127.0.0.1:PORT/}, or {@code http://127.0.0.1:PORT/} with
   * cookie auth. Holds the password: never log it.
   */
  public String url() {
    return url;
  }

  public int port() {
    return URI.create(url).getPort();
  }

  /** {@code 127.0.0.1:PORT/}: how the service shows this URL in its status. */
  public String publicUrl() {
    return "127.0.0.1:" + port() + "/";
  }

  /** Where the daemon writes its cookie (cookie auth): absent while it is stopped. */
  public Path cookieFile() {
    if (!settings.cookie()) {
      throw new IllegalStateException("core node " + name + " uses password auth");
    }
    return ProjectScripts.stateRoot().resolve("core").resolve(name)
        .resolve("data").resolve("regtest").resolve(".cookie");
  }

  /** The cookie's {@code __cookie__:SECRET} now (blocking): the daemon's current password. */
  public String cookie() {
    try {
      return Files.readString(cookieFile(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("core node " + name + " has no cookie file", e);
    }
  }

  /** {@code user:password} for the node right now (the cookie is read afresh). */
  public String credentials() {
    return settings.cookie() ? cookie() : URI.create(url).getUserInfo();
  }

  /** One JSON-RPC call straight to the node; fails with the daemon's error object. */
  public Future<Object> rpc(WebClient web, String method, Object... params) {
    String[] userPassword = credentials().split(":", 2);
    JsonObject body = new JsonObject().put("jsonrpc", "1.0").put("id", 1)
        .put("method", method).put("params", new JsonArray(List.of(params)));
    return web.post(port(), "127.0.0.1", "/")
        .basicAuthentication(userPassword[0], userPassword[1])
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

  private static JsonObject json(HttpResponse<Buffer> resp, String what) {
    // bitcoind answers its JSON-RPC errors with HTTP 404/500 and a JSON body.
    String type = resp.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/json")) {
      throw new IllegalStateException(what + ": HTTP " + resp.statusCode() + " "
          + resp.bodyAsString());
    }
    return resp.bodyAsJsonObject();
  }

  private String script(String script, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("scripts/core/" + script);
    command.add("--name");
    command.add(name);
    command.addAll(args);
    return ProjectScripts.run(command.toArray(String[]::new));
  }
}
