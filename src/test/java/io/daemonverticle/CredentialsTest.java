package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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

}
