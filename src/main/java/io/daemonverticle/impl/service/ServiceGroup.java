package io.daemonverticle.impl.service;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The instances serving one address in one Vert.x instance ({@code -instances N} deploys N),
 * so that the HTTP front's health and metrics speak for all of them, whichever instance's
 * server took the request. A counter summed over the group keeps what a stopped instance had
 * counted: a Prometheus counter must never go down.
 */
public final class ServiceGroup implements Shareable {

  private static final String MAP = "daemon-verticle.service-groups";

  private final String address;
  private final List<LiveInstance> instances = new CopyOnWriteArrayList<>();
  private final Map<ToLongFunction<LiveInstance>, LongAdder> retired = new ConcurrentHashMap<>();
  /** Names of per-URL meters registered already for this group (see {@link #firstToClaim}). */
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();

  private ServiceGroup(String address) {
    this.address = address;
  }

  /**
   * The group of {@code address} in this Vert.x instance, made (and handed to
   * {@code onCreate}, once) by the first instance that asks.
   */
  public static ServiceGroup of(Vertx vertx, String address, Consumer<ServiceGroup> onCreate) {
    LocalMap<String, ServiceGroup> groups = vertx.sharedData().getLocalMap(MAP);
    ServiceGroup fresh = new ServiceGroup(address);
    ServiceGroup existing = groups.putIfAbsent(address, fresh);
    if (existing != null) {
      return existing;
    }
    onCreate.accept(fresh);
    return fresh;
  }

  public String address() {
    return address;
  }

  public void join(LiveInstance instance) {
    instances.add(instance);
  }

  /** The instance stops: its counts stay in every sum made with {@link #sum}. */
  public void leave(LiveInstance instance) {
    if (instances.remove(instance)) {
      retired.forEach((counter, total) -> total.add(counter.applyAsLong(instance)));
    }
  }

  /**
   * Whether {@code name} is claimed here for the first time: every instance of the group (and
   * every reload) starts with the same URLs, and their meters are registered once, by the
   * first. A second registration is ignored by Micrometer with a WARN on every start.
   */
  public boolean firstToClaim(String name) {
    return claimed.add(name);
  }

  public List<LiveInstance> instances() {
    return List.copyOf(instances);
  }

  /** Keeps the totals of {@code counter} of instances that leave from now on. */
  public void track(ToLongFunction<LiveInstance> counter) {
    retired.computeIfAbsent(counter, c -> new LongAdder());
  }

  /**
   * A monotonic total of {@code counter} over the instances running and those gone. Pass the
   * same function object each time (it keys the retired totals).
   */
  public long sum(ToLongFunction<LiveInstance> counter) {
    long total = retired.computeIfAbsent(counter, c -> new LongAdder()).sum();
    for (LiveInstance instance : instances) {
      total += counter.applyAsLong(instance);
    }
    return total;
  }

  /** A sum of what the running instances have now (a gauge: it may go down). */
  public long current(ToLongFunction<LiveInstance> value) {
    long total = 0;
    for (LiveInstance instance : instances) {
      total += value.applyAsLong(instance);
    }
    return total;
  }
}
