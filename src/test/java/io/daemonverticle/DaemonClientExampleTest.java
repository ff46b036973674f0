package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's example of calling the service from another verticle, kept compiling here. */
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
}
