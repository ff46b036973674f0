package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.transport.ScriptedServer.Recorder;
import io.daemonverticle.testing.TestProxies;
import io.daemonverticle.testing.Transports;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.ProxyOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the transport sends as whom and through what: a proxy used when one is set; the URL's
 * credentials, or the cookie file's, read again after a 401 only. Over real HTTP on a Vert.x
 * of one event loop ({@link ScriptedServer}).
 */
class HttpTransportTrustTest {


  // A cookie's password is registered as a secret, masked in every later message of this JVM:
  // words no other test's text holds.
  private static final String FIRST_COOKIE = "__cookie__:c7f1a9e2-first";
  private static final String SECOND_COOKIE = "__cookie__:c7f1a9e2-second";
  private static final String THIRD_COOKIE = "__cookie__:c7f1a9e2-third";

  @TempDir
  Path dir;
  private final OneLoop loop = new OneLoop();

  @AfterEach
  void stop() throws Exception {
    loop.close();
  }

  private HttpTransport transport(String caFile, boolean trustAll, ProxyOptions proxy,
                                  CookieCredentials cookie) {
    HttpTransport.TransportOptions plain = Transports.options(1);
    return Transports.of(loop.vertx, loop.time, new HttpTransport.TransportOptions(proxy, caFile, trustAll,
        1, plain.maxReplyBytes(), plain.keepAliveSeconds()), cookie);
  }

  private AsyncResult<Buffer> post(ScriptedServer server, HttpTransport transport, DaemonUrl url)
      throws Exception {
    return loop.post(server, transport, url, new Recorder());
  }

  @Test
  void aProxyIsUsedWhenSet() throws Exception {
    ScriptedServer server = ScriptedServer.start(loop.vertx).await(10, TimeUnit.SECONDS);
    TestProxies.HttpConnectProxy proxy = TestProxies.HttpConnectProxy.start(loop.vertx)
        .await(10, TimeUnit.SECONDS);
    HttpTransport transport = transport(null, false,
        new ProxyOptions().setHost("127.0.0.1").setPort(proxy.port()), null);

    OneLoop.answered(post(server, transport, server.url()));

    assertThat(proxy.requests() + proxy.connections()).as("through the proxy").isPositive();
  }

  @Test
  void withoutCredentialsInTheUrlOrACookieNothingIsSent() throws Exception {
    ScriptedServer server = ScriptedServer.start(loop.vertx).await(10, TimeUnit.SECONDS);
    HttpTransport transport = transport(null, false, null, null);

    AsyncResult<Buffer> refused = post(server, transport,
        DaemonUrl.parse("http://127.0.0.1:" + server.port(), null, true));

    assertThat(refused.failed()).isTrue();
    assertThat(((TransientFailure) refused.cause()).kind())
        .isEqualTo(TransientFailure.Kind.REFUSED);
    assertThat(refused.cause()).hasMessageContaining("no credentials");
    assertThat(server.seen()).isEmpty();
  }

  @Test
  void theCookieIsReadAgainAfterA401Only() throws Exception {
    ScriptedServer server = ScriptedServer.start(loop.vertx).await(10, TimeUnit.SECONDS)
        .then(500, "text/html", "<h1>down</h1>")
        .then(200, "application/json", "{\"result\":1}")
        .then(401, "text/plain", "")
        .then(200, "application/json", "{\"result\":2}");
    Path file = dir.resolve(".cookie");
    Files.writeString(file, FIRST_COOKIE);
    CookieCredentials cookie = new CookieCredentials(loop.vertx, file.toString());
    HttpTransport transport = transport(null, false, null, cookie);
    DaemonUrl url = DaemonUrl.parse("http://127.0.0.1:" + server.port(), null, true);
    // Read before the exchange, so that its request goes out before the one behind it.
    cookie.get().await(10, TimeUnit.SECONDS);

    AsyncResult<Buffer> down = post(server, transport, url);
    Files.writeString(file, SECOND_COOKIE);
    OneLoop.answered(post(server, transport, url));
    AsyncResult<Buffer> unauthorized = post(server, transport, url);
    Files.writeString(file, THIRD_COOKIE);
    cookie.get().await(10, TimeUnit.SECONDS);
    OneLoop.answered(post(server, transport, url));

    assertThat(down.failed()).isTrue();
    assertThat(unauthorized.failed()).isTrue();
    assertThat(server.seen()).extracting(seen -> seen.headers().get(HttpHeaders.AUTHORIZATION))
        .containsExactly(basic(FIRST_COOKIE), basic(FIRST_COOKIE),
            basic(FIRST_COOKIE), basic(THIRD_COOKIE));
  }

  @Test
  void aUrlsOwnCredentialsLeaveTheCookieAloneAfterA401() throws Exception {
    ScriptedServer server = ScriptedServer.start(loop.vertx).await(10, TimeUnit.SECONDS)
        .then(401, "text/plain", "");
    Path file = dir.resolve(".cookie");
    Files.writeString(file, FIRST_COOKIE);
    CookieCredentials cookie = new CookieCredentials(loop.vertx, file.toString());
    HttpTransport transport = transport(null, false, null, cookie);
    Future<Credentials> read = cookie.get();
    read.await(10, TimeUnit.SECONDS);

    AsyncResult<Buffer> unauthorized = post(server, transport, server.url());

    assertThat(unauthorized.failed()).isTrue();
    assertThat(server.seen().get(0).headers().get(HttpHeaders.AUTHORIZATION))
        .isEqualTo(basic("user:pass"));
    assertThat(cookie.get()).as("not read again").isSameAs(read);
  }

  private static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(
        userPass.getBytes(StandardCharsets.UTF_8));
  }
}
