package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonKind;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The kind comes from the coin table's daemon column, or from the daemonKind key. */
@ExtendWith(VertxExtension.class)
class KindSelectionTest {

  @ParameterizedTest
  @CsvSource({
      "Bitcoin, mainnet, default",
      "Dash, mainnet, dash",
      "Dash, testnet, dash",
      "SmartCash, mainnet, smartcash",
      "Zcoin, testnet, zcoinMtp",
      "Decred, mainnet, decred",
      "Blackcoin, mainnet, legacy",
      "EXOS, mainnet, preLegacy",
      "Peercoin, mainnet, fakeEstimateFee",
      "GravityZeroCoin, mainnet, fakeEstimateLegacy"})
  void theCoinTableChoosesTheKind(String coinName, String net, String kind, Vertx vertx,
                                  VertxTestContext ctx) {
    FakeDaemon.start(vertx)
        .compose((FakeDaemon fake) -> KindHarness.deploy(vertx, fake, coin(coinName, net)))
        .compose((DaemonClient client) -> client.status())
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            assertThat(status.getString("kind")).isEqualTo(kind);
            assertThat(status.getString("coin")).isEqualToIgnoringCase(coinName);
          });
          return status;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Every kind deploys by name over a coin of another kind and serves status. */
  @ParameterizedTest
  @EnumSource(DaemonKind.class)
  void everyKindDeploysAndServesStatus(DaemonKind kind, Vertx vertx, VertxTestContext ctx) {
    // Bitcoin has no fixed fees in the table: the fake-estimate kinds need them configured.
    JsonObject overrides = coin("Bitcoin", "regtest").put("daemonKind", kind.configName())
        .put("estimateFee", 0.0002).put("relayFee", 0.0001);
    FakeDaemon.start(vertx)
        .compose((FakeDaemon fake) -> KindHarness.deploy(vertx, fake, overrides))
        .compose((DaemonClient client) -> client.status())
        .map((JsonObject status) -> {
          ctx.verify(() -> assertThat(status.getString("kind")).isEqualTo(kind.configName()));
          return status;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void daemonKindOverridesTheTableByElectrumxClassNameToo(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx)
        .compose((FakeDaemon fake) -> KindHarness.deploy(vertx, fake, coin("Dash", "mainnet")
            .put("daemonKind", "LegacyRPCDaemon")))
        .compose((DaemonClient client) -> client.status())
        .map((JsonObject status) -> {
          ctx.verify(() -> assertThat(status.getString("kind")).isEqualTo("legacy"));
          return status;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anUnknownKindFailsDeployment(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx)
        .compose((FakeDaemon fake) -> Deployments.deploy(vertx, KindHarness.config(fake,
            coin("Dash", "mainnet").put("daemonKind", "ethereum"))))
        .transform((AsyncResult<String> ar) -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).isTrue();
            assertThat(ar.cause().getMessage()).contains("ethereum");
          });
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
