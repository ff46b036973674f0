package io.daemonverticle.impl.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.DaemonOptions;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.LogCapture;
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

/**
 * The start-up checks alone, on a daemon the test answers by hand, in virtual time: one
 * request timeout for them all, measured on the service's time source; what each answer makes
 * of the start. Each outcome is there with the last answer, so a check that would never end
 * fails its test at once.
 */
@ExtendWith(VertxExtension.class)
class StartupChecksRunTest {

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
    assertThat(StartupChecks.versionNumber("0.21.1.2")).isEqualTo(210102);
    assertThatThrownBy(() -> StartupChecks.versionNumber("27"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StartupChecks.versionNumber("0.21.1.2.3"))
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

  /** What {@code run} makes of {@code answers}, given in turn to the calls it makes. */
  private static Future<Void> checked(Vertx vertx, DaemonOptions options, Object... answers) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ScriptedDaemon daemon = ScriptedDaemon.on(vertx, time);
    List<Future<Void>> checked = new ArrayList<>();
    return VirtualTime.on(context, () -> {
      checked.add(StartupChecks.run(daemon, options, time));
      for (int n = 0; n < answers.length; n++) {
        assertThat(daemon.calls()).as("call %d made", n).hasSize(n + 1);
        if (answers[n] instanceof Throwable failure) {
          daemon.call(n).answer().fail(failure);
        } else {
          daemon.call(n).answer().complete(answers[n]);
        }
      }
      assertThat(daemon.calls()).as("no call unanswered").hasSize(answers.length);
      assertThat(checked.get(0).isComplete()).as("done with the last answer").isTrue();
    }).compose((Void v) -> checked.get(0));
  }

  @Test
  void aDaemonOfExactlyTheMinimumVersionPasses(Vertx vertx, VertxTestContext ctx) {
    checked(vertx, new DaemonOptions().setMinDaemonVersion("27.0"),
        new JsonObject().put("version", 270000))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aVersionThatIsNoNumberFailsTheCheck(Vertx vertx, VertxTestContext ctx) {
    checked(vertx, new DaemonOptions().setMinDaemonVersion("27.0"),
        new JsonObject().put("version", "27.0"))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).hasMessage("daemon reports version 27.0, not a number: cannot check "
              + "minDaemonVersion 27.0");
          ctx.completeNow();
        })));
  }

  @Test
  void indexInfoThatIsNoObjectFailsTheCheck(Vertx vertx, VertxTestContext ctx) {
    checked(vertx, new DaemonOptions().setRequiredIndexes(List.of("txindex")), new JsonArray())
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).hasMessage("getindexinfo did not answer an object");
          ctx.completeNow();
        })));
  }

  @Test
  void theIndexesAreCheckedWhenTheVersionPassed(Vertx vertx, VertxTestContext ctx) {
    checked(vertx, new DaemonOptions().setMinDaemonVersion("0.21.0")
            .setRequiredIndexes(List.of("txindex")),
        new JsonObject().put("version", 210000),
        new JsonObject().put("txindex", index(true, 3)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anErrorOfGetindexinfoFailsTheCheckNamingIt(Vertx vertx, VertxTestContext ctx) {
    checked(vertx, new DaemonOptions().setRequiredIndexes(List.of("txindex")),
        DaemonRpcException.of(new JsonObject().put("code", -32601).put("message", "nope")))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).hasMessage("cannot check requiredIndexes [txindex]: the daemon "
              + "answered getindexinfo with error -32601 (nope)");
          ctx.completeNow();
        })));
  }

  @Test
  void indexInfoThatDidNotComeFailsTheCheckWithWhatHappened(Vertx vertx,
                                                           VertxTestContext ctx) {
    IllegalStateException lost = new IllegalStateException("connection lost");
    checked(vertx, new DaemonOptions().setRequiredIndexes(List.of("txindex")), lost)
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).isSameAs(lost);
          ctx.completeNow();
        })));
  }

  @Test
  void anOlderDaemonFailsTheCheckSayingBothVersions(Vertx vertx, VertxTestContext ctx) {
    checked(vertx, new DaemonOptions().setMinDaemonVersion("27.0"),
        new JsonObject().put("version", 269999).put("subversion", "/Satoshi:26.99.99/"))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).hasMessage("daemon version 269999 (/Satoshi:26.99.99/) is older than "
              + "minDaemonVersion 27.0 (270000)");
          ctx.completeNow();
        })));
  }

  @Test
  void onlyAnIndexStillSyncingIsWarnedOf(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    checked(vertx, new DaemonOptions().setRequiredIndexes(List.of("txindex", "blockfilterindex")),
        new JsonObject().put("txindex", index(true, 3)).put("blockfilterindex", index(false, 2)))
        .andThen((AsyncResult<Void> ar) -> logs.close())
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(logs.linesWith("still syncing")).singleElement().satisfies((String line) ->
              assertThat(line).contains("blockfilterindex").contains("height 2"));
          ctx.completeNow();
        })));
  }

  @Test
  void aMissingIndexFailsTheCheckAndASyncingOneDoesNot(Vertx vertx, VertxTestContext ctx) {
    DaemonOptions options = new DaemonOptions()
        .setRequiredIndexes(List.of("txindex", "coinstatsindex"));
    checked(vertx, options, new JsonObject().put("txindex", index(false, 2)))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).hasMessage("daemon lacks required index(es) [coinstatsindex]; it has "
              + "[txindex]");
          ctx.completeNow();
        })));
  }
}
