package io.daemonverticle.testing;

import java.util.Objects;

/**
 * One misbehaviour for {@link FakeDaemon#failNext(Fault...)}; each queued fault is consumed by exactly one HTTP
 * request (a whole batch counts as one).
 *
 * <p>The constant-like names mirror how tests read: {@code failNext(HTTP_401, DELAY(200), WARMING_UP)}.
 */
public final class Fault {

    /** What the fake does with the request that consumes this fault. */
    public enum Kind {
        HTTP_401, WORK_QUEUE_EXCEEDED, HTML_500, DROP_CONNECTION, DELAY, HANG, WARMING_UP, PARSE_ERROR, RPC_ERROR,
        LONG_BODY, ENDLESS_BODY, ECHO_401, ECHO_401_HTML
    }

    /** Status 401 with a {@code WWW-Authenticate} header and no body, as bitcoind does for bad credentials. */
    public static final Fault HTTP_401 = new Fault(Kind.HTTP_401, 0, 0, null);
    /** Status 503, text/plain "Work queue depth exceeded": bitcoind's answer when -rpcworkqueue is full. */
    public static final Fault WORK_QUEUE_EXCEEDED = new Fault(Kind.WORK_QUEUE_EXCEEDED, 0, 0, null);
    /**
     * Status 401 whose text/plain body echoes the request's Authorization header ("Unauthorized: Basic ..."), as a
     * proxy in front of a daemon was seen to do.
     */
    public static final Fault ECHO_401 = new Fault(Kind.ECHO_401, 0, 0, null);
    /**
     * Status 401 whose reason phrase and HTML page echo the request's Authorization header, the page a few KiB long
     * and over several lines: a proxy's error page.
     */
    public static final Fault ECHO_401_HTML = new Fault(Kind.ECHO_401_HTML, 0, 0, null);
    /** Status 500 with an HTML page, as a reverse proxy or a crashed daemon in front of the client might send. */
    public static final Fault HTML_500 = new Fault(Kind.HTML_500, 0, 0, null);
    /** The request body is read, then the TCP connection is closed without any reply. */
    public static final Fault DROP_CONNECTION = new Fault(Kind.DROP_CONNECTION, 0, 0, null);
    /** The request is read and never answered; only the client (timeout) or {@link FakeDaemon#close()} ends it. */
    public static final Fault HANG = new Fault(Kind.HANG, 0, 0, null);
    /** Every call of the request fails with -28 "Loading block index...", like a daemon still starting up. */
    public static final Fault WARMING_UP = new Fault(Kind.WARMING_UP, FakeDaemon.RPC_IN_WARMUP,
            0, "Loading block index...");
    /** A single reply object with error -32700 "Parse error" and a null id, even for a batch. */
    public static final Fault PARSE_ERROR = new Fault(Kind.PARSE_ERROR, FakeDaemon.RPC_PARSE_ERROR, 0, "Parse error");

    /**
     * A JSON reply that never ends: its start, then 4 KiB of hex digits every 2 ms (chunked) until the client
     * goes away. Tests a client's bound on a reply's size.
     */
    public static final Fault ENDLESS_BODY = new Fault(Kind.ENDLESS_BODY, 0, 0, null);

    private final Kind kind;
    private final int code;
    private final long delayMs;
    private final String message;

    private Fault(Kind kind, int code, long delayMs, String message) {
        this.kind = kind;
        this.code = code;
        this.delayMs = delayMs;
        this.message = message;
    }

    /** Answer normally, but only after {@code ms} milliseconds. */
    public static Fault DELAY(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("negative delay " + ms);
        }
        return new Fault(Kind.DELAY, 0, ms, null);
    }

    /**
     * A well-formed JSON-RPC reply of at least {@code bytes} bytes (a long hex result), sent chunked in 64 KiB
     * pieces: a reply too long for a client's bound on a reply's size.
     */
    public static Fault LONG_BODY(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative length " + bytes);
        }
        return new Fault(Kind.LONG_BODY, 0, bytes, null);
    }

    /** Every call of the request fails with this JSON-RPC error (each item of a batch gets it). */
    public static Fault RPC_ERROR(int code, String message) {
        return new Fault(Kind.RPC_ERROR, code, 0, Objects.requireNonNull(message));
    }

    public Kind kind() {
        return kind;
    }

    /** JSON-RPC error code for WARMING_UP, PARSE_ERROR and RPC_ERROR; 0 otherwise. */
    public int code() {
        return code;
    }

    /** JSON-RPC error message for WARMING_UP, PARSE_ERROR and RPC_ERROR; null otherwise. */
    public String message() {
        return message;
    }

    /** Delay for DELAY, length for LONG_BODY; 0 otherwise. */
    public long delayMs() {
        return delayMs;
    }

    @Override
    public String toString() {
        switch (kind) {
            case DELAY:
                return "DELAY(" + delayMs + ")";
            case RPC_ERROR:
                return "RPC_ERROR(" + code + ", " + message + ")";
            case LONG_BODY:
                return "LONG_BODY(" + delayMs + ")";
            default:
                return kind.name();
        }
    }
}
