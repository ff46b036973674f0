package io.daemonverticle.testing;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tiny proxies on 127.0.0.1 for testing a client's proxy support; each counts what passed through it.
 */
public final class TestProxies {

    static final String HOST = "127.0.0.1";

    private TestProxies() {
    }

    /**
     * An HTTP proxy that tunnels CONNECT and forwards absolute-URI requests ({@code POST http://host:port/ HTTP/1.1}).
     *
     * <p>Vert.x's HttpClient uses the absolute-URI form for plain http:// targets and CONNECT only for https://,
     * so both are needed. A failed upstream connect answers 502 as real proxies do; an upstream that drops or
     * resets mid-request drops the client's connection too, so DROP_CONNECTION stays visible through the proxy.
     */
    public static final class HttpConnectProxy {
        // Hop-by-hop headers (RFC 9110 7.6.1) plus lengths, which Vert.x recomputes when the body is re-sent.
        private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authorization",
                "proxy-authenticate", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                "content-length");

        private final HttpServer server;
        private final NetClient tunnels;
        private final HttpClientAgent forwarder;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger requests = new AtomicInteger();
        private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());

        private HttpConnectProxy(Vertx vertx) {
            tunnels = vertx.createNetClient();
            // A big pool, so the proxy never caps the concurrency a test wants to observe at the daemon.
            forwarder = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(64));
            server = vertx.createHttpServer()
                    .connectionHandler((HttpConnection conn) -> connections.incrementAndGet())
                    .requestHandler(this::onRequest);
        }

        public static Future<HttpConnectProxy> start(Vertx vertx) {
            HttpConnectProxy proxy = new HttpConnectProxy(vertx);
            return proxy.server.listen(0, HOST).map((HttpServer s) -> proxy);
        }

        public int port() {
            return server.actualPort();
        }

        /** TCP connections accepted from clients. */
        public int connections() {
            return connections.get();
        }

        /** HTTP requests received from clients, CONNECTs included. */
        public int requests() {
            return requests.get();
        }

        /** "METHOD request-target" of every request, e.g. {@code POST http://127.0.0.1:4711/}. */
        public List<String> requestLines() {
            synchronized (requestLines) {
                return List.copyOf(requestLines);
            }
        }

        public Future<Void> close() {
            return server.close().eventually(tunnels::close).eventually(forwarder::close);
        }

        private void onRequest(HttpServerRequest req) {
            requests.incrementAndGet();
            requestLines.add(req.method().name() + " " + req.uri());
            if (req.method() == HttpMethod.CONNECT) {
                tunnel(req);
            } else if (req.uri().toLowerCase(Locale.ROOT).startsWith("http://")) {
                forward(req);
            } else {
                req.response().setStatusCode(400).end("absolute URI or CONNECT expected");
            }
        }

        private void tunnel(HttpServerRequest req) {
            HostPort target = HostPort.parse(req.uri());
            tunnels.connect(target.port, target.host)
                .onComplete((AsyncResult<NetSocket> connected) -> {
                if (connected.failed()) {
                    req.response().setStatusCode(502).end();
                    return;
                }
                NetSocket upstream = connected.result();
                // Vert.x answers the CONNECT with 200 itself when the request becomes a socket.
                req.toNetSocket().onSuccess((NetSocket client) -> splice(client, upstream))
                    .onFailure((Throwable e) -> upstream.close());
            });
        }

        private void forward(HttpServerRequest req) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            req.headers().forEach((Map.Entry<String, String> h) -> {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    headers.add(h.getKey(), h.getValue());
                }
            });
            RequestOptions options = new RequestOptions()
                    .setMethod(req.method())
                    .setAbsoluteURI(req.uri())
                    .setHeaders(headers);
            req.body().onSuccess((Buffer body) -> forwarder.request(options)
                .onComplete((AsyncResult<HttpClientRequest> opened) -> {
                if (opened.failed()) {
                    req.response().setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                            .end("Bad Gateway: " + opened.cause().getMessage());
                    return;
                }
                HttpClientRequest out = opened.result();
                // A client giving up (timeout) must not leave a HANG pending at the daemon forever.
                req.response().closeHandler((Void v) -> out.reset());
                relay(req, out, body);
            }));
        }

        private static void relay(HttpServerRequest req, HttpClientRequest out, Buffer body) {
            out.send(body)
                    .compose((HttpClientResponse resp) -> resp.body().map((Buffer payload) -> {
                        req.response().setStatusCode(resp.statusCode()).setStatusMessage(resp.statusMessage());
                        resp.headers().forEach((Map.Entry<String, String> h) -> {
                            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                                req.response().headers().add(h.getKey(), h.getValue());
                            }
                        });
                        return payload;
                    }))
                    .onSuccess((Buffer payload) -> req.response().end(payload))
                    .onFailure((Throwable e) -> req.connection().close());
        }
    }

    /** A minimal RFC 1928 SOCKS5 server: no-auth method only, CONNECT only, IPv4 / domain / IPv6 targets. */
    public static final class Socks5Proxy {
        private final NetServer server;
        private final NetClient upstreams;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<String> targets = Collections.synchronizedList(new ArrayList<>());

        private Socks5Proxy(Vertx vertx) {
            upstreams = vertx.createNetClient();
            server = vertx.createNetServer().connectHandler((NetSocket socket) -> {
                connections.incrementAndGet();
                new Socks5Session(socket, upstreams, targets).start();
            });
        }

        public static Future<Socks5Proxy> start(Vertx vertx) {
            Socks5Proxy proxy = new Socks5Proxy(vertx);
            return proxy.server.listen(0, HOST).map((NetServer s) -> proxy);
        }

        public int port() {
            return server.actualPort();
        }

        /** TCP connections accepted from clients. */
        public int connections() {
            return connections.get();
        }

        /** "host:port" of every CONNECT asked for, as the client sent it (IPv6 in brackets). */
        public List<String> targets() {
            synchronized (targets) {
                return List.copyOf(targets);
            }
        }

        public Future<Void> close() {
            return server.close().eventually(upstreams::close);
        }
    }

    /** One client connection of {@link Socks5Proxy}: handshake, request, then a byte pipe both ways. */
    private static final class Socks5Session {
        private static final int VERSION = 5;
        private static final int NO_AUTH = 0x00;
        private static final int NO_ACCEPTABLE_METHOD = 0xFF;
        private static final int CMD_CONNECT = 0x01;
        private static final int ATYP_IPV4 = 0x01;
        private static final int ATYP_DOMAIN = 0x03;
        private static final int ATYP_IPV6 = 0x04;
        private static final int REP_SUCCEEDED = 0x00;
        private static final int REP_HOST_UNREACHABLE = 0x04;
        private static final int REP_COMMAND_NOT_SUPPORTED = 0x07;
        private static final int REP_ADDRESS_TYPE_NOT_SUPPORTED = 0x08;

        private final NetSocket client;
        private final NetClient upstreams;
        private final List<String> targets;
        private Buffer pending = Buffer.buffer();
        private boolean greeted;

        Socks5Session(NetSocket client, NetClient upstreams, List<String> targets) {
            this.client = client;
            this.upstreams = upstreams;
            this.targets = targets;
        }

        void start() {
            // TCP may split or merge the handshake messages arbitrarily, so accumulate and parse what is complete.
            client.handler((Buffer data) -> {
                pending.appendBuffer(data);
                if (!greeted) {
                    greet();
                }
                if (greeted) {
                    request();
                }
            });
        }

        private void greet() {
            if (pending.length() < 2) {
                return;
            }
            if (pending.getUnsignedByte(0) != VERSION) {
                client.close();
                return;
            }
            int methods = pending.getUnsignedByte(1);
            if (pending.length() < 2 + methods) {
                return;
            }
            boolean noAuthOffered = false;
            for (int i = 0; i < methods; i++) {
                noAuthOffered |= pending.getUnsignedByte(2 + i) == NO_AUTH;
            }
            if (!noAuthOffered) {
                client.end(bytes(VERSION, NO_ACCEPTABLE_METHOD));
                return;
            }
            client.write(bytes(VERSION, NO_AUTH));
            pending = pending.getBuffer(2 + methods, pending.length());
            greeted = true;
        }

        private void request() {
            if (pending.length() < 5) {
                return;
            }
            int atyp = pending.getUnsignedByte(3);
            int addrLen;
            if (atyp == ATYP_IPV4) {
                addrLen = 4;
            } else if (atyp == ATYP_IPV6) {
                addrLen = 16;
            } else if (atyp == ATYP_DOMAIN) {
                addrLen = 1 + pending.getUnsignedByte(4);
            } else {
                fail(REP_ADDRESS_TYPE_NOT_SUPPORTED);
                return;
            }
            int total = 4 + addrLen + 2;
            if (pending.length() < total) {
                return;
            }
            String host = host(atyp, pending.getBuffer(4, 4 + addrLen));
            int port = pending.getUnsignedShort(4 + addrLen);
            targets.add((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
            if (pending.getUnsignedByte(1) != CMD_CONNECT) {
                fail(REP_COMMAND_NOT_SUPPORTED);
                return;
            }
            Buffer early = pending.getBuffer(total, pending.length());
            pending = Buffer.buffer();
            client.pause();
            client.handler(null);
            upstreams.connect(port, host).onComplete((AsyncResult<NetSocket> connected) -> {
                if (connected.failed()) {
                    fail(REP_HOST_UNREACHABLE);
                    return;
                }
                NetSocket upstream = connected.result();
                client.write(bytes(VERSION, REP_SUCCEEDED, 0, ATYP_IPV4, 127, 0, 0, 1)
                        .appendUnsignedShort(upstream.localAddress().port()));
                if (early.length() > 0) {
                    upstream.write(early);
                }
                splice(client, upstream);
            });
        }

        private void fail(int reply) {
            client.end(bytes(VERSION, reply, 0, ATYP_IPV4, 0, 0, 0, 0, 0, 0));
        }

        private static String host(int atyp, Buffer addr) {
            if (atyp == ATYP_DOMAIN) {
                return addr.getString(1, addr.length(), StandardCharsets.US_ASCII.name());
            }
            try {
                return InetAddress.getByAddress(addr.getBytes()).getHostAddress();
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        private static Buffer bytes(int... values) {
            Buffer b = Buffer.buffer(values.length);
            for (int v : values) {
                b.appendByte((byte) v);
            }
            return b;
        }
    }

    /** Pipes both ways; when either side ends, the pipe ends the other. */
    static void splice(NetSocket a, NetSocket b) {
        a.pipeTo(b);
        b.pipeTo(a);
    }

    /** "host:port" or "[v6]:port" as in a CONNECT request-target. */
    private static final class HostPort {
        final String host;
        final int port;

        private HostPort(String host, int port) {
            this.host = host;
            this.port = port;
        }

        static HostPort parse(String authority) {
            int colon = authority.lastIndexOf(':');
            String host = authority.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new HostPort(host, Integer.parseInt(authority.substring(colon + 1)));
        }
    }
}
