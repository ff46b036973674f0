package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deployed from code, the service uses the config it was given (issue 30): neither the
 * working directory's conf/config.json (here the project's own, which says maxWorkqueue 10,
 * address "daemon" and an HTTP port) nor the process environment changes it, unless the
 * launcher's properties ask for them.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedConfigTest {

  private static final String BOGUS_URL = "http://u:p@127.0.0.1:1/";

  @BeforeEach
  @AfterEach
  void noLauncher() {
    System.clearProperty(DaemonService.CONFIG_FILE_PROPERTY);
    System.clearProperty(DaemonService.ENVIRONMENT_PROPERTY);
  }

  /** The precondition of the tests below: without it they would prove nothing. */
  @Test
  void theWorkingDirectoryHoldsAConfigFileThatSaysOtherwise() throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of(DaemonService.DEFAULT_CONFIG_FILE)));
    assertThat(file.getInteger("maxWorkqueue")).isEqualTo(10);
    assertThat(file.getString("address")).isEqualTo("daemon");
  }

  @Test
  void deployedFromCodeItServesTheGivenAddressWithTheGivenWorkQueue(Vertx vertx,
                                                                    VertxTestContext ctx) {
    servesOnItsOwnConfig(vertx, ctx, Map.of());
  }

  @Test
  void deployedFromCodeTheProcessEnvironmentDoesNotOverrideIt(Vertx vertx,
                                                             VertxTestContext ctx) {
    servesOnItsOwnConfig(vertx, ctx, Map.of("DAEMON_URL", BOGUS_URL, "NET", "mainnet"));
  }

  @Test
  void theLaunchersPropertyLetsTheEnvironmentOverrideIt(Vertx vertx, VertxTestContext ctx) {
    System.setProperty(DaemonService.ENVIRONMENT_PROPERTY, "true");
    FakeDaemon.bitcoinLike(vertx, 50).compose((FakeDaemon fake) -> vertx.deployVerticle(
            new DaemonService(Map.of("DAEMON_URL", BOGUS_URL)), new DeploymentOptions()
                .setConfig(Deployments.config(fake).put("address", "env.wins")
                    .put("requestTimeoutMs", 300))))
        .compose((String id) -> height(vertx, "env.wins"))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          // The environment's URL (nothing listens there) was used, not the config's.
          assertThat(((ReplyException) e).failureCode()).isEqualTo(503);
          ctx.completeNow();
        })));
  }

  private static void servesOnItsOwnConfig(Vertx vertx, VertxTestContext ctx,
                                           Map<String, String> processEnvironment) {
    String address = "a." + System.nanoTime();
    FakeDaemon.bitcoinLike(vertx, 50).compose((FakeDaemon fake) -> {
      fake.setLatency(200);
      JsonObject config = Deployments.config(fake).put("maxWorkqueue", 3)
          .put("address", address);
      return vertx.deployVerticle(new DaemonService(processEnvironment),
              new DeploymentOptions().setConfig(config))
          .compose((String id) -> {
            List<Future<Integer>> heights = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              heights.add(height(vertx, address));
            }
            return Future.all(heights);
          })
          // The file's address has no service: had the file been layered, it would.
          .compose(all -> height(vertx, "daemon").transform(ar -> Future.succeededFuture(
              ar.failed() && ar.cause() instanceof ReplyException re
                  && re.failureType() == ReplyFailure.NO_HANDLERS)))
          .map((Boolean nobodyOnTheFilesAddress) -> {
            assertThat(nobodyOnTheFilesAddress).isTrue();
            return fake;
          });
    }).onComplete(ctx.succeeding((FakeDaemon fake) -> ctx.verify(() -> {
      assertThat(fake.maxConcurrent()).as("at most maxWorkqueue 3 in flight, not the "
          + "file's 10").isBetween(1, 3);
      ctx.completeNow();
    })));
  }

  private static Future<Integer> height(Vertx vertx, String address) {
    return vertx.eventBus().<Integer>request(address, null, new DeliveryOptions()
            .addHeader(Actions.HEADER, Actions.HEIGHT).setSendTimeout(10_000))
        .map(Message::body);
  }
}
