package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.time.NanoClock;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElectrumX's "Retrying occasionally..." logging: a daemon that is down fails every request,
 * so each kind of failure is logged at most once a minute, and the first answer after trouble
 * says the daemon is back. Runs on the verticle's event loop.
 *
 * <p>At WARN, where ElectrumX says ERROR: a daemon that restarts or refuses is the daemon's
 * trouble, which the retry path handles. ERROR is kept for what means a bug of ours (the
 * dispatcher's safety net), so "no ERROR line" is a check an operator and the soak can use.
 *
 * <p>Wrong bytes (a block whose header does not hash to its hash) are logged once a minute per
 * URL, not per kind: that is one daemon (or what stands in front of it) serving other data, and
 * the operator must hear of each one, even while another is logged.
 *
 * <p>The minute is on the retry loop's clock (the service's time source).
 */
final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  /** When each kind (or, for wrong bytes, each kind and URL) was last logged. */
  private final Map<Object, Long> lastLogged = new HashMap<>();
  private final NanoClock clock;
  private String recoveredMessage;

  /** @param clock what the minute between two lines of one kind is measured on */
  FailureLog(NanoClock clock) {
    this.clock = clock;
  }

  void failed(TransientFailure failure, DaemonUrl url) {
    long now = clock.nanoTime();
    Object key = failure.kind() == TransientFailure.Kind.WRONG_BYTES
        ? failure.kind() + " " + url : failure.kind();
    Long last = lastLogged.get(key);
    if (last == null || now - last >= LOG_INTERVAL_NANOS) {
      lastLogged.put(key, now);
      recoveredMessage = failure.kind().recoveredMessage();
      LOG.warn("{}.  Retrying occasionally...", failure.getMessage());
    }
  }

  /**
   * The daemon answered (a result or its own error): say so once after a logged failure. The
   * once-a-minute clock is not reset by a recovery: with faults in a few per cent of attempts
   * (a flaky proxy) a reset would log nearly every failed attempt (the soak saw 13 a minute).
   */
  void answered() {
    if (recoveredMessage != null) {
      LOG.info(recoveredMessage);
      recoveredMessage = null;
    }
  }
}
