package io.daemonverticle.impl.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where this service's meters go and where {@code /metrics} reads them: Vert.x's own
 * Prometheus registry when the Vert.x instance runs with Micrometer metrics (the launcher turns
 * them on), so that its HTTP client and event-bus meters are scraped with ours; otherwise (an
 * embedding Vert.x without metrics, unit tests) a private registry per Vert.x instance, shared
 * by the verticle instances, so that {@code /metrics} still answers with ours.
 */
public final class MeterRegistries {

  private static final String MAP = "daemon-verticle.meter-registry";
  /** The registries the JVM meters are bound to already. */
  private static final Map<MeterRegistry, Boolean> JVM_BOUND = new WeakHashMap<>();

  private MeterRegistries() {
  }

  public static PrometheusMeterRegistry of(Vertx vertx) {
    if (vertx.isMetricsEnabled()
        && BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry vertxOwn) {
      return withJvmMeters(vertxOwn);
    }
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    Holder fresh = new Holder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Holder existing = map.putIfAbsent("registry", fresh);
    if (existing != null) {
      fresh.registry.close();
      return existing.registry;
    }
    return withJvmMeters(fresh.registry);
  }

  /**
   * Micrometer's JVM and process meters (memory, GC, threads, classes, CPU, uptime, file
   * descriptors), as Prometheus users expect beside a service's own: bound once per registry,
   * whichever instance asks first.
   */
  private static PrometheusMeterRegistry withJvmMeters(PrometheusMeterRegistry registry) {
    synchronized (JVM_BOUND) {
      if (JVM_BOUND.put(registry, Boolean.TRUE) == null) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        // Listens to the GC's notifications for as long as the JVM runs: one per registry.
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
      }
    }
    return registry;
  }

  /** A local-map value: the registry itself is not a type a local map takes. */
  private record Holder(PrometheusMeterRegistry registry) implements Shareable {
  }

  /** Whether {@code registry} is Vert.x's own (its HTTP and event-bus meters are in it). */
  public static boolean isVertxOwn(MeterRegistry registry) {
    return registry == BackendRegistries.getDefaultNow();
  }
}
