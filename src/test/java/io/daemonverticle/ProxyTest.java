package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.TestProxies;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** proxyUrl (ElectrumX's proxy_url): every daemon request goes through the proxy. */
@ExtendWith(VertxExtension.class)
class ProxyTest {

  private static final int TIP = 9;

  @Test
  void httpProxy(Vertx vertx, VertxTestContext ctx) {
    TestProxies.HttpConnectProxy.start(vertx)
        .compose((TestProxies.HttpConnectProxy proxy) -> Service.start(vertx, TIP,
            (JsonObject c) -> c.put("proxyUrl", "http://127.0.0.1:" + proxy.port()))
        .compose((Service s) -> s.client.height()
            .compose((Integer h) -> {
              assertThat(h).isEqualTo(TIP);
              return s.client.rawBlocks(List.of(FakeChain.blockHash(2)));
            })
            .map((List<Buffer> blocks) -> {
              assertThat(blocks.get(0).length()).isEqualTo(1002);
              assertThat(s.fake.methods()).containsExactly("getblockcount", "getblock");
              assertThat(proxy.connections()).isGreaterThanOrEqualTo(1);
              // The service's own looks at the URL (its chain check and polls) go through the
              // proxy too; the fake answers them apart from the requests it records.
              assertThat(proxy.requests()).isEqualTo(s.fake.httpRequests() + s.fake.probes());
              return blocks;
            }))).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void socks5Proxy(Vertx vertx, VertxTestContext ctx) {
    TestProxies.Socks5Proxy.start(vertx)
        .compose((TestProxies.Socks5Proxy proxy) -> Service.start(vertx, TIP,
            (JsonObject c) -> c.put("proxyUrl", "socks5://127.0.0.1:" + proxy.port()))
        .compose((Service s) -> s.client.height().compose((Integer h) -> s.client.mempoolHashes())
            .map((List<String> m) -> {
          assertThat(s.fake.methods()).containsExactly("getblockcount", "getrawmempool");
          assertThat(proxy.connections()).isGreaterThanOrEqualTo(1);
          assertThat(proxy.targets()).isNotEmpty()
              .containsOnly("127.0.0.1:" + s.fake.port());
          return m;
        }))).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void proxyFromTheEnvironmentOverridesTheConfig(Vertx vertx, VertxTestContext ctx) {
    TestProxies.Socks5Proxy.start(vertx)
        .compose((TestProxies.Socks5Proxy proxy) -> FakeDaemon.bitcoinLike(vertx, TIP)
        .compose((FakeDaemon fake) -> {
          JsonObject config = Deployments.config(fake)
              .put("proxyUrl", "socks5://127.0.0.1:1");
          DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
          Map<String, String> env = Map.of("DAEMON_PROXY_URL",
              "socks5://127.0.0.1:" + proxy.port());
          return vertx.deployVerticle(new DaemonVerticle(env),
                  new DeploymentOptions().setConfig(config))
              .compose((String id) -> client.height())
              .map((Integer h) -> {
                assertThat(h).isEqualTo(TIP);
                assertThat(proxy.targets()).contains("127.0.0.1:" + fake.port());
                return h;
              });
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void proxyDownIsRetriedThen503(Vertx vertx, VertxTestContext ctx) {
    TestProxies.HttpConnectProxy.start(vertx).compose((TestProxies.HttpConnectProxy proxy) -> {
      int port = proxy.port();
      return proxy.close().compose((Void v) -> Service.start(vertx, TIP,
          (JsonObject c) -> c.put("proxyUrl", "http://127.0.0.1:" + port)));
    }).compose((Service s) -> s.failure(Actions.HEIGHT, null, "300").map((DaemonException e) -> {
      // The proxy's refusal, from the retry loop at the deadline (not the safety net).
      Answered.byTheRetryLoop(e, "connection problem");
      assertThat(s.fake.httpRequests()).isZero();
      return e;
    })).onComplete(ctx.succeedingThenComplete());
  }
}
