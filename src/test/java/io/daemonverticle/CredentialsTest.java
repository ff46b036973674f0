package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The daemon's credentials appear in no reply, no failure text and no log line. */
@ExtendWith(VertxExtension.class)
class CredentialsTest {

  private static final String USER = "rpcuser";
  /** Contains '@' and ':' so that the URL parser has to work for it. */
  private static final String SECRET = "Xyzzy@Pa55:w0rd";
  private static final String BASIC = Base64.getEncoder()
      .encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));

  private static void assertClean(String where, String text) {
    assertThat(text).as(where).doesNotContain(SECRET).doesNotContain("Xyzzy")
        .doesNotContain(BASIC);
  }

  /** Every form of the credentials a proxy could echo: plain, percent-encoded, base64. */
  private static void assertNoCredentialForm(String where, String text) {
    assertClean(where, text);
    byte[] userPass = (USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8);
    assertThat(text).as(where).doesNotContain("Xyzzy%40Pa55")
        .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(userPass))
        .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(userPass))
        .doesNotContainPattern("(?i)basic [A-Za-z0-9+/_-]{4,}")
        .doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void credentialsStayOutOfRepliesFailuresAndLogs(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    List<String> texts = new ArrayList<>();
    FakeDaemon.bitcoinLike(vertx, 5).compose((FakeDaemon fake) -> {
      fake.requireAuth(USER, SECRET).handle("sendrawtransaction", (JsonArray p) -> {
        throw new FakeDaemon.RpcError(-26, "txn-mempool-conflict");
      });
      String url = "http://" + USER + ":" + SECRET + "@127.0.0.1:" + fake.port() + "/";
      return Service.deploy(vertx, fake, (JsonObject c) -> c.put("daemonUrl", url))
          .compose((Service s) ->
          s.client.height()
              .compose((Integer h) -> {
                assertThat(h).as("the password with '@' and ':' authenticates").isEqualTo(5);
                assertThat(fake.authorizations()).containsOnly("Basic " + BASIC);
                return s.client.status();
              })
              .compose((JsonObject status) -> {
                texts.add(status.encode());
                return s.failure(Actions.BROADCAST_TRANSACTION, new JsonObject()
                    .put("rawTx", "00"));
              })
              .compose((DaemonException daemonError) -> {
                assertThat(daemonError.code()).isEqualTo(422);
                texts.add(daemonError.getMessage());
                // Wrong password at the daemon: 401 until the deadline.
                fake.requireAuth(USER, "changed");
                return s.failure(Actions.HEIGHT, null, "300");
              })
              .compose((DaemonException refused) -> {
                Answered.byTheRetryLoop(refused, "401");
                texts.add(refused.getMessage());
                return fake.setDown(true).compose((Void v) -> s.failure(Actions.HEIGHT, null,
                    "300"));
              })
              .compose((DaemonException down) -> {
                Answered.byTheRetryLoop(down, "127.0.0.1:" + fake.port());
                texts.add(down.getMessage());
                return s.client.status();
              })
              .compose((JsonObject status) -> {
                texts.add(status.encode());
                // A configuration error must not repeat the URL it rejects.
                return Service.expectFailure(Deployments.deploy(vertx, Deployments.config(
                    "http://" + USER + ":" + SECRET + "@127.0.0.1:70000/")));
              })
              .map((DaemonException badConfig) -> {
                texts.add(badConfig.getMessage());
                return null;
              }));
    }).map((Object v) -> {
      assertThat(texts).hasSize(6);
      texts.forEach((String t) -> assertClean("reply or failure", t));
      List<String> lines = logs.lines();
      assertThat(lines).anyMatch((String l) -> l.contains("Retrying occasionally"));
      lines.forEach((String l) -> assertClean("log line", l));
      return v;
    }).andThen((AsyncResult<Object> ar) -> logs.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void urlEncodedPasswordIsDecodedAndNeverShown(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    FakeDaemon.bitcoinLike(vertx, 6).compose((FakeDaemon fake) -> {
      fake.requireAuth(USER, "p@ss word");
      String url = "http://" + USER + ":p%40ss%20word@127.0.0.1:" + fake.port();
      return Service.deploy(vertx, fake, (JsonObject c) -> c.put("daemonUrl", url))
          .compose((Service s) -> s.client.height().compose((Integer h) -> {
            assertThat(h).isEqualTo(6);
            return s.client.status();
          }))
          .map((JsonObject status) -> {
            assertThat(status.encode()).doesNotContain("p%40ss").doesNotContain("p@ss");
            assertThat(logs.lines())
                .noneMatch((String l) -> l.contains("p%40ss") || l.contains("p@ss"));
            return status;
          });
    }).andThen((AsyncResult<JsonObject> ar) -> logs.close())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void statusShowsUrlsWithoutCredentials(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, 3).compose((Service s) -> s.client.status().map((JsonObject status) -> {
      JsonObject url = status.getJsonArray("urls").getJsonObject(0);
      assertThat(url.getString("url")).isEqualTo("127.0.0.1:" + s.fake.port() + "/");
      assertThat(status.encode()).doesNotContain(Deployments.PASSWORD)
          .doesNotContain(Deployments.USER);
      return status;
    })).onComplete(ctx.succeedingThenComplete());
  }


  /**
   * Issue 29, finding 11: a proxy answered 401 echoing the request's Authorization header, and
   * the 503 said {@code daemon service refused: Unauthorized: Basic dTpw}. Its text, plain or
   * in an HTML page and its reason phrase, reaches neither the reply (event bus and HTTP front)
   * nor the log, and a page is not pasted whole.
   */
  @Test
  void aProxyEchoingTheAuthorizationHeaderLeaksItNowhere(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    List<String> texts = new ArrayList<>();
    WebClient web = WebClient.create(vertx);
    FakeDaemon.bitcoinLike(vertx, 5).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config("http://" + USER + ":" + SECRET.replace("@", "%40")
          + "@127.0.0.1:" + fake.port() + "/").put("httpPort", 0);
      DaemonVerticle verticle = new DaemonVerticle(Map.of());
      return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))
          .compose((String id) -> {
            fake.failNext(Collections.nCopies(500, Fault.ECHO_401).toArray(Fault[]::new));
            return Service.expectFailure(DaemonClient.create(vertx, config.getString("address"),
                400).height());
          })
          .compose((DaemonException refused) -> {
            Answered.byTheRetryLoop(refused, "refused");
            texts.add(refused.getMessage());
            fake.clearFaults().failNext(Collections.nCopies(500, Fault.ECHO_401_HTML)
                .toArray(Fault[]::new));
            return web.post(verticle.httpPort(), "127.0.0.1", "/actions/" + Actions.HEIGHT)
                .putHeader(Actions.TIMEOUT_HEADER, "400").send();
          })
          .map((HttpResponse<Buffer> page) -> {
            assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(503);
            assertThat(page.bodyAsString()).contains("401");
            texts.add(page.bodyAsString());
            assertThat(fake.authorizations()).contains("Basic " + BASIC);
            return null;
          });
    }).map((Object v) -> {
      assertThat(texts).hasSize(2);
      texts.forEach((String t) -> {
        assertNoCredentialForm("reply", t);
        assertThat(t).as("a page is not pasted whole").hasSizeLessThan(400);
      });
      List<String> lines = logs.lines();
      assertThat(lines).anyMatch((String l) -> l.contains("Retrying occasionally"));
      lines.forEach((String l) -> assertNoCredentialForm("log line", l));
      return v;
    }).andThen((AsyncResult<Object> ar) -> logs.close()).onComplete(ctx.succeedingThenComplete());
  }
}
