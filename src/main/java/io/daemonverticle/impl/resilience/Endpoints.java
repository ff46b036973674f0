package io.daemonverticle.impl.resilience;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon URLs in their configured order, each behind its own circuit breaker, and which
 * one requests go to now. Runs on the verticle's event loop.
 *
 * <p>A URL's circuit opens after {@code breakerMaxFailures} transport failures in a row,
 * however long they took. The breaker's own count is a rolling window (10 s by default),
 * and a URL that accepts connections but never answers fails once per attempt timeout (also
 * 10 s by default): its failures fell out of the window before they added up, so it was
 * never left. The count in a row is kept here and opens the breaker; the breaker keeps the
 * open, half-open and closed states and the one probe after {@code breakerResetMs}.
 */
public final class Endpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  private final List<Endpoint> endpoints = new ArrayList<>();
  private final RpcCounters counters;
  private final CircuitEvents events;
  private int current;

  /** Circuit changes are logged, not published. */
  public Endpoints(Vertx vertx, List<DaemonUrl> urls, BreakerSettings settings,
                   RpcCounters counters) {
    this(vertx, urls, settings, counters, new CircuitEvents(vertx, null));
  }

  public Endpoints(Vertx vertx, List<DaemonUrl> urls, BreakerSettings settings,
                   RpcCounters counters, CircuitEvents events) {
    this.counters = counters;
    this.events = events;
    for (int i = 0; i < urls.size(); i++) {
      CircuitBreaker breaker = CircuitBreaker.create("daemon-" + (i + 1), vertx,
          new CircuitBreakerOptions()
              // Never opens by its own time-windowed count: Endpoint opens it (see above).
              .setMaxFailures(Integer.MAX_VALUE)
              .setResetTimeout(settings.resetMs())
              .setTimeout(-1)
              .setMaxRetries(0)
              .setNotificationAddress(null));
      // Only transport trouble counts against a URL: a JSON-RPC error means it answered.
      breaker.failurePolicy(f -> f.failed() && !(f.cause() instanceof DaemonException));
      Endpoint endpoint = new Endpoint(urls.get(i), breaker, settings.maxFailures(),
          settings.maxInFlight());
      // The breaker calls these on the thread that changed its state (the verticle's event
      // loop, or its reset timer on the verticle's context), once per change.
      breaker.openHandler(v -> endpoint.changed(events, CircuitBreakerState.OPEN))
          .halfOpenHandler(v -> endpoint.changed(events, CircuitBreakerState.HALF_OPEN))
          .closeHandler(v -> endpoint.changed(events, CircuitBreakerState.CLOSED));
      endpoints.add(endpoint);
    }
  }

  public int size() {
    return endpoints.size();
  }

  public Endpoint get(int index) {
    return endpoints.get(index);
  }

  public int currentIndex() {
    return current;
  }

  public Endpoint current() {
    return endpoints.get(current);
  }

  /**
   * How many requests may be in flight now, over all URLs: the current URL's learnt limit.
   * Requests go to the current URL (others only after a timeout there), so bounding them all
   * by its limit never gives it more than its limit.
   */
  public int capacity() {
    return current().limit().current();
  }

  /**
   * ElectrumX's {@code failover}: moves on from a URL whose circuit has opened to the next
   * one whose circuit is not open. True when requests should go on at once to the (new)
   * current URL, false when there is nowhere else to go.
   */
  boolean failover(int failedIndex) {
    if (endpoints.size() < 2) {
      return false;
    }
    if (current != failedIndex) {
      // Another request already moved on; follow it rather than skipping a URL.
      return true;
    }
    for (int step = 1; step < endpoints.size(); step++) {
      int candidate = (failedIndex + step) % endpoints.size();
      if (endpoints.get(candidate).breaker.state() != CircuitBreakerState.OPEN) {
        current = candidate;
        counters.recordFailover();
        LOG.info("failing over to {}", endpoints.get(candidate).url);
        return true;
      }
    }
    return false;
  }

  /**
   * Where a request should try next instead of a URL that just timed out for it: the next
   * URL whose circuit is not open, or -1 when there is none.
   */
  int alternative(int index) {
    for (int step = 1; step < endpoints.size(); step++) {
      int candidate = (index + step) % endpoints.size();
      if (endpoints.get(candidate).breaker.state() != CircuitBreakerState.OPEN) {
        return candidate;
      }
    }
    return -1;
  }

  public void close() {
    events.close();
    endpoints.forEach(e -> e.breaker.close());
  }

  /** One URL, its breaker, its transport failures in a row, and the last one seen there. */
  public static final class Endpoint {
    private final DaemonUrl url;
    private final CircuitBreaker breaker;
    private final int maxFailures;
    private final AdaptiveLimit limit;
    private int failuresInARow;
    private TransientFailure lastFailure;
    private CircuitBreakerState reported = CircuitBreakerState.CLOSED;

    Endpoint(DaemonUrl url, CircuitBreaker breaker, int maxFailures, int maxInFlight) {
      this.url = url;
      this.breaker = breaker;
      this.maxFailures = maxFailures;
      this.limit = new AdaptiveLimit(maxInFlight);
    }

    /**
     * Runs one attempt through the breaker and counts its outcome before the caller sees it:
     * an answer (a result or the daemon's own JSON-RPC error) ends a run of failures; the
     * {@code maxFailures}-th transport failure in a row opens the circuit. An attempt the
     * open circuit refused was never sent and counts for nothing.
     *
     * <p>The daemon's back-pressure is not a failure of the URL: it cuts the URL's
     * {@link AdaptiveLimit} and leaves the run as it was, unless the refused request was the
     * only one in flight there. A URL that refuses even one request at a time (a proxy
     * answering 503 for a dead daemon) is not serving, and is counted like any other failure.
     */
    <T> Future<T> execute(Supplier<Future<T>> attempt) {
      AdaptiveLimit.Ticket[] ticket = new AdaptiveLimit.Ticket[1];
      return breaker.<T>execute(() -> {
        ticket[0] = limit.sent();
        // Kept before the breaker sees the outcome, so that a change it makes (a failed
        // probe opens the circuit again) names this failure.
        return attempt.get().andThen(this::keepFailure);
      }).andThen(ar -> {
        if (ticket[0] == null) {
          // Refused by the open circuit: never sent.
          return;
        }
        if (ar.succeeded() || ar.cause() instanceof DaemonException) {
          limit.answered(ticket[0]);
          failuresInARow = 0;
        } else if (ar.cause() instanceof TransientFailure tf
            && tf.kind() == TransientFailure.Kind.BACK_PRESSURE) {
          if (limit.refused(ticket[0])) {
            LOG.debug("{} is busy: at most {} requests in flight to it now", url,
                limit.current());
          }
          if (ticket[0].alone()) {
            countFailure();
          }
        } else if (ar.cause() instanceof TransientFailure tf
            && tf.kind() == TransientFailure.Kind.CANCELLED) {
          // We ended it (a hedged read answered elsewhere): no fault of this URL.
          limit.failed(ticket[0]);
        } else {
          limit.failed(ticket[0]);
          countFailure();
        }
      });
    }

    private void keepFailure(AsyncResult<?> ar) {
      if (ar.failed() && !(ar.cause() instanceof DaemonException)) {
        TransientFailure failure = TransientFailure.from(ar.cause(), url);
        if (failure.kind() != TransientFailure.Kind.CANCELLED) {
          lastFailure = failure;
        }
      }
    }

    private void countFailure() {
      failuresInARow++;
      if (failuresInARow >= maxFailures && breaker.state() != CircuitBreakerState.OPEN) {
        breaker.open();
      }
    }

    /** Reports a change of this URL's circuit; the breaker also calls back for no change. */
    private void changed(CircuitEvents events, CircuitBreakerState state) {
      CircuitBreakerState previous = reported;
      if (previous == state) {
        return;
      }
      reported = state;
      events.changed(url, previous, state, lastFailure);
    }

    /** How many requests this URL is given at once, learnt from its back-pressure. */
    public AdaptiveLimit limit() {
      return limit;
    }

    public DaemonUrl url() {
      return url;
    }

    public CircuitBreakerState circuitState() {
      return breaker.state();
    }

    /** Transport failures in a row, since the last answer from this URL. */
    public long failureCount() {
      return failuresInARow;
    }

    TransientFailure lastFailure() {
      return lastFailure;
    }

    void lastFailure(TransientFailure failure) {
      lastFailure = failure;
    }
  }

  /**
   * After how many failures in a row a URL's circuit opens, how long it stays open, and the
   * most requests any URL is given at once ({@code maxWorkqueue}).
   */
  public record BreakerSettings(int maxFailures, long resetMs, int maxInFlight) {
  }
}
