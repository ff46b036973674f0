package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's example of calling the service from another verticle, and the package overview's
 * deploy-and-call example (package-info.java), kept compiling and running here.
 */
@ExtendWith(VertxExtension.class)
class DaemonClientExampleTest {

  // README example begins
  /** Publishes the size of each new tip block on "tip.size", blocks of a reorg included. */
  public static class TipWatcher extends VerticleBase {
    private final String daemonAddress;
    private DaemonClient daemon;

    public TipWatcher(String daemonAddress) {
      this.daemonAddress = daemonAddress;
    }

    @Override
    public Future<?> start() {
      daemon = DaemonClient.create(vertx, daemonAddress);
      // One update per block of the best chain, in order, from whichever node follows the tip.
      return daemon.tips((TipUpdate tip) -> report(tip.height(), tip.hash())).completion();
    }

    private Future<Void> report(int height, String hash) {
      return daemon.rawBlocks(List.of(hash))
          .map((List<Buffer> blocks) -> {
            vertx.eventBus().publish("tip.size", new JsonObject()
                .put("height", height).put("bytes", blocks.get(0).length()));
            return (Void) null;
          })
          .onFailure((Throwable e) -> {
            // Every failure is a DaemonException carrying the contract's code (400 … 503).
            DaemonException failure = (DaemonException) e;
            System.err.println("tip " + height + ": " + failure.code() + " " + e.getMessage());
          });
    }
  }
  // README example ends

  @Test
  void tipWatcherFollowsTheDaemon(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.example." + System.nanoTime();
    FakeDaemon.bitcoinLike(vertx, 30).compose((FakeDaemon fake) -> {
      List<JsonObject> sizes = new ArrayList<>();
      vertx.eventBus().<JsonObject>consumer("tip.size", (Message<JsonObject> msg) -> {
        sizes.add(msg.body());
        if (sizes.size() == 1) {
          // Block 30's raw bytes are 1000 + 30 long (FakeChain); then the next block comes.
          ctx.verify(() -> assertThat(msg.body()).isEqualTo(new JsonObject()
              .put("height", 30).put("bytes", 1030)));
          fake.setHeight(31);
        } else {
          ctx.verify(() -> assertThat(sizes).containsExactly(
              new JsonObject().put("height", 30).put("bytes", 1030),
              new JsonObject().put("height", 31).put("bytes", 1031)));
          ctx.completeNow();
        }
      });
      // The watcher first: it follows from the service's first tip on.
      return vertx.deployVerticle(new TipWatcher(address))
          .compose((String id) -> Service.deploy(vertx, fake, (JsonObject c) ->
              c.put("address", address).put("heightPollMs", 50)));
    }).onFailure(ctx::failNow);
  }

  /** The package overview's example, from deployment to blocks, with the fake's URL. */
  static Future<List<Buffer>> deployAndCall(Vertx vertx, JsonObject config) {
    // package overview example begins
    Future<List<Buffer>> blocks = vertx
        .deployVerticle(new DaemonVerticle(), new DeploymentOptions().setConfig(config))
        .compose((String id) -> {
          // Any verticle on any node of the cluster can make these calls.
          DaemonClient daemon = DaemonClient.create(vertx, "daemon");
          return daemon.height()
              .compose((Integer tip) -> daemon.blockHexHashes(tip - 9, 10))
              .compose(daemon::rawBlocks);
        })
        .onSuccess((List<Buffer> raw) -> System.out.println(raw.size() + " blocks, the tip "
            + raw.get(9).length() + " bytes"))
        .onFailure((Throwable e) -> System.err.println("failed: " + e));
    // package overview example ends
    return blocks;
  }

  @Test
  void packageOverviewExampleFetchesTheLastTenBlocks(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 30).compose((FakeDaemon fake) -> {
      // The example's keys (daemonUrl, coin, net) and the default address; the test's
      // timeouts stay.
      JsonObject config = Deployments.config(fake);
      config.remove("address");
      return deployAndCall(vertx, config);
    }).onComplete(ctx.succeeding((List<Buffer> blocks) -> ctx.verify(() -> {
      // Blocks 21 to 30; block h's raw bytes are 1000 + h long (FakeChain).
      assertThat(blocks).extracting(Buffer::length)
          .containsExactly(1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 1029, 1030);
      ctx.completeNow();
    })));
  }

  /** The overview shows the code the test above runs, line for line (indentation aside). */
  @Test
  void packageOverviewShowsTheExampleThatRuns() throws IOException {
    String test = Files.readString(
        Path.of("src/test/java/io/daemonverticle/DaemonClientExampleTest.java"));
    String overview = Files.readString(
        Path.of("src/main/java/io/daemonverticle/package-info.java"));
    String ran = test.substring(test.indexOf("// package overview example begins\n"),
        test.indexOf("    // package overview example ends"));
    List<String> ranLines = trimmed(ran.substring(ran.indexOf('\n') + 1));
    String shown = overview.substring(overview.indexOf("<pre>{@code"),
        overview.indexOf("}</pre>"));
    List<String> shownLines = trimmed(shown.replaceAll("(?m)^ \\*", ""));
    assertThat(String.join("\n", shownLines)).contains(String.join("\n", ranLines));
  }

  private static List<String> trimmed(String code) {
    return Arrays.stream(code.split("\n")).map(String::trim).filter((String l) -> !l.isEmpty())
        .toList();
  }
}
