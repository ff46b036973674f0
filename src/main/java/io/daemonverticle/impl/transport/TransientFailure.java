package io.daemonverticle.impl.transport;

import io.daemonverticle.impl.config.Secrets;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A failure worth retrying (ElectrumX's timeout, disconnect, connection problem, service
 * refused, warming up): the daemon may answer a later attempt or another URL may. The kind
 * groups failures for rate-limited logging; the message is what a 503 reply repeats, and
 * what the log says: it is masked here ({@link Secrets}), wherever it was made.
 */
public final class TransientFailure extends RuntimeException {

  /** What to log once the daemon answers again after this kind of failure. */
  public enum Kind {
    TIMEOUT("connection restored"),
    DISCONNECTED("connection restored"),
    CONNECTION("connection restored"),
    REFUSED("running normally"),
    /**
     * The daemon is alive but full: bitcoind's "Work queue depth exceeded" or an HTTP 503.
     * Not a dead URL: it cuts that URL's {@code resilience.AdaptiveLimit} instead of counting toward
     * its circuit.
     */
    BACK_PRESSURE("running normally"),
    WARMING_UP("running normally"),
    PARSE_ERROR("running normally"),
    TOO_LONG("running normally"),
    CIRCUIT_OPEN("connection restored"),
    /**
     * The daemon gave a block whose header does not hash to the hash asked for (a wrong node,
     * proxy or cache in front of it): counted against that URL, asked of another, never served.
     */
    WRONG_BYTES("serving the blocks asked for again"),
    /** Ended by us: the other attempt of a hedged read answered first. Says nothing of the URL. */
    CANCELLED("connection restored"),
    /**
     * Not sent: the URL failed its chain check (another chain, another genesis block). Not a
     * transport failure: it does not count toward the URL's circuit, and the URL serves
     * nothing until a later check passes.
     */
    QUARANTINED("passed its chain check");

    final String recoveredMessage;

    Kind(String recoveredMessage) {
      this.recoveredMessage = recoveredMessage;
    }

    public String recoveredMessage() {
      return recoveredMessage;
    }
  }

  private final Kind kind;
  private final int httpStatus;

  public TransientFailure(Kind kind, String message) {
    this(kind, message, 0);
  }

  /** A refusal that came as an HTTP answer with this status. */
  public TransientFailure(Kind kind, String message, int httpStatus) {
    super(Secrets.mask(message), null, false, false);
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status of the refusal, 0 when the failure was not an HTTP answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Classifies a transport exception; anything unknown is a connection problem. */
  public static TransientFailure from(Throwable t, DaemonUrl url) {
    if (t instanceof TransientFailure tf) {
      return tf;
    }
    // A proxy's or a TLS peer's words may be in it.
    String detail = t.getMessage() == null ? t.getClass().getSimpleName()
        : Secrets.daemonText(t.getMessage());
    if (t instanceof TimeoutException) {
      return new TransientFailure(Kind.TIMEOUT, "timeout: no reply from " + url + " in time");
    }
    if (t instanceof HttpClosedException) {
      return new TransientFailure(Kind.DISCONNECTED, "disconnected: " + url
          + " closed the connection");
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException
        || t instanceof UnknownHostException) {
      return new TransientFailure(Kind.CONNECTION, "connection problem - check your daemon is "
          + "running: " + url + ": " + detail);
    }
    if (t instanceof SSLException) {
      return new TransientFailure(Kind.CONNECTION, "TLS problem with " + url + ": " + detail);
    }
    if (detail.toLowerCase(Locale.ROOT).contains("reset")) {
      return new TransientFailure(Kind.DISCONNECTED, "connection reset by " + url);
    }
    return new TransientFailure(Kind.CONNECTION, "connection problem with " + url + ": "
        + detail);
  }
}
