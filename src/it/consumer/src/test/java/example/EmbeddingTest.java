package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonService;
import io.daemonverticle.DaemonVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an application that depends on daemon-verticle alone does: deploys DaemonVerticle from
 * code against a daemon (here a tiny in-process one) and calls it through DaemonClient, on a
 * plain JVM with none of the library's optional jars.
 */
class EmbeddingTest {

  /** Bitcoin regtest's genesis block hash: the service's chain check asks for block 0. */
  static final String GENESIS =
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";
  static final int TIP = 5;

  static Vertx vertx;
  static HttpServer daemon;
  static final Map<String, Integer> HEIGHTS = new HashMap<>();

  @BeforeAll
  static void startTheDaemon() throws Exception {
    vertx = Vertx.vertx();
    for (int h = 0; h <= TIP; h++) {
      HEIGHTS.put(hash(h), h);
    }
    daemon = await(vertx.createHttpServer().requestHandler(req -> {
      if (req.method() != HttpMethod.POST) {
        req.response().setStatusCode(404).end();
        return;
      }
      req.body().onSuccess(body -> {
        Object reply;
        if (body.toString().strip().startsWith("[")) {
          JsonArray batch = new JsonArray(body);
          JsonArray replies = new JsonArray();
          for (int i = 0; i < batch.size(); i++) {
            replies.add(answer(batch.getJsonObject(i)));
          }
          reply = replies;
        } else {
          reply = answer(new JsonObject(body));
        }
        req.response().putHeader("content-type", "application/json")
            .end(Buffer.buffer(String.valueOf(reply)));
      });
    }).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  /** A bitcoind-style JSON-RPC answer to one call. */
  static JsonObject answer(JsonObject call) {
    JsonArray params = call.getJsonArray("params", new JsonArray());
    Object result;
    switch (call.getString("method")) {
      case "getblockchaininfo" -> result = new JsonObject().put("chain", "regtest")
          .put("blocks", TIP).put("headers", TIP);
      case "getblockcount" -> result = TIP;
      case "getblockhash" -> result = hash(((Number) params.getValue(0)).intValue());
      case "getblock" -> result = blockHex(HEIGHTS.get(params.getString(0)));
      default -> {
        return new JsonObject().put("result", null).put("error",
            new JsonObject().put("code", -32601).put("message", "Method not found"))
            .put("id", call.getValue("id"));
      }
    }
    return new JsonObject().put("result", result).put("error", null)
        .put("id", call.getValue("id"));
  }

  /**
   * Block h's hash as a daemon prints it: its 80-byte header hashed twice with SHA-256, bytes
   * reversed (the service checks every block it serves against it).
   */
  static String hash(int height) {
    if (height == 0) {
      return GENESIS;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] once = sha.digest(java.util.Arrays.copyOf(block(height), 80));
      byte[] twice = sha.digest(once);
      StringBuilder hex = new StringBuilder();
      for (int i = twice.length - 1; i >= 0; i--) {
        hex.append(String.format("%02x", twice[i] & 0xff));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Block h's "raw bytes": 80 + h bytes, each (h + i) mod 256. */
  static byte[] block(int height) {
    byte[] bytes = new byte[80 + height];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (height + i);
    }
    return bytes;
  }

  static String blockHex(int height) {
    StringBuilder hex = new StringBuilder();
    for (byte b : block(height)) {
      hex.append(String.format("%02x", b & 0xff));
    }
    return hex.toString();
  }

  static JsonObject config(String address) {
    return new JsonObject()
        .put("daemonUrl", "http://user:pass@127.0.0.1:" + daemon.actualPort() + "/")
        .put("coin", "Bitcoin")
        .put("net", "regtest")
        .put("address", address)
        .put("restBlocks", false)
        .put("heightPollMs", 0);
  }

  @Test
  void theServiceAnswersThroughDaemonClient() throws Exception {
    String id = await(vertx.deployVerticle(new DaemonVerticle(),
        new DeploymentOptions().setConfig(config("daemon"))));
    try {
      DaemonClient client = DaemonClient.create(vertx, "daemon");
      assertEquals(TIP, await(client.height()));
      List<String> hashes = await(client.blockHexHashes(TIP - 2, 3));
      assertEquals(List.of(hash(3), hash(4), hash(5)), hashes);
      List<Buffer> blocks = await(client.rawBlocks(hashes));
      assertEquals(3, blocks.size());
      for (int i = 0; i < 3; i++) {
        assertEquals(Buffer.buffer(block(3 + i)), blocks.get(i));
      }
    } finally {
      await(vertx.undeploy(id));
    }
  }

  @Test
  void theOptionalJarsAreNotHere() {
    for (String absent : List.of("io.vertx.ext.web.Router", "io.vertx.ext.healthchecks.HealthChecks",
        "io.micrometer.core.instrument.MeterRegistry", "io.vertx.config.ConfigRetriever",
        "com.hazelcast.core.Hazelcast", "ch.qos.logback.classic.Logger")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(absent), absent);
    }
  }

  @Test
  void anHttpPortWithoutTheHttpFrontsJarsFailsTheDeploymentNamingThem() {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(
        vertx.deployVerticle(new DaemonVerticle(),
            new DeploymentOptions().setConfig(config("daemon.http").put("httpPort", 0)))));
    String message = failed.getCause().getMessage();
    assertTrue(failed.getCause() instanceof IllegalStateException, String.valueOf(failed.getCause()));
    assertTrue(message.contains("httpPort is set but the HTTP front needs io.vertx:vertx-web"),
        message);
    assertTrue(message.contains("add them to your dependencies"), message);
  }

  @Test
  void daemonServiceWithoutVertxConfigFailsTheDeploymentNamingIt() {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(
        vertx.deployVerticle(new DaemonService(),
            new DeploymentOptions().setConfig(config("daemon.service")))));
    String message = failed.getCause().getMessage();
    assertTrue(failed.getCause() instanceof IllegalStateException, String.valueOf(failed.getCause()));
    assertTrue(message.contains("io.vertx:vertx-config"), message);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
