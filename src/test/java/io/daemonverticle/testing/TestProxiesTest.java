package io.daemonverticle.testing;

import static io.daemonverticle.testing.FakeDaemonTest.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.TestProxies.HttpConnectProxy;
import io.daemonverticle.testing.TestProxies.Socks5Proxy;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TestProxiesTest {

    private static final int TIP = 42;

    private FakeDaemon daemon;
    private HttpConnectProxy httpProxy;
    private Socks5Proxy socksProxy;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        FakeDaemon.bitcoinLike(vertx, TIP)
                .compose((FakeDaemon d) -> {
                    daemon = d;
                    return HttpConnectProxy.start(vertx);
                })
                .compose((TestProxies.HttpConnectProxy p) -> {
                    httpProxy = p;
                    return Socks5Proxy.start(vertx);
                })
                .onComplete(ctx.succeeding((TestProxies.Socks5Proxy p) -> {
                    socksProxy = p;
                    ctx.completeNow();
                }));
    }

    @AfterEach
    void stop(VertxTestContext ctx) {
        Future.join(daemon.close(), httpProxy.close(), socksProxy.close())
                .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void webClientThroughHttpProxyForwardsAbsoluteUri(Vertx vertx, VertxTestContext ctx) {
        WebClient client = webClient(vertx, ProxyType.HTTP, httpProxy.port());
        postGetBlockCount(client)
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(resp.bodyAsJsonObject().getInteger("result")).isEqualTo(TIP);
            assertThat(httpProxy.connections()).isEqualTo(1);
            assertThat(httpProxy.requests()).isEqualTo(1);
            // Vert.x sends plain http:// through an HTTP proxy as an absolute-URI request, not a CONNECT.
            assertThat(httpProxy.requestLines()).containsExactly("POST http://127.0.0.1:" + daemon.port() + "/");
            assertThat(daemon.httpRequests()).isEqualTo(1);
            client.close();
            ctx.completeNow();
        })));
    }

    @Test
    void faultsStayVisibleThroughHttpProxy(Vertx vertx, VertxTestContext ctx) {
        WebClient client = webClient(vertx, ProxyType.HTTP, httpProxy.port());
        daemon.failNext(Fault.DROP_CONNECTION, Fault.WORK_QUEUE_EXCEEDED);
        postGetBlockCount(client)
                .transform((AsyncResult<HttpResponse<Buffer>> dropped) -> {
                    ctx.verify(() -> assertThat(dropped.failed()).isTrue());
                    return postGetBlockCount(client);
                })
                .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
                    assertThat(resp.statusCode()).isEqualTo(503);
                    assertThat(resp.getHeader("Content-Type")).startsWith("text/plain");
                    assertThat(resp.bodyAsString()).isEqualTo("Work queue depth exceeded");
                    client.close();
                    ctx.completeNow();
                })));
    }

    @Test
    void httpProxyTunnelsConnect(Vertx vertx, VertxTestContext ctx) {
        // A NetClient's HTTP proxy support always uses CONNECT, which is what https:// targets would get too.
        NetClient net = vertx.createNetClient(new NetClientOptions().setProxyOptions(
                new ProxyOptions().setType(ProxyType.HTTP).setHost(TestProxies.HOST).setPort(httpProxy.port())));
        net.connect(daemon.port(), FakeDaemon.HOST)
                .compose((NetSocket socket) -> exchange(socket, rawJsonRpcPost()))
                .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
                    assertThat(reply).startsWith("HTTP/1.1 200").endsWith("\"result\":" + TIP + ",\"error\":null,\"id\":1}\n");
                    assertThat(httpProxy.requestLines()).containsExactly("CONNECT 127.0.0.1:" + daemon.port());
                    assertThat(httpProxy.connections()).isEqualTo(1);
                    net.close();
                    ctx.completeNow();
                })));
    }

    @Test
    void webClientThroughSocks5Proxy(Vertx vertx, VertxTestContext ctx) {
        WebClient client = webClient(vertx, ProxyType.SOCKS5, socksProxy.port());
        postGetBlockCount(client)
            .onComplete(ctx.succeeding((HttpResponse<Buffer> resp) -> ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(resp.bodyAsJsonObject().getInteger("result")).isEqualTo(TIP);
            assertThat(socksProxy.connections()).isEqualTo(1);
            assertThat(socksProxy.targets()).containsExactly("127.0.0.1:" + daemon.port());
            client.close();
            ctx.completeNow();
        })));
    }

    @Test
    void socks5DomainTargetWithEverythingInOneWrite(Vertx vertx, VertxTestContext ctx) {
        byte[] name = "localhost".getBytes(StandardCharsets.US_ASCII);
        Buffer handshake = Buffer.buffer()
                .appendBytes(new byte[] {5, 1, 0})
                .appendBytes(new byte[] {5, 1, 0, 3, (byte) name.length}).appendBytes(name)
                .appendUnsignedShort(daemon.port());
        // The HTTP request rides in the same segment as the handshake, so the proxy must keep the early bytes.
        NetClient net = vertx.createNetClient();
        net.connect(socksProxy.port(), TestProxies.HOST)
                .compose((NetSocket socket) -> exchange(socket,
                    handshake.appendString(rawJsonRpcPost())))
                .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
                    assertThat(reply.charAt(0)).isEqualTo((char) 5);
                    assertThat(reply.substring(12)).startsWith("HTTP/1.1 200");
                    assertThat(socksProxy.targets()).containsExactly("localhost:" + daemon.port());
                    net.close();
                    ctx.completeNow();
                })));
    }

    @Test
    void socks5Ipv6TargetIsParsedAndUnreachableIsReported(Vertx vertx, VertxTestContext ctx) {
        // The daemon listens on 127.0.0.1 only, so [::1] is refused whatever the JVM's IPv6 setting.
        Buffer handshake = Buffer.buffer()
                .appendBytes(new byte[] {5, 1, 0})
                .appendBytes(new byte[] {5, 1, 0, 4})
                .appendBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
                .appendUnsignedShort(daemon.port());
        NetClient net = vertx.createNetClient();
        net.connect(socksProxy.port(), TestProxies.HOST)
                .compose((NetSocket socket) -> exchange(socket, handshake))
                .onComplete(ctx.succeeding((String reply) -> ctx.verify(() -> {
                    assertThat(reply).hasSize(12);
                    assertThat((int) reply.charAt(3)).isEqualTo(4);
                    assertThat(socksProxy.targets()).containsExactly("[0:0:0:0:0:0:0:1]:" + daemon.port());
                    net.close();
                    ctx.completeNow();
                })));
    }

    // ---------------------------------------------------------------- helpers

    private static WebClient webClient(Vertx vertx, ProxyType type, int proxyPort) {
        return WebClient.create(vertx, new WebClientOptions().setProxyOptions(
                new ProxyOptions().setType(type).setHost(TestProxies.HOST).setPort(proxyPort)));
    }

    private Future<HttpResponse<Buffer>> postGetBlockCount(WebClient client) {
        return client.post(daemon.port(), FakeDaemon.HOST, "/")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Json.encodeToBuffer(call("getblockcount", 1)));
    }

    /** A whole HTTP exchange on one connection; "Connection: close" makes the daemon end it after replying. */
    private String rawJsonRpcPost() {
        String body = call("getblockcount", 1).encode();
        return "POST / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + daemon.port() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n" + body;
    }

    /** Writes, then collects every byte until the peer closes; ISO-8859-1 keeps binary bytes as chars. */
    private static Future<String> exchange(NetSocket socket, Object payload) {
        Promise<String> done = Promise.promise();
        Buffer received = Buffer.buffer();
        socket.handler(received::appendBuffer);
        socket.closeHandler((Void v) -> done.tryComplete(received.toString(StandardCharsets.ISO_8859_1)));
        if (payload instanceof Buffer) {
            socket.write((Buffer) payload);
        } else {
            socket.write((String) payload);
        }
        return done.future();
    }
}
