package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * minDaemonVersion and requiredIndexes: checked before the start succeeds, through a
 * deployment (StartupChecksRunTest has the checks alone, in virtual time).
 */
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
