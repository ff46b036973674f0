package example.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daemonverticle.DaemonClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service deployed and called from a module: the library, Vert.x and this application on
 * the module path (surefire's choice for a modular project), the library as the named module
 * io.daemonverticle that exports its API and keeps its implementation closed.
 */
class ModularEmbeddingTest {

  /** Bitcoin regtest's genesis block hash: the service's chain check asks for block 0. */
  static final String GENESIS =
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";
  static final int TIP = 7;

  @Test
  void theLibraryIsANamedModuleExportingItsApiOnly() {
    Module library = DaemonClient.class.getModule();
    assertEquals("io.daemonverticle", library.getName());
    assertEquals("example.modular", Embedded.class.getModule().getName());
    assertTrue(library.isExported("io.daemonverticle"));
    assertFalse(library.isExported("io.daemonverticle.impl.bus"));
    assertFalse(library.isExported("io.daemonverticle.impl.resilience"));
  }

  @Test
  void theServiceAnswersOnTheModulePath() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer daemon = await(vertx.createHttpServer().requestHandler(req -> req.body()
          .onSuccess(body -> req.response().putHeader("content-type", "application/json")
              .end(Buffer.buffer(String.valueOf(answer(body)))))).listen(0, "127.0.0.1"));
      JsonObject config = new JsonObject()
          .put("daemonUrl", "http://user:pass@127.0.0.1:" + daemon.actualPort() + "/")
          .put("coin", "Bitcoin").put("net", "regtest").put("address", "modular")
          .put("restBlocks", false).put("heightPollMs", 0);
      JsonObject seen = await(Embedded.heightAndGenesis(vertx, config));
      assertEquals(TIP, seen.getInteger("height"));
      assertEquals(GENESIS, seen.getString("genesis"));
    } finally {
      await(vertx.close());
    }
  }

  /**
   * The HTTP front's modules are optional: on the module path, their jars alone do not resolve
   * them (this project has none of them anyway), and the message says what to do.
   */
  @Test
  void aFeatureWithoutItsModulesFailsTheDeploymentSayingHowToAddThem() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = new JsonObject().put("daemonUrl", "http://127.0.0.1:1/")
          .put("coin", "Bitcoin").put("net", "regtest").put("address", "modular.http")
          .put("httpPort", 0);
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> await(Embedded.heightAndGenesis(vertx, config)));
      String message = failed.getCause().getMessage();
      assertTrue(message.contains("the HTTP front needs io.vertx:vertx-web"), message);
      assertTrue(message.endsWith("require their modules in your module-info.java, or start the"
          + " JVM with --add-modules)"), message);
    } finally {
      await(vertx.close());
    }
  }

  /** A bitcoind-style JSON-RPC answer to a call or a batch of them. */
  static Object answer(Buffer body) {
    if (body.toString().strip().startsWith("[")) {
      JsonArray replies = new JsonArray();
      new JsonArray(body).forEach(call -> replies.add(answer((JsonObject) call)));
      return replies;
    }
    return answer(new JsonObject(body));
  }

  static JsonObject answer(JsonObject call) {
    Object result;
    switch (call.getString("method")) {
      case "getblockchaininfo" -> result = new JsonObject().put("chain", "regtest")
          .put("blocks", TIP).put("headers", TIP);
      case "getblockcount" -> result = TIP;
      case "getblockhash" -> result = GENESIS;
      default -> {
        return new JsonObject().put("result", null).put("id", call.getValue("id")).put("error",
            new JsonObject().put("code", -32601).put("message", "Method not found"));
      }
    }
    return new JsonObject().put("result", result).put("error", null)
        .put("id", call.getValue("id"));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
