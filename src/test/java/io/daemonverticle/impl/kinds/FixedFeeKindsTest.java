package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
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

/** The fakeEstimateFee and fakeEstimateLegacy kinds answer fixed fees without the daemon. */
@ExtendWith(VertxExtension.class)
class FixedFeeKindsTest {

  private static Future<Void> expectFees(VertxTestContext ctx, FakeDaemon fake,
                                         DaemonClient client, double estimate, double relay) {
    return client.estimateFee(6, null)
        .compose((Double fee) -> {
          ctx.verify(() -> assertThat(fee).isEqualTo(estimate));
          return client.estimateFee(2, "conservative");
        })
        .compose((Double fee) -> {
          ctx.verify(() -> assertThat(fee).isEqualTo(estimate));
          return client.relayFee();
        })
        .map((Double fee) -> {
          ctx.verify(() -> {
            assertThat(fee).isEqualTo(relay);
            assertThat(fake.calls()).as("daemon requests").isEmpty();
            assertThat(fake.httpRequests()).isZero();
          });
          return null;
        });
  }

  @Test
  void peercoinAnswersItsTableFees(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx).compose((FakeDaemon fake) ->
            KindHarness.deploy(vertx, fake, coin("Peercoin", "mainnet"))
                .compose((DaemonClient client) -> expectFees(ctx, fake, client, 0.001, 0.01)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void configOverridesTheTable(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx).compose((FakeDaemon fake) ->
            KindHarness.deploy(vertx, fake, coin("Peercoin", "mainnet")
                    .put("estimateFee", 0.5).put("relayFee", 0.25))
                .compose((DaemonClient client) -> expectFees(ctx, fake, client, 0.5, 0.25)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void fakeEstimateLegacyAnswersGravityZeroCoinsFees(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx).compose((FakeDaemon fake) ->
            KindHarness.deploy(vertx, fake, coin("GravityZeroCoin", "mainnet"))
                .compose((DaemonClient client) -> expectFees(ctx, fake, client, 0.01, 0.01)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void badParametersAreStillRefused(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx).compose((FakeDaemon fake) ->
            KindHarness.deploy(vertx, fake, coin("Peercoin", "mainnet"))
                .compose((DaemonClient client) -> client.request("estimateFee",
                    new JsonObject().put("blocks", -1))))
        .transform((AsyncResult<Object> ar) -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).isTrue();
            assertThat(((DaemonException) ar.cause()).code()).isEqualTo(400);
          });
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aCoinWithoutARelayFeeFailsDeploymentNamingTheKey(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx).compose((FakeDaemon fake) ->
            Deployments.deploy(vertx, KindHarness.config(fake, coin("Primecoin", "mainnet"))))
        .transform((AsyncResult<String> ar) -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).as("deployment of Primecoin without relayFee").isTrue();
            assertThat(ar.cause().getMessage())
                .contains("relayFee").contains("Primecoin").contains("config key");
          });
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConfiguredRelayFeeCompletesTheTable(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx).compose((FakeDaemon fake) ->
            KindHarness.deploy(vertx, fake, coin("Primecoin", "mainnet").put("relayFee", 0.02))
                .compose((DaemonClient client) -> expectFees(ctx, fake, client, 1.024, 0.02)))
        .onComplete(ctx.succeedingThenComplete());
  }
}
