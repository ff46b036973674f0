package io.daemonverticle;

import io.daemonverticle.impl.bus.RequestListener;
import io.daemonverticle.impl.config.OptionalJars;
import io.daemonverticle.impl.http.DaemonHttpVerticle;
import io.daemonverticle.impl.metrics.MeterRegistries;
import io.daemonverticle.impl.metrics.RequestMeter;
import io.daemonverticle.impl.metrics.ServiceMeters;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.service.ServiceSnapshot;
import io.daemonverticle.impl.time.TimeSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * The service's meters and the HTTP front that serves them, in the one class of the public
 * package that names Micrometer's, vertx-web's and the health checks' types: those jars are
 * optional ({@link OptionalJars}), and {@link DaemonVerticle} and {@link DaemonService} reach
 * this class only once {@link OptionalJars#METERS} (and, for the front,
 * {@link OptionalJars#HTTP_FRONT}) were found, so that they load and run without them.
 */
final class Meters {

  private final PrometheusMeterRegistry registry;

  private Meters(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** The registry of {@code vertx}'s meters (see {@link MeterRegistries}). */
  static Meters of(Vertx vertx) {
    return new Meters(MeterRegistries.of(vertx));
  }

  /** The service's group at {@code address}, its meters bound when it is made. */
  ServiceGroup group(Vertx vertx, String address) {
    return ServiceGroup.of(vertx, address, g -> ServiceMeters.bind(registry, g));
  }

  /** Times each answered request, by action and outcome. */
  RequestListener requests(String address) {
    return new RequestMeter(registry, address);
  }

  /** One gauge per URL and circuit state, once per group. */
  void bindCircuits(ServiceGroup group, ServiceSnapshot instance) {
    ServiceMeters.bindCircuits(registry, group, instance);
  }

  /** The HTTP front (requires {@link OptionalJars#HTTP_FRONT}), its timers on {@code time}. */
  DaemonHttpVerticle httpFront(DaemonOptions options, ServiceGroup group,
                               LongSupplier requestTimeoutMs, TimeSource time) {
    return new DaemonHttpVerticle(options, group, registry, requestTimeoutMs, time);
  }
}
