package io.daemonverticle.impl.metrics;

import io.daemonverticle.impl.service.LiveInstance;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.service.ServiceSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.function.ToLongFunction;

/**
 * The service's own meters over a {@link ServiceGroup}: each reads the counts the instances
 * keep already, from their {@link ServiceSnapshot}s, summed over the group's instances,
 * so nothing is counted twice and the request path pays nothing for them. Tagged with the
 * service address, so two services in one process stay apart.
 */
public final class ServiceMeters {

  private ServiceMeters() {
  }

  /** Registers the group's meters, once per group (the group calls it when it is made). */
  public static void bind(MeterRegistry registry, ServiceGroup group) {
    Tags tags = Tags.of("address", group.address());
    counter(registry, group, tags, "daemon.rpc.requests", "requests handed to the retry loop",
        c -> c.requests());
    counter(registry, group, tags, "daemon.rpc.retries", "attempts retried after a transient "
        + "failure", c -> c.retries());
    counter(registry, group, tags, "daemon.rpc.failovers", "moves to the next daemon URL "
        + "after a circuit opened", c -> c.failovers());
    counter(registry, group, tags, "daemon.rpc.hedges", "hedged reads sent to a second URL",
        c -> c.hedges());
    counter(registry, group, tags, "daemon.rest.blocks", "blocks fetched over the daemon's "
        + "REST interface", c -> c.restBlocks());
    counter(registry, group, tags, "daemon.rest.fallbacks", "blocks requests a REST URL "
        + "answered otherwise, sent over JSON-RPC instead", c -> c.restFallbacks());
    counter(registry, group, tags, "daemon.rpc.transient.failures", "attempts that failed "
        + "transiently", c -> c.transientFailures());
    counter(registry, group, tags, "daemon.rpc.back.pressure", "attempts the daemon refused "
        + "for lack of room", c -> c.backPressure());
    counter(registry, group, tags, "daemon.rpc.daemon.errors", "requests answered with a "
        + "JSON-RPC error", c -> c.daemonErrors());
    counter(registry, group, tags, "daemon.rpc.unavailable", "requests given up at their "
        + "deadline", c -> c.unavailable());
    ToLongFunction<LiveInstance> publications = i -> i.snapshot().heightPublications();
    FunctionCounter.builder("daemon.height.publications", group, g -> g.sum(publications))
        .description("height changes this process published").tags(tags).register(registry);
    ToLongFunction<LiveInstance> tips = i -> i.snapshot().tip().publications();
    FunctionCounter.builder("daemon.tip.publications", group, g -> g.sum(tips))
        .description("tip publications this process made").tags(tags).register(registry);
    ToLongFunction<LiveInstance> tipsAgain = i -> i.snapshot().tip().republications();
    FunctionCounter.builder("daemon.tip.republications", group, g -> g.sum(tipsAgain))
        .description("tip publications this process made again for a poller that had not "
            + "confirmed them").tags(tags).register(registry);
    ToLongFunction<LiveInstance> inFlight = i -> i.snapshot().inFlight();
    Gauge.builder("daemon.workqueue.in.flight", group, g -> g.current(inFlight))
        .description("requests in flight to the daemon").tags(tags).register(registry);
    ToLongFunction<LiveInstance> queued = i -> i.snapshot().queued();
    Gauge.builder("daemon.workqueue.waiting", group, g -> g.current(queued))
        .description("requests waiting for a work-queue slot").tags(tags).register(registry);
    Gauge.builder("daemon.cached.height", group, ServiceMeters::cachedHeight)
        .description("the highest block height the instances last saw (NaN: none yet)")
        .tags(tags).register(registry);
  }

  /**
   * One gauge per URL and state: how many instances see that URL's circuit in that state.
   * Registered by the first instance with the URLs; the label is the URL without credentials.
   */
  public static void bindCircuits(MeterRegistry registry, ServiceGroup group,
                                  ServiceSnapshot instance) {
    for (ServiceSnapshot.Url each : instance.urls()) {
      String url = each.url();
      if (!group.firstToClaim("daemon.circuit.state " + url)) {
        continue;
      }
      Gauge.builder("daemon.url.quarantined", group, g -> count(g, url,
              u -> u.quarantined() != null))
          .description("instances that have quarantined this daemon URL (on another chain)")
          .tags(Tags.of("address", group.address(), "url", url)).register(registry);
      Gauge.builder("daemon.url.lagging", group, g -> count(g, url, ServiceSnapshot.Url::lagging))
          .description("instances that see this daemon URL behind the best one, or syncing")
          .tags(Tags.of("address", group.address(), "url", url)).register(registry);
      for (CircuitBreakerState state : CircuitBreakerState.values()) {
        Gauge.builder("daemon.circuit.state", group, g -> circuits(g, url, state))
            .description("instances that see this daemon URL's circuit in this state")
            .tags(Tags.of("address", group.address(), "url", url,
                "state", state.name().toLowerCase()))
            .register(registry);
      }
    }
  }

  private static void counter(MeterRegistry registry, ServiceGroup group, Tags tags,
                              String name, String description,
                              ToLongFunction<ServiceSnapshot.Counts> count) {
    ToLongFunction<LiveInstance> perInstance = i -> count.applyAsLong(i.snapshot().counts());
    group.track(perInstance);
    FunctionCounter.builder(name, group, g -> g.sum(perInstance))
        .description(description).tags(tags).register(registry);
  }

  private static double circuits(ServiceGroup group, String url, CircuitBreakerState state) {
    return count(group, url, each -> each.circuit() == state);
  }

  /** Instances whose view of {@code url} passes {@code test}. */
  private static double count(ServiceGroup group, String url,
                              java.util.function.Predicate<ServiceSnapshot.Url> test) {
    int count = 0;
    for (LiveInstance instance : group.instances()) {
      for (ServiceSnapshot.Url each : instance.snapshot().urls()) {
        if (each.url().equals(url) && test.test(each)) {
          count++;
        }
      }
    }
    return count;
  }

  private static double cachedHeight(ServiceGroup group) {
    double highest = Double.NaN;
    for (LiveInstance instance : group.instances()) {
      Integer height = instance.snapshot().lastKnownHeight();
      if (height != null && (Double.isNaN(highest) || height > highest)) {
        highest = height;
      }
    }
    return highest;
  }
}
