package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.impl.service.StartupChecks;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.daemonverticle.testing.ScriptedDaemon;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** minDaemonVersion and requiredIndexes: checked before the start succeeds. */
@ExtendWith(VertxExtension.class)
class StartupChecksTest {

  /** The FakeChain daemon reports version 270000 (27.0.0). */
  private static Future<String> deploy(Vertx vertx, FakeDaemon fake, JsonObject extra) {
    return Deployments.deploy(vertx, Deployments.config(fake).mergeIn(extra));
  }

  private static JsonObject index(boolean synced, int height) {
    return new JsonObject().put("synced", synced).put("best_block_height", height);
  }

  @Test
  void versionNumberFollowsBitcoind() {
    assertThat(StartupChecks.versionNumber("0.21.0")).isEqualTo(210000);
    assertThat(StartupChecks.versionNumber("0.21.1")).isEqualTo(210100);
    assertThat(StartupChecks.versionNumber("0.16.3")).isEqualTo(160300);
    assertThat(StartupChecks.versionNumber("22.0")).isEqualTo(220000);
    assertThat(StartupChecks.versionNumber("25.1")).isEqualTo(250100);
    assertThat(StartupChecks.versionNumber("v27.0.1")).isEqualTo(270001);
    assertThatThrownBy(() -> StartupChecks.versionNumber("27"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StartupChecks.versionNumber("27.x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bothChecksShareOneRequestTimeoutOnTheServicesTime(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ScriptedDaemon daemon = ScriptedDaemon.on(vertx, time);
    DaemonOptions options = new DaemonOptions().setRequestTimeoutMs(1_000)
        .setMinDaemonVersion("25.0").setRequiredIndexes(List.of("txindex"));
    List<Future<Void>> checked = new ArrayList<>();
    VirtualTime.on(context, () -> {
      checked.add(StartupChecks.run(daemon, options, time));
      assertThat(daemon.methods()).containsExactly("getnetworkinfo");
      assertThat(daemon.call(0).deadline().clock()).isSameAs(time);
      assertThat(daemon.call(0).deadline().expiresAtNanos() - time.nanoTime())
          .isEqualTo(1_000_000_000L);
    }).compose((Void v) -> time.advance(700)).compose((Void v) -> VirtualTime.on(context, () -> {
      daemon.call(0).answer().complete(new JsonObject().put("version", 270000));
      assertThat(daemon.methods()).containsExactly("getnetworkinfo", "getindexinfo");
      assertThat(daemon.call(1).deadline()).as("what is left of the one timeout")
          .isSameAs(daemon.call(0).deadline());
      assertThat(daemon.call(1).deadline().remainingMs()).isEqualTo(300);
      daemon.call(1).answer().complete(new JsonObject().put("txindex", index(true, 3)));
      assertThat(checked.get(0).succeeded()).isTrue();
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void minVersionMetStartsAndOlderDaemonFails(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 3).compose((FakeDaemon fake) ->
        deploy(vertx, fake, new JsonObject().put("minDaemonVersion", "0.21.0"))
            .compose((String id) -> {
              assertThat(fake.methods()).containsExactly("getnetworkinfo");
              return Service.expectFailure(deploy(vertx, fake,
                  new JsonObject().put("minDaemonVersion", "28.0")));
            })
            .map((DaemonException e) -> {
              assertThat(e.getMessage()).contains("older than minDaemonVersion 28.0")
                  .contains("270000");
              return e;
            })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void checksWaitForAWarmingDaemon(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 3).compose((FakeDaemon fake) -> {
      fake.failNext(Fault.WARMING_UP, Fault.WARMING_UP);
      return deploy(vertx, fake, new JsonObject().put("minDaemonVersion", "25.0"))
          .map((String id) -> {
            assertThat(fake.methods()).containsExactly("getnetworkinfo", "getnetworkinfo",
                "getnetworkinfo");
            return id;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void missingRequiredIndexFailsTheStartWithAClearMessage(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 3).compose((FakeDaemon fake) -> {
      fake.handle("getindexinfo", (JsonArray p) -> new JsonObject().put("txindex", index(true, 3)));
      return deploy(vertx, fake, new JsonObject().put("requiredIndexes",
              new JsonArray().add("txindex")))
          .compose((String id) -> Service.expectFailure(deploy(vertx, fake, new JsonObject()
              .put("requiredIndexes", new JsonArray().add("txindex").add("coinstatsindex")))))
          .map((DaemonException e) -> {
            assertThat(e.getMessage()).contains("lacks required index").contains("coinstatsindex")
                .doesNotContain("[txindex, coinstatsindex]");
            return e;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void syncingIndexOnlyWarns(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    FakeDaemon.bitcoinLike(vertx, 30).compose((FakeDaemon fake) -> {
      fake.handle("getindexinfo", (JsonArray p) -> new JsonObject().put("txindex", index(false,
          12)));
      return deploy(vertx, fake, new JsonObject().put("requiredIndexes", "txindex"))
          .map((String id) -> {
            assertThat(logs.lines()).anyMatch((String l) -> l.startsWith("WARN")
                && l.contains("txindex") && l.contains("still syncing") && l.contains("12"));
            return id;
          });
    }).andThen((AsyncResult<String> ar) -> logs.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void daemonWithoutGetindexinfoFailsTheCheck(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 3).compose((FakeDaemon fake) ->
        Service.expectFailure(deploy(vertx, fake, new JsonObject().put("requiredIndexes",
            new JsonArray().add("txindex")))).map((DaemonException e) -> {
              assertThat(e.getMessage()).contains("cannot check requiredIndexes")
                  .contains("-32601");
              return e;
            })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void withoutChecksTheStartDoesNotAskTheDaemon(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 3).compose((FakeDaemon fake) -> deploy(vertx, fake,
        new JsonObject())
        .map((String id) -> {
          assertThat(fake.httpRequests()).isZero();
          return id;
        })).onComplete(ctx.succeedingThenComplete());
  }
}
