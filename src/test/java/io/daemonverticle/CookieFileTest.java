package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
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

  /**
   * Issue 29: the cookie's secret is a password too. A daemon (or a proxy before it) that
   * echoes it, in a 401 page as Basic credentials or in a JSON-RPC error as text, gets it into
   * no reply and no log line.
   */
  @Test
  void theCookieSecretIsNeverRepeated(Vertx vertx, VertxTestContext ctx) {
    String secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    byte[] userPass = (COOKIE_USER + ":" + secret).getBytes(StandardCharsets.UTF_8);
    List<String> forms = List.of(secret, Base64.getEncoder().encodeToString(userPass),
        Base64.getUrlEncoder().withoutPadding().encodeToString(userPass));
    Path cookie = dir.resolve("echo.cookie");
    write(cookie, secret);
    LogCapture logs = LogCapture.start();
    List<String> texts = new ArrayList<>();
    FakeDaemon.bitcoinLike(vertx, 8).compose((FakeDaemon fake) -> {
      fake.requireAuth(COOKIE_USER, secret).handle("sendrawtransaction", (JsonArray p) -> {
        throw new FakeDaemon.RpcError(-26, "rejected for " + COOKIE_USER + ":" + secret
            + " (" + secret + ")");
      });
      return Service.deploy(vertx, fake, (JsonObject c) -> c.put("daemonUrl", fake.url())
              .put("cookieFile", cookie.toString()))
          .compose((Service s) -> s.client.height()
              .compose((Integer h) -> s.failure(Actions.BROADCAST_TRANSACTION,
                  new JsonObject().put("rawTx", "00")))
              .compose((DaemonException echoed) -> {
                assertThat(echoed.code()).isEqualTo(DaemonException.DAEMON_ERROR);
                assertThat(echoed.getMessage()).contains("rejected for");
                texts.add(echoed.getMessage());
                texts.add(echoed.debugInfo().encode());
                fake.failNext(Collections.nCopies(500, Fault.ECHO_401).toArray(Fault[]::new));
                return s.failure(Actions.HEIGHT, null, "300");
              })
              .map((DaemonException refused) -> {
                fake.clearFaults();
                Answered.byTheRetryLoop(refused, "refused");
                texts.add(refused.getMessage());
                assertThat(fake.authorizations()).contains(basic(secret));
                return null;
              }));
    }).map((Object v) -> {
      assertThat(texts).hasSize(3);
      List<String> lines = logs.lines();
      assertThat(lines).anyMatch((String l) -> l.contains("Retrying occasionally"));
      for (String form : forms) {
        texts.forEach((String t) -> assertThat(t).as("reply").doesNotContain(form));
        lines.forEach((String l) -> assertThat(l).as("log line").doesNotContain(form));
      }
      return v;
    }).andThen((AsyncResult<Object> ar) -> logs.close()).onComplete(ctx.succeedingThenComplete());
  }
}
