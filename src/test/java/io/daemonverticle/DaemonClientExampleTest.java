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
  /** Publishes the size of the tip block on "tip.size" whenever the daemon's height changes. */
  public static class TipWatcher extends VerticleBase {
    private final String daemonAddress;
    private DaemonClient daemon;

    public TipWatcher(String daemonAddress) {
      this.daemonAddress = daemonAddress;
    }

    @Override
    public Future<?> start() {
      daemon = DaemonClient.create(vertx, daemonAddress);
      vertx.eventBus().<JsonObject>consumer(daemonAddress + ".height",
          (Message<JsonObject> msg) -> report(msg.body().getInteger("height")));
      return daemon.height().compose(this::report);
    }

    private Future<Void> report(int height) {
      return daemon.blockHexHashes(height, 1)
          .compose(daemon::rawBlocks)
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
    List<JsonObject> sizes = new ArrayList<>();
    vertx.eventBus().<JsonObject>consumer("tip.size", (Message<JsonObject> msg) -> {
      sizes.add(msg.body());
      if (sizes.size() == 1) {
        // Block 31's raw bytes are 1000 + 31 long (FakeChain).
        ctx.verify(() -> assertThat(msg.body()).isEqualTo(new JsonObject()
            .put("height", 30).put("bytes", 1030)));
      }
      if (sizes.get(sizes.size() - 1).getInteger("height") == 31) {
        ctx.verify(() -> assertThat(msg.body().getInteger("bytes")).isEqualTo(1031));
        ctx.completeNow();
      }
    });
    FakeDaemon.bitcoinLike(vertx, 30).compose((FakeDaemon fake) ->
        Service.deploy(vertx, fake, (JsonObject c) -> c.put("heightPollMs", 50))
            .compose((Service s) -> vertx.deployVerticle(new TipWatcher(s.address)))
            .onSuccess((String id) -> fake.setHeight(31)))
        .onFailure(ctx::failNow);
  }
}
