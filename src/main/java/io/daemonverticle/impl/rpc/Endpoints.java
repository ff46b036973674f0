package io.daemonverticle.impl.rpc;

import io.daemonverticle.DaemonException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon URLs in their configured order, each behind its own circuit breaker, and which
 * one requests go to now. Runs on the verticle's event loop.
 */
public final class Endpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  private final List<Endpoint> endpoints = new ArrayList<>();
  private final RpcCounters counters;
  private int current;

  public Endpoints(Vertx vertx, List<DaemonUrl> urls, BreakerSettings settings,
                   RpcCounters counters) {
    this.counters = counters;
    for (int i = 0; i < urls.size(); i++) {
      CircuitBreaker breaker = CircuitBreaker.create("daemon-" + (i + 1), vertx,
          new CircuitBreakerOptions()
              .setMaxFailures(settings.maxFailures())
              .setResetTimeout(settings.resetMs())
              .setTimeout(-1)
              .setMaxRetries(0)
              .setNotificationAddress(null));
      // Only transport trouble counts against a URL: a JSON-RPC error means it answered.
      breaker.failurePolicy(f -> f.failed() && !(f.cause() instanceof DaemonException));
      endpoints.add(new Endpoint(urls.get(i), breaker));
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

  public void close() {
    endpoints.forEach(e -> e.breaker.close());
  }

  /** One URL, its breaker, and the last transport failure seen there. */
  public static final class Endpoint {
    private final DaemonUrl url;
    private final CircuitBreaker breaker;
    private TransientFailure lastFailure;

    Endpoint(DaemonUrl url, CircuitBreaker breaker) {
      this.url = url;
      this.breaker = breaker;
    }

    public DaemonUrl url() {
      return url;
    }

    public CircuitBreakerState circuitState() {
      return breaker.state();
    }

    public long failureCount() {
      return breaker.failureCount();
    }

    CircuitBreaker breaker() {
      return breaker;
    }

    TransientFailure lastFailure() {
      return lastFailure;
    }

    void lastFailure(TransientFailure failure) {
      lastFailure = failure;
    }
  }

  /** When a URL's circuit opens, and how long it stays open. */
  public record BreakerSettings(int maxFailures, long resetMs) {
  }
}
