package io.daemonverticle.impl.resilience;

import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when a daemon URL's circuit changes state: one log line and one
 * publication on {@code <address>.circuit} ({@code {"url", "state", "reason"}}) per change,
 * the URL without credentials and the reason the URL's last transport failure.
 *
 * <p>A daemon that stays down cycles open, half-open (one probe), open again every
 * {@code breakerResetMs}: the publications follow every change, but the log says WARN only
 * when the circuit opens from closed and INFO when it closes, with the probe cycle in between
 * at DEBUG, so a long outage is two lines at INFO, not two every few seconds.
 */
public final class CircuitEvents {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitEvents.class);

  private final Vertx vertx;
  private final String address;
  private boolean closed;

  /** Publishes on {@code serviceAddress + ".circuit"}; a null address only logs. */
  public CircuitEvents(Vertx vertx, String serviceAddress) {
    this.vertx = vertx;
    this.address = serviceAddress == null ? null : address(serviceAddress);
  }

  /** The address circuit changes are published on for a service at {@code serviceAddress}. */
  public static String address(String serviceAddress) {
    return serviceAddress + ".circuit";
  }

  /**
   * One change of one URL's circuit, from {@code previous} to {@code state}.
   * {@code lastFailure} may be null (a circuit opened by hand, or a URL that never failed).
   */
  void changed(DaemonUrl url, CircuitBreakerState previous, CircuitBreakerState state,
               TransientFailure lastFailure) {
    if (closed) {
      // The breaker's reset timer may still fire after undeploy: nothing to tell then.
      return;
    }
    String reason = lastFailure == null ? null : lastFailure.getMessage();
    String because = reason == null ? "" : " (last failure: " + reason + ")";
    switch (state) {
      case OPEN -> {
        if (previous == CircuitBreakerState.HALF_OPEN) {
          LOG.debug("circuit of {} open again: its probe failed{}", url, because);
        } else {
          LOG.warn("circuit of {} opened: requests go elsewhere or wait{}", url, because);
        }
      }
      case HALF_OPEN -> LOG.debug("circuit of {} half-open: one request may try it{}", url,
          because);
      case CLOSED -> LOG.info("circuit of {} closed: it answers again{}", url, because);
      default -> { }
    }
    if (address != null) {
      vertx.eventBus().publish(address, new JsonObject()
          .put("url", url.toString())
          .put("state", state.name())
          .put("reason", reason));
    }
  }

  /** After this nothing is logged or published (the service is stopping). */
  void close() {
    closed = true;
  }
}
