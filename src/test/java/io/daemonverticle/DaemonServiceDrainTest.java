package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.Fault;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verticle a reload retires is undeployed once its requests are answered, and at
 * {@link DaemonService#MAX_DRAIN_MS} at the latest, in virtual time ({@link VirtualTime}):
 * exactly then, not a millisecond before. The reload itself is real (the file is read again
 * every {@link #SCAN_MS}); only the drain's bound is on the virtual clock.
 */
@ExtendWith(VertxExtension.class)
class DaemonServiceDrainTest {

  private static final long SCAN_MS = 100;

  @TempDir
  Path dir;
  private Path file;
  private FakeDaemon first;
  private FakeDaemon second;
  private JsonObject config;

  @BeforeEach
  void daemons(Vertx vertx, VertxTestContext ctx) {
    file = dir.resolve("config.json");
    Future.all(FakeDaemon.bitcoinLike(vertx, 120), FakeDaemon.bitcoinLike(vertx, 120))
        .onComplete(ctx.succeeding((CompositeFuture all) -> {
          first = all.resultAt(0);
          second = all.resultAt(1);
          // A request the old daemon never answers stays in flight for the whole test.
          config = Deployments.config(first).put("requestTimeoutMs", Actions.MAX_TIMEOUT_MS)
              .put("attemptTimeoutMs", Actions.MAX_TIMEOUT_MS);
          ctx.completeNow();
        }));
  }

  @AfterEach
  void close(Vertx vertx, VertxTestContext ctx) {
    Future.all(first.close(), second.close())
        .onComplete((AsyncResult<CompositeFuture> ar) -> ctx.completeNow());
  }

  @Test
  void aRetiringVerticleHoldingARequestIsUndeployedAtTheDrainBound(Vertx vertx,
                                                                   VertxTestContext ctx)
      throws Exception {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    write(config);
    DaemonService service = new DaemonService(file, SCAN_MS, Map.of(), time);
    DaemonVerticle[] old = new DaemonVerticle[1];
    AtomicReference<Future<Object>> held = new AtomicReference<>();
    vertx.deployVerticle(service, new DeploymentOptions().setConfig(new JsonObject()))
        .compose((String id) -> {
          old[0] = service.verticle();
          first.failNext(Fault.HANG);
          held.set(mempool(vertx));
          return time.once(() -> first.methods().contains("getrawmempool"));
        })
        .compose((Void v) -> {
          rewrite(config.copy().put("daemonUrl", second.url(Deployments.USER,
              Deployments.PASSWORD)), ctx);
          // The new verticle serves and the old one drains: its bound is set.
          return time.once(() -> time.pending() == 1);
        })
        .compose((Void v) -> time.advance(DaemonService.MAX_DRAIN_MS - 1))
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(time.delaysSet()).containsExactly(DaemonService.MAX_DRAIN_MS);
            assertThat(service.verticle()).isNotSameAs(old[0]);
            assertThat(vertx.deploymentIDs()).as("still draining")
                .contains(old[0].deploymentID());
            assertThat(held.get().isComplete()).isFalse();
          });
          return time.advance(1);
        })
        // Undeploying answers what it still held.
        .compose((Void v) -> held.get().transform((AsyncResult<Object> ar) -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).as("answered by the undeployment").isTrue();
            assertThat(ar.cause()).hasMessageContaining("stopping");
          });
          return time.once(() -> !vertx.deploymentIDs().contains(old[0].deploymentID()));
        }))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(vertx.deploymentIDs()).contains(service.verticle().deploymentID());
          ctx.completeNow();
        })));
  }

  @Test
  void aRetiringVerticleWithNothingInFlightGoesAtOnceAndItsBoundWithIt(Vertx vertx,
                                                                       VertxTestContext ctx)
      throws Exception {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    write(config);
    DaemonService service = new DaemonService(file, SCAN_MS, Map.of(), time);
    DaemonVerticle[] old = new DaemonVerticle[1];
    vertx.deployVerticle(service, new DeploymentOptions().setConfig(new JsonObject()))
        .compose((String id) -> {
          old[0] = service.verticle();
          rewrite(config.copy().put("daemonUrl", second.url(Deployments.USER,
              Deployments.PASSWORD)), ctx);
          return time.once(() -> !vertx.deploymentIDs().contains(old[0].deploymentID()));
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(time.delaysSet()).as("the bound was set")
              .containsExactly(DaemonService.MAX_DRAIN_MS);
          assertThat(time.pending()).as("and cancelled").isZero();
          assertThat(time.nowMs()).isZero();
          ctx.completeNow();
        })));
  }

  private Future<Object> mempool(Vertx vertx) {
    return vertx.eventBus().request(config.getString("address"), new JsonObject(),
        new DeliveryOptions().addHeader(Actions.HEADER, Actions.MEMPOOL_HASHES)
            .setSendTimeout(60_000)).map((Message<Object> m) -> m.body());
  }

  private void write(JsonObject json) throws Exception {
    Files.writeString(file, json.encodePrettily(), StandardCharsets.UTF_8);
  }

  private void rewrite(JsonObject json, VertxTestContext ctx) {
    try {
      write(json);
    } catch (Exception e) {
      ctx.failNow(e);
    }
  }
}
