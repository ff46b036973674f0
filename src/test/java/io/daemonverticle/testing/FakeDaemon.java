package io.daemonverticle.testing;

import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process imitation of bitcoind's JSON-RPC HTTP server, listening on 127.0.0.1 on an ephemeral port.
 *
 * <p>Replies use bitcoind's legacy (JSON-RPC 1.0) shape, {@code {"result":..., "error":..., "id":...}}, with
 * HTTP 200 and {@code Content-Type: application/json}. Real bitcoind answers a <em>single</em> failing call with
 * HTTP 500 (404 for -32601, 400 for -32600); {@link #bitcoindErrorStatus(boolean)} turns that on.
 *
 * <p>All getters and setters are thread-safe: tests call them from the JUnit thread while the server runs on an
 * event loop.
 */
public final class FakeDaemon {

    public static final String HOST = "127.0.0.1";
    private static final String BASIC_REALM = "Basic realm=\"jsonrpc\"";

    public static final int RPC_MISC_ERROR = -1;
    public static final int RPC_TYPE_ERROR = -3;
    public static final int RPC_INVALID_ADDRESS_OR_KEY = -5;
    public static final int RPC_INVALID_PARAMETER = -8;
    public static final int RPC_DESERIALIZATION_ERROR = -22;
    public static final int RPC_IN_WARMUP = -28;
    public static final int RPC_INVALID_REQUEST = -32600;
    public static final int RPC_METHOD_NOT_FOUND = -32601;
    public static final int RPC_INVALID_PARAMS = -32602;
    public static final int RPC_INTERNAL_ERROR = -32603;
    public static final int RPC_PARSE_ERROR = -32700;

    /** Thrown by a handler to answer its call with a JSON-RPC error instead of a result. */
    public static final class RpcError extends RuntimeException {
        private final int code;

        public RpcError(int code, String message) {
            // No stack trace: these are answers, not bugs.
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }

        public JsonObject toJson() {
            return new JsonObject().put("code", code).put("message", getMessage());
        }
    }

    private final Vertx vertx;
    private final Map<String, Function<JsonArray, Object>> handlers = new ConcurrentHashMap<>();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<JsonObject> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger httpRequests = new AtomicInteger();
    private final List<Long> requestNanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger workQueueRefusals = new AtomicInteger();

    private volatile java.util.function.UnaryOperator<String> replyRewriter;
    private volatile boolean shuffleBatchReplies;
    private volatile boolean bitcoindErrorStatus;
    private volatile boolean down;
    private volatile boolean probesApart = true;
    private final AtomicInteger probes = new AtomicInteger();
    private volatile boolean rest;
    private final List<String> restPaths = Collections.synchronizedList(new ArrayList<>());
    private volatile long latencyMs;
    private volatile int workQueue = -1;
    private volatile String requiredUserPass;
    private volatile FakeChain chain;
    private volatile HttpServer server;
    private volatile int port;

    private FakeDaemon(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts a fake with no handlers: every method answers -32601 until {@link #handle} or {@link #withChain}. */
    public static Future<FakeDaemon> start(Vertx vertx) {
        FakeDaemon daemon = new FakeDaemon(vertx);
        return daemon.listen(0).map((Void v) -> daemon);
    }

    /** Starts a fake preloaded with the {@link FakeChain} handlers at the given tip height. */
    public static Future<FakeDaemon> bitcoinLike(Vertx vertx, int height) {
        return start(vertx).map((FakeDaemon daemon) -> daemon.withChain(height));
    }

    // ---------------------------------------------------------------- lifecycle

    public int port() {
        return port;
    }

    /** {@code http://user:pass@127.0.0.1:PORT/}; user and pass are used verbatim (no percent-encoding). */
    public String url(String user, String pass) {
        return "http://" + user + ":" + pass + "@" + HOST + ":" + port + "/";
    }

    /** {@code http://127.0.0.1:PORT/}, for clients that take credentials separately. */
    public String url() {
        return "http://" + HOST + ":" + port + "/";
    }

    /** Stops listening and closes open connections, which fails any HANG or DELAY still pending. */
    public Future<Void> close() {
        down = true;
        return stopListening();
    }

    /** Stops listening, then listens again on the same port: for fail-over-and-back tests. */
    public Future<Void> restart() {
        down = false;
        return stopListening().compose((Void v) -> listen(port));
    }

    /**
     * {@code true}: new connections are refused (the server socket is closed) and open ones are dropped;
     * {@code false}: listen again on the same port. Await the future before relying on the new state.
     */
    public Future<Void> setDown(boolean isDown) {
        down = isDown;
        if (isDown) {
            return stopListening();
        }
        return server == null ? listen(port) : Future.succeededFuture();
    }

    public boolean isDown() {
        return down;
    }

    /** How often a restart tries its port again when something else holds it for a moment. */
    private static final int REBIND_TRIES = 40;
    private static final long REBIND_PAUSE_MS = 50;

    private Future<Void> listen(int wantedPort) {
        return listen(wantedPort, REBIND_TRIES);
    }

    /**
     * Listens on {@code wantedPort} (0: any). Listening again on the same port after a restart
     * can find it in use (seen once in CI, RestBlocksTest, 2026-11-27): during the restart the
     * service dials a free port of the ephemeral range, and the socket may be given that very
     * port as its own, which Linux then connects to itself until the service drops it. So a
     * rebind that finds its port in use tries again, for up to two seconds.
     */
    private Future<Void> listen(int wantedPort, int triesLeft) {
        return bind(wantedPort).recover((Throwable failure) -> {
            if (wantedPort == 0 || triesLeft <= 1 || !(failure instanceof BindException)) {
                return Future.failedFuture(failure);
            }
            Promise<Void> retried = Promise.promise();
            vertx.setTimer(REBIND_PAUSE_MS,
                    (Long t) -> listen(wantedPort, triesLeft - 1).onComplete(retried));
            return retried.future();
        });
    }

    private Future<Void> bind(int wantedPort) {
        HttpServer created = vertx.createHttpServer()
                // Between setDown(true) and the server socket actually closing, refuse by hanging up.
                .connectionHandler((HttpConnection conn) -> {
                    if (down) {
                        conn.close();
                    }
                })
                .requestHandler(this::onRequest);
        return created.listen(wantedPort, HOST).map((HttpServer bound) -> {
            server = bound;
            port = bound.actualPort();
            return null;
        });
    }

    private Future<Void> stopListening() {
        HttpServer current = server;
        server = null;
        return current == null ? Future.succeededFuture() : current.close();
    }

    // ---------------------------------------------------------------- configuration

    /**
     * {@code true}: serves bitcoind's REST interface (as with {@code -rest}): {@code GET /rest/chaininfo.json}
     * and {@code GET /rest/block/<hash>.bin}, the block's bytes from this fake's {@code getblock [hash, false]}
     * handler (404 text when that handler fails). {@code false} (the default): every {@code /rest/} path is 404,
     * as bitcoind without {@code -rest} answers.
     */
    public FakeDaemon withRest(boolean serve) {
        rest = serve;
        return this;
    }

    /** The paths of the REST requests answered or refused so far, in order. */
    public List<String> restPaths() {
        synchronized (restPaths) {
            return new ArrayList<>(restPaths);
        }
    }

    /** Registers (or replaces) the handler of one method; params is null when the call carried none. */
    public FakeDaemon handle(String method, Function<JsonArray, Object> fn) {
        handlers.put(method, fn);
        return this;
    }

    /** Makes a method unknown again (answers -32601), e.g. to imitate an older daemon. */
    public FakeDaemon unhandle(String method) {
        handlers.remove(method);
        return this;
    }

    /** Installs the bitcoind-like preset handlers at this tip; {@link #handle} can still override any of them. */
    public FakeDaemon withChain(int height) {
        FakeChain installed = new FakeChain(height);
        installed.installOn(this);
        chain = installed;
        return this;
    }

    /** The preset's chain state (tip height, mempool); null before {@link #withChain}. */
    public FakeChain chain() {
        return chain;
    }

    public FakeDaemon setHeight(int height) {
        FakeChain current = chain;
        if (current == null) {
            throw new IllegalStateException("setHeight needs withChain(...) first");
        }
        current.setHeight(height);
        return this;
    }

    /** Queues faults; each is consumed, in order, by one HTTP request. */
    public FakeDaemon failNext(Fault... next) {
        faults.addAll(List.of(next));
        return this;
    }

    public int pendingFaults() {
        return faults.size();
    }

    public FakeDaemon clearFaults() {
        faults.clear();
        return this;
    }

    /** Rewrites every JSON reply's text before it is sent (null: none), e.g. to cut it off or spoil its hex. */
    public FakeDaemon rewriteReplies(java.util.function.UnaryOperator<String> rewriter) {
        replyRewriter = rewriter;
        return this;
    }

    /** Reverses batch replies so that a client matching replies by position rather than by id breaks. */
    public FakeDaemon shuffleBatchReplies(boolean shuffle) {
        shuffleBatchReplies = shuffle;
        return this;
    }

    /** Answer single failing calls with 500/404/400 like real bitcoind, instead of 200. Batches stay 200. */
    public FakeDaemon bitcoindErrorStatus(boolean enabled) {
        bitcoindErrorStatus = enabled;
        return this;
    }

    /** Adds this delay to every normally answered request, e.g. to observe a client's concurrency limit. */
    public FakeDaemon setLatency(long ms) {
        latencyMs = ms;
        return this;
    }

    /**
     * Imitates bitcoind's {@code -rpcworkqueue}: while more than {@code depth} HTTP requests are in progress, a new
     * one is refused as Litecoin Core 0.21 does (HTTP 500, text/html, "Work queue depth exceeded"); -1 turns it off
     * (the default). Give the fake some latency so that requests overlap.
     */
    public FakeDaemon setWorkQueue(int depth) {
        if (depth < -1) {
            throw new IllegalArgumentException("work queue depth " + depth);
        }
        workQueue = depth;
        return this;
    }

    /** Requests refused by {@link #setWorkQueue} so far. */
    public int workQueueRefusals() {
        return workQueueRefusals.get();
    }

    /** Wrong or missing Basic credentials get 401 with no body; null user turns the check off. */
    public FakeDaemon requireAuth(String user, String pass) {
        requiredUserPass = user == null ? null : user + ":" + pass;
        return this;
    }

    // ---------------------------------------------------------------- recording

    /** Every call received, batch items one by one, in arrival order: a copy of each request object. */
    public List<JsonObject> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Method names of {@link #calls()}, for terse assertions. */
    public List<String> methods() {
        synchronized (calls) {
            List<String> names = new ArrayList<>(calls.size());
            for (JsonObject call : calls) {
                names.add(String.valueOf(call.getValue("method")));
            }
            return names;
        }
    }

    public int httpRequests() {
        return httpRequests.get();
    }

    /** When each HTTP request arrived ({@link System#nanoTime()}), in order: a client's backoff. */
    public List<Long> requestNanos() {
        synchronized (requestNanos) {
            return List.copyOf(requestNanos);
        }
    }

    /** The most HTTP requests received but not yet answered at one time (delayed and hanging ones included). */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Authorization header of every HTTP request, in order; null where a request had none. */
    public List<String> authorizations() {
        synchronized (authorizations) {
            return Collections.unmodifiableList(new ArrayList<>(authorizations));
        }
    }

    public void resetStats() {
        calls.clear();
        restPaths.clear();
        authorizations.clear();
        httpRequests.set(0);
        requestNanos.clear();
        workQueueRefusals.set(0);
        maxConcurrent.set(inFlight.get());
    }

    // ---------------------------------------------------------------- serving

    private void onRequest(HttpServerRequest req) {
        if (down) {
            req.connection().close();
            return;
        }
        if (probesApart && req.method() == HttpMethod.POST) {
            // Read first: the service's own look at the URL is told apart by its body.
            req.pause();
            req.body().onSuccess((Buffer body) -> {
                if (isProbe(parseOrNull(body))) {
                    probes.incrementAndGet();
                    answer(req, null, body);
                } else {
                    serve(req, body);
                }
            });
            req.resume();
            return;
        }
        serve(req, null);
    }

    /**
     * The service's chain check and per-URL poll ({@code ChainProbe}: a batch that starts with getblockchaininfo):
     * with {@link #probesApart} (the default) answered at once and kept out of every count, fault
     * and record, so that a test of something else sees only the requests it caused.
     */
    private static boolean isProbe(Object parsed) {
        return parsed instanceof JsonArray batch && batch.size() >= 1
                && batch.getValue(0) instanceof JsonObject first && "getblockchaininfo".equals(first.getValue("method"));
    }

    /** A reply to a probe: its first item answers getblockchaininfo (an object with "chain"). */
    private static boolean isProbeReply(JsonArray replies) {
        return !replies.isEmpty() && replies.getValue(0) instanceof JsonObject first
                && first.getValue("result") instanceof JsonObject result && result.containsKey("chain");
    }

    /**
     * Whether the service's chain checks and polls are answered apart (true, the default) or served like any other
     * request: counted, recorded, and given the next fault.
     */
    public FakeDaemon probesApart(boolean apart) {
        probesApart = apart;
        return this;
    }

    /** The service's chain checks and polls answered apart so far. */
    public int probes() {
        return probes.get();
    }

    /** Serves one request; {@code readBody} is its body when already read (null: not yet). */
    private void serve(HttpServerRequest req, Buffer readBody) {
        Runnable finished = track(req.response());
        int depth = workQueue;
        boolean full = depth >= 0 && inFlight.get() > depth;
        httpRequests.incrementAndGet();
        requestNanos.add(System.nanoTime());
        authorizations.add(req.getHeader(HttpHeaders.AUTHORIZATION));
        Future<Buffer> bodyRead = readBody != null ? Future.succeededFuture(readBody) : req.body();
        if (full) {
            workQueueRefusals.incrementAndGet();
            bodyRead.onSuccess((Buffer body) -> {
                record(parseOrNull(body));
                req.response().setStatusCode(500)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=ISO-8859-1")
                        .end("Work queue depth exceeded");
            });
            return;
        }
        Fault fault = faults.poll();
        bodyRead.onSuccess((Buffer body) -> onBody(req, fault, body, finished));
    }

    /** Counts the request as in flight until its response ends or its connection goes away. */
    private Runnable track(HttpServerResponse response) {
        maxConcurrent.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicBoolean done = new AtomicBoolean();
        Runnable finished = () -> {
            if (done.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        response.endHandler((Void v) -> finished.run()).closeHandler((Void v) -> finished.run());
        return finished;
    }

    private void onBody(HttpServerRequest req, Fault fault, Buffer body, Runnable finished) {
        Fault.Kind kind = fault == null ? null : fault.kind();
        if (kind == Fault.Kind.HTTP_401 || kind == Fault.Kind.WORK_QUEUE_EXCEEDED || kind == Fault.Kind.HTML_500
                || kind == Fault.Kind.DROP_CONNECTION || kind == Fault.Kind.HANG
                || kind == Fault.Kind.LONG_BODY || kind == Fault.Kind.ENDLESS_BODY
                || kind == Fault.Kind.ECHO_401 || kind == Fault.Kind.ECHO_401_HTML) {
            // The daemon did receive these calls; recording them lets tests count a client's retries.
            record(parseOrNull(body));
            if (kind == Fault.Kind.LONG_BODY || kind == Fault.Kind.ENDLESS_BODY) {
                streamLongBody(req.response(), fault.delayMs(), kind == Fault.Kind.ENDLESS_BODY);
            } else {
                answerTransportFault(req, kind, finished);
            }
            return;
        }
        long wait = latencyMs + (kind == Fault.Kind.DELAY ? fault.delayMs() : 0);
        Fault rpcFault = kind == Fault.Kind.DELAY ? null : fault;
        if (wait > 0) {
            vertx.setTimer(wait, (Long t) -> answer(req, rpcFault, body));
        } else {
            answer(req, rpcFault, body);
        }
    }

    private void answerTransportFault(HttpServerRequest req, Fault.Kind kind, Runnable finished) {
        HttpServerResponse resp = req.response();
        switch (kind) {
            case HTTP_401:
                resp.setStatusCode(401).putHeader("WWW-Authenticate", BASIC_REALM).end();
                break;
            case ECHO_401:
                resp.setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                        .end("Unauthorized: " + req.getHeader(HttpHeaders.AUTHORIZATION) + "\r\n");
                break;
            case ECHO_401_HTML: {
                String auth = String.valueOf(req.getHeader(HttpHeaders.AUTHORIZATION));
                resp.setStatusCode(401).setStatusMessage("Unauthorized " + auth)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html")
                        .end("<html><head><title>401 Unauthorized</title></head>\n<body><h1>Unauthorized</h1>\n"
                                + "<pre>Authorization: " + auth + "</pre>\n" + "<p>padding</p>\n".repeat(200)
                                + "</body></html>");
                break;
            }
            case WORK_QUEUE_EXCEEDED:
                resp.setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                        .end("Work queue depth exceeded");
                break;
            case HTML_500:
                resp.setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, "text/html")
                        .end("<html><head><title>500 Internal Server Error</title></head>"
                                + "<body><h1>Internal Server Error</h1></body></html>");
                break;
            case DROP_CONNECTION:
                finished.run();
                req.connection().close();
                break;
            default:
                // HANG: deliberately never answer.
                break;
        }
    }

    /** A reply {"result":"0000…","error":null,"id":-1} (an id no client asks) of at least {@code bytes} bytes, or endless. */
    private void streamLongBody(HttpServerResponse resp, long bytes, boolean endless) {
        resp.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        resp.write("{\"result\":\"");
        Buffer piece = Buffer.buffer("00".repeat(endless ? 2048 : 32 * 1024));
        long[] sent = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (resp.closed() || resp.ended()) {
                return;
            }
            if (!endless && sent[0] >= bytes) {
                resp.end("\",\"error\":null,\"id\":-1}");
                return;
            }
            sent[0] += piece.length();
            resp.write(piece);
            if (endless) {
                vertx.setTimer(2, (Long t) -> next[0].run());
            } else if (resp.writeQueueFull()) {
                resp.drainHandler((Void v) -> next[0].run());
            } else {
                vertx.runOnContext((Void v) -> next[0].run());
            }
        };
        next[0].run();
    }

    private void answer(HttpServerRequest req, Fault rpcFault, Buffer body) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (req.method() == HttpMethod.GET && req.path().startsWith("/rest/")) {
            answerRest(req, rpcFault);
            return;
        }
        if (req.method() != HttpMethod.POST) {
            resp.setStatusCode(405).end("JSONRPC server handles only POST requests");
            return;
        }
        if (!authorized(req.getHeader(HttpHeaders.AUTHORIZATION))) {
            resp.setStatusCode(401).putHeader("WWW-Authenticate", BASIC_REALM).end();
            return;
        }
        Object parsed = parseOrNull(body);
        if (!(probesApart && isProbe(parsed))) {
            record(parsed);
        }
        if (parsed == null || (rpcFault != null && rpcFault.kind() == Fault.Kind.PARSE_ERROR)) {
            reply(resp, errorReply(null, RPC_PARSE_ERROR, "Parse error"), true);
        } else if (parsed instanceof JsonObject) {
            answerOne(parsed, rpcFault).onSuccess((JsonObject r) -> reply(resp, r, true));
        } else if (parsed instanceof JsonArray) {
            answerBatch((JsonArray) parsed, rpcFault).onSuccess((JsonArray r) -> reply(resp, r,
                false));
        } else {
            reply(resp, errorReply(null, RPC_PARSE_ERROR, "Top-level object parse error"), true);
        }
    }

    /** bitcoind's REST answers: bytes or JSON on success, text/plain errors, no authentication. */
    private void answerRest(HttpServerRequest req, Fault rpcFault) {
        HttpServerResponse resp = req.response();
        String path = req.path();
        restPaths.add(path);
        if (!rest) {
            resp.setStatusCode(404).end();
            return;
        }
        if (rpcFault != null && rpcFault.kind() == Fault.Kind.WARMING_UP) {
            restError(resp, 503, "Service temporarily unavailable: " + rpcFault.message());
            return;
        }
        if (path.equals("/rest/chaininfo.json")) {
            FakeChain current = chain;
            resp.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("chain", "regtest")
                            .put("blocks", current == null ? 0 : current.height()).encode() + "\n");
            return;
        }
        String prefix = "/rest/block/";
        if (!path.startsWith(prefix) || !path.endsWith(".bin")) {
            restError(resp, 400, "Invalid URI format. Expected /rest/<resource>.<ext>");
            return;
        }
        String hash = path.substring(prefix.length(), path.length() - ".bin".length());
        Function<JsonArray, Object> getblock = handlers.get("getblock");
        if (getblock == null || !hash.matches("[0-9a-f]{64}")) {
            restError(resp, 400, "Invalid hash: " + hash);
            return;
        }
        Future<?> hex;
        try {
            Object result = getblock.apply(new JsonArray().add(hash).add(false));
            hex = result instanceof Future ? (Future<?>) result : Future.succeededFuture(result);
        } catch (RuntimeException e) {
            hex = Future.failedFuture(e);
        }
        hex.onComplete(ar -> {
            if (resp.closed() || resp.ended()) {
                return;
            }
            if (ar.failed() || !(ar.result() instanceof String)) {
                restError(resp, 404, hash + " not found");
                return;
            }
            byte[] bytes;
            try {
                bytes = java.util.HexFormat.of().parseHex((String) ar.result());
            } catch (IllegalArgumentException notHex) {
                restError(resp, 500, "Block read failed");
                return;
            }
            resp.putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream").end(Buffer.buffer(bytes));
        });
    }

    private static void restError(HttpServerResponse resp, int status, String text) {
        resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(text + "\r\n");
    }

    private boolean authorized(String header) {
        String required = requiredUserPass;
        if (required == null) {
            return true;
        }
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(header.substring(6).trim());
            return required.equals(new String(decoded, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException badBase64) {
            return false;
        }
    }

    private Future<JsonArray> answerBatch(JsonArray batch, Fault rpcFault) {
        List<Future<JsonObject>> replies = new ArrayList<>(batch.size());
        for (Object item : batch) {
            replies.add(answerOne(item, rpcFault));
        }
        return Future.all(replies).map((CompositeFuture all) -> {
            List<JsonObject> items = new ArrayList<>(all.list());
            if (shuffleBatchReplies) {
                Collections.reverse(items);
            }
            return new JsonArray(new ArrayList<>(items));
        });
    }

    /** Never fails: every problem becomes a JSON-RPC error reply. */
    private Future<JsonObject> answerOne(Object item, Fault rpcFault) {
        if (!(item instanceof JsonObject)) {
            return Future.succeededFuture(errorReply(null, RPC_INVALID_REQUEST, "Invalid Request object"));
        }
        JsonObject call = (JsonObject) item;
        Object id = call.getValue("id");
        if (rpcFault != null) {
            return Future.succeededFuture(errorReply(id, rpcFault.code(), rpcFault.message()));
        }
        Object method = call.getValue("method");
        if (method == null) {
            return Future.succeededFuture(errorReply(id, RPC_INVALID_REQUEST, "Missing method"));
        }
        if (!(method instanceof String)) {
            return Future.succeededFuture(errorReply(id, RPC_INVALID_REQUEST, "Method must be a string"));
        }
        Object params = call.getValue("params");
        if (params != null && !(params instanceof JsonArray)) {
            return Future.succeededFuture(errorReply(id, RPC_INVALID_PARAMS, "FakeDaemon takes positional params only"));
        }
        Function<JsonArray, Object> fn = handlers.get(method);
        if (fn == null) {
            return Future.succeededFuture(errorReply(id, RPC_METHOD_NOT_FOUND, "Method not found"));
        }
        try {
            Object result = fn.apply((JsonArray) params);
            // A handler may answer later by returning a Future, e.g. one a test completes.
            Future<?> later = result instanceof Future ? (Future<?>) result : Future.succeededFuture(result);
            return later.map(r -> resultReply(id, r)).otherwise((Throwable e) -> errorReplyFor(id,
                e));
        } catch (RuntimeException e) {
            return Future.succeededFuture(errorReplyFor(id, e));
        }
    }

    private void reply(HttpServerResponse resp, Object json, boolean single) {
        if (resp.closed() || resp.ended()) {
            return;
        }
        int status = 200;
        if (single && bitcoindErrorStatus) {
            status = statusFor(((JsonObject) json).getJsonObject("error"));
        }
        String text = Json.encode(json);
        java.util.function.UnaryOperator<String> rewriter = replyRewriter;
        // The service's own looks at the URL are answered apart: a test's rewrite is for its requests.
        if (rewriter != null && !(probesApart && json instanceof JsonArray batch && isProbeReply(batch))) {
            text = rewriter.apply(text);
        }
        Buffer payload = Buffer.buffer(text).appendString("\n");
        resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(payload);
    }

    private static int statusFor(JsonObject error) {
        if (error == null) {
            return 200;
        }
        int code = error.getInteger("code", 0);
        if (code == RPC_INVALID_REQUEST) {
            return 400;
        }
        return code == RPC_METHOD_NOT_FOUND ? 404 : 500;
    }

    private void record(Object parsed) {
        if (parsed instanceof JsonObject) {
            calls.add(((JsonObject) parsed).copy());
        } else if (parsed instanceof JsonArray) {
            for (Object item : (JsonArray) parsed) {
                if (item instanceof JsonObject) {
                    calls.add(((JsonObject) item).copy());
                }
            }
        }
    }

    private static Object parseOrNull(Buffer body) {
        try {
            return Json.decodeValue(body);
        } catch (DecodeException e) {
            return null;
        }
    }

    static JsonObject resultReply(Object id, Object result) {
        return new JsonObject().put("result", result).putNull("error").put("id", id);
    }

    static JsonObject errorReply(Object id, int code, String message) {
        return new JsonObject().putNull("result")
                .put("error", new JsonObject().put("code", code).put("message", message))
                .put("id", id);
    }

    private static JsonObject errorReplyFor(Object id, Throwable e) {
        if (e instanceof RpcError) {
            return errorReply(id, ((RpcError) e).code(), e.getMessage());
        }
        // A bug in a test's handler: surface it to the client rather than hanging the request.
        return errorReply(id, RPC_INTERNAL_ERROR, "Handler failed: " + e);
    }
}
