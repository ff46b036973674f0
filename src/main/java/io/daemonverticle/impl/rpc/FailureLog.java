package io.daemonverticle.impl.rpc;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElectrumX's "Retrying occasionally..." logging: a daemon that is down fails every request,
 * so each kind of failure is logged at most once a minute, and the first answer after trouble
 * says the daemon is back. Runs on the verticle's event loop.
 */
final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final Map<TransientFailure.Kind, Long> lastLogged =
      new EnumMap<>(TransientFailure.Kind.class);
  private String recoveredMessage;

  void failed(TransientFailure failure) {
    recoveredMessage = failure.kind().recoveredMessage();
    long now = System.nanoTime();
    Long last = lastLogged.get(failure.kind());
    if (last == null || now - last >= LOG_INTERVAL_NANOS) {
      lastLogged.put(failure.kind(), now);
      if (failure.kind() == TransientFailure.Kind.BACK_PRESSURE) {
        // The daemon is busy, not broken: requests wait for it, fewer at once.
        LOG.warn("{}.  Retrying occasionally...", failure.getMessage());
      } else {
        LOG.error("{}.  Retrying occasionally...", failure.getMessage());
      }
    }
  }

  /** The daemon answered (a result or its own error): say so once after failures. */
  void answered() {
    if (recoveredMessage != null) {
      LOG.info(recoveredMessage);
      recoveredMessage = null;
      lastLogged.clear();
    }
  }
}
