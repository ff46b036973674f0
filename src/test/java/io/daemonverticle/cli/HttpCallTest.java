package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.impl.codec.BlockHash;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/dv over the HTTP front prints what the event-bus path prints. */
class HttpCallTest {

  private Vertx vertx;
  private JsonObject config;
  private int port;

  @BeforeEach
  void deploy() throws Exception {
    vertx = Vertx.vertx();
    FakeDaemon fake = FakeDaemon.bitcoinLike(vertx, 6).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    config = Deployments.config(fake).put("httpPort", 0).put("httpToken", "tk");
    DaemonVerticle verticle = new DaemonVerticle(Map.of());
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    port = verticle.httpPort();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void printsTheRepliesOfTheEventBusPath(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, new JsonObject().put("httpPort", port).encode());
    String[] out = new String[2];
    assertThat(call(new String[] {"height"}, conf, "tk", out)).isZero();
    assertThat(out[0]).isEqualTo("6\n");
    String hashes = "{\"hashes\":[\"" + FakeChain.blockHash(1) + "\"]}";
    assertThat(call(new String[] {"rawBlocks", hashes}, conf, "tk", out)).isZero();
    Buffer framed = vertx.eventBus().<Buffer>request(config.getString("address"),
            new JsonObject(hashes), new DeliveryOptions().addHeader("action", "rawBlocks"))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DaemonCli.print(framed, new PrintStream(expected, true, StandardCharsets.UTF_8));
    assertThat(out[0]).isEqualTo(expected.toString(StandardCharsets.UTF_8))
        .startsWith(BlockHash.hexHash(framed.getBytes(4, 4 + 80)));
    assertThat(call(new String[] {"blockHexHashes", "{\"first\":0,\"count\":2}"}, conf, "tk",
        out)).isZero();
    assertThat(new JsonArray(out[0])).containsExactly(FakeChain.blockHash(0),
        FakeChain.blockHash(1));
    assertThat(call(new String[] {"noSuch"}, conf, "tk", out)).isEqualTo(1);
    assertThat(out[1]).isEqualTo("error 404: unknown action: noSuch\n");
    assertThat(call(new String[] {"height"}, conf, null, out)).isEqualTo(1);
    assertThat(out[1]).startsWith("error 401: ");
  }

  @Test
  void saysSoWhenThereIsNoFront(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, "{}");
    String[] out = new String[2];
    assertThat(call(new String[] {"height"}, conf, null, out)).isEqualTo(1);
    assertThat(out[1]).contains("sets no httpPort").contains("--cluster");
    assertThat(call(new String[] {"height", "--url", "http://127.0.0.1:1"}, conf, null, out))
        .isEqualTo(1);
    assertThat(out[1]).contains("no answer from the HTTP front");
  }

  private static int call(String[] args, Path conf, String token, String[] outAndErr) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = HttpCall.run(DaemonCli.CliArgs.parse(args), conf.toString(), token,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    outAndErr[0] = out.toString(StandardCharsets.UTF_8);
    outAndErr[1] = err.toString(StandardCharsets.UTF_8);
    return status;
  }

  @Test
  void httpPortAndHttpHostFromTheEnvironmentWinOverTheConfigFile(@TempDir Path dir)
      throws Exception {
    // As the service reads them: scripts/run --http-port N exports HTTP_PORT for both.
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, "{\"httpPort\": 8339, \"httpHost\": \"127.0.0.1\"}");
    assertThat(HttpCall.fromConfig(conf.toString(), Map.of()).getPort()).isEqualTo(8339);
    assertThat(HttpCall.fromConfig(conf.toString(), Map.of("HTTP_PORT", "18339")))
        .hasToString("http://127.0.0.1:18339/");
    assertThat(HttpCall.fromConfig(conf.toString(), Map.of("HTTP_PORT", "18339",
        "HTTP_HOST", "localhost"))).hasToString("http://localhost:18339/");
    assertThat(HttpCall.fromConfig(null, Map.of("HTTP_PORT", "18340")).getPort())
        .isEqualTo(18340);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            HttpCall.fromConfig(conf.toString(), Map.of("HTTP_PORT", "eighty")))
        .hasMessageContaining("HTTP_PORT must be a port number");
  }
}
