package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** cookieFile: credentials read from bitcoind's .cookie, and read again after a 401. */
@ExtendWith(VertxExtension.class)
class CookieFileTest {

  private static final String COOKIE_USER = "__cookie__";

  @TempDir
  Path dir;

  private static String basic(String pass) {
    return "Basic " + Base64.getEncoder().encodeToString((COOKIE_USER + ":" + pass)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path cookie, String pass) {
    try {
      Files.writeString(cookie, COOKIE_USER + ":" + pass + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void cookieIsReadAndReadAgainWhenTheDaemonRestartsWithANewOne(Vertx vertx,
                                                                 VertxTestContext ctx) {
    Path cookie = dir.resolve(".cookie");
    write(cookie, "first-secret");
    FakeDaemon.bitcoinLike(vertx, 8).compose((FakeDaemon fake) -> {
      fake.requireAuth(COOKIE_USER, "first-secret");
      return Service.deploy(vertx, fake, (JsonObject c) -> c.put("daemonUrl", fake.url())
              .put("cookieFile", cookie.toString()))
          .compose((Service s) -> s.client.height()
              .compose((Integer h) -> {
                assertThat(h).isEqualTo(8);
                assertThat(fake.authorizations()).containsOnly(basic("first-secret"));
                // The daemon restarted and wrote a new cookie.
                write(cookie, "second-secret");
                fake.requireAuth(COOKIE_USER, "second-secret");
                return s.client.height();
              })
              .compose((Integer h) -> {
                assertThat(fake.authorizations()).last().isEqualTo(basic("second-secret"));
                return s.client.status();
              })
              .map((JsonObject status) -> {
                assertThat(status.encode()).doesNotContain("secret");
                return status;
              }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void missingCookieIsTransientUntilItAppears(Vertx vertx, VertxTestContext ctx) {
    Path cookie = dir.resolve("later.cookie");
    FakeDaemon.bitcoinLike(vertx, 8).compose((FakeDaemon fake) -> {
      fake.requireAuth(COOKIE_USER, "s3");
      return Service.deploy(vertx, fake, (JsonObject c) -> c.put("daemonUrl", fake.url())
              .put("cookieFile", cookie.toString()))
          .compose((Service s) -> s.failure(Actions.HEIGHT, null, "300")
              .compose((DaemonException e) -> {
                assertThat(e.code()).isEqualTo(503);
                assertThat(e.getMessage()).contains("cookie file");
                assertThat(fake.httpRequests()).isZero();
                write(cookie, "s3");
                return s.client.height();
              })
              .map((Integer h) -> {
                assertThat(h).isEqualTo(8);
                return h;
              }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void cookieFileFromTheEnvironment(Vertx vertx, VertxTestContext ctx) {
    Path cookie = dir.resolve("env.cookie");
    write(cookie, "env-secret");
    FakeDaemon.bitcoinLike(vertx, 4).compose((FakeDaemon fake) -> {
      fake.requireAuth(COOKIE_USER, "env-secret");
      JsonObject config = Deployments.config(fake.url());
      DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
      return vertx.deployVerticle(new DaemonVerticle(Map.of("DAEMON_COOKIE_FILE",
              cookie.toString())), new DeploymentOptions().setConfig(config))
          .compose((String id) -> client.height())
          .map((Integer h) -> {
            assertThat(h).isEqualTo(4);
            return h;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void withoutCookieFileAUrlWithoutCredentialsIsRefused(Vertx vertx, VertxTestContext ctx) {
    Service.expectFailure(Deployments.deploy(vertx, Deployments.config("http://127.0.0.1:1/")))
        .map((DaemonException e) -> {
          assertThat(e.getMessage()).contains("credentials");
          return e;
        }).onComplete(ctx.succeedingThenComplete());
  }
}
