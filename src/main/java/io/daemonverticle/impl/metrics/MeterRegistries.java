package io.daemonverticle.impl.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Where this service's meters go and where {@code /metrics} reads them: Vert.x's own
 * Prometheus registry when the Vert.x instance runs with Micrometer metrics (the launcher turns
 * them on), so that its HTTP client and event-bus meters are scraped with ours; otherwise (an
 * embedding Vert.x without metrics, unit tests) a private registry per Vert.x instance, shared
 * by the verticle instances, so that {@code /metrics} still answers with ours.
 */
public final class MeterRegistries {

  private static final String MAP = "daemon-verticle.meter-registry";

  private MeterRegistries() {
  }

  public static PrometheusMeterRegistry of(Vertx vertx) {
    if (vertx.isMetricsEnabled()
        && BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry vertxOwn) {
      return vertxOwn;
    }
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    Holder fresh = new Holder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Holder existing = map.putIfAbsent("registry", fresh);
    if (existing != null) {
      fresh.registry.close();
      return existing.registry;
    }
    return fresh.registry;
  }

  /** A local-map value: the registry itself is not a type a local map takes. */
  private record Holder(PrometheusMeterRegistry registry) implements Shareable {
  }

  /** Whether {@code registry} is Vert.x's own (its HTTP and event-bus meters are in it). */
  public static boolean isVertxOwn(MeterRegistry registry) {
    return registry == BackendRegistries.getDefaultNow();
  }
}
