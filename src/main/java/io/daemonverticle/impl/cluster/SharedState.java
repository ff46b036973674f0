package io.daemonverticle.impl.cluster;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.resilience.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * State shared by every instance serving one address: across the cluster when Vert.x is
 * clustered (a Hazelcast map), in this JVM otherwise; the same code runs on both, as
 * {@code getAsyncMap} picks. It holds the cached height ({@link SharedHeight}), TTL'd cache
 * entries loaded by one node at a time, and the {@link Leases} that make it so.
 */
public final class SharedState {

  private static final long LEASE_POLL_MS = 20;
  static final String HEIGHT_SEEN_AT = "heightSeenAt";

  private final Vertx vertx;
  private final AsyncMap<String, Object> map;
  private final BadValues badValues;
  private final Leases leases;
  private final SharedHeight height;
  private final long leaseMs;
  private final Flights<Object> loads;
  private long cacheLoads;
  // Read by metrics on another thread.
  private volatile Integer lastKnownHeight;

  SharedState(Vertx vertx, AsyncMap<String, Object> map, BadValues badValues, String owner,
              String heightTopic, long leaseMs) {
    this.vertx = vertx;
    this.map = map;
    this.badValues = badValues;
    this.leases = new Leases(map, owner, badValues);
    this.height = new SharedHeight(vertx, map, heightTopic);
    this.leaseMs = leaseMs;
    // A load lasts at least its lease, whoever started it.
    this.loads = new Flights<>(vertx, "shared cache load", leaseMs);
  }

  /**
   * @param owner    names this instance in leases (node id and deployment)
   * @param address  the service address: the map and topic are per address
   */
  public static Future<SharedState> create(Vertx vertx, String address, String owner,
                                           long leaseMs) {
    return create(SharedMaps.VERTX, vertx, address, owner, leaseMs);
  }

  /** As {@link #create(Vertx, String, String, long)}, with the map from {@code maps}. */
  public static Future<SharedState> create(SharedMaps maps, Vertx vertx, String address,
                                           String owner, long leaseMs) {
    String name = "daemon-verticle:" + address;
    return maps.get(vertx, name).map(map -> new SharedState(vertx, map, new BadValues(name),
        owner, address + ".height", leaseMs));
  }

  /** The last height any instance stored; no longer than {@code timeoutMs}, else a 503. */
  public Future<Integer> cachedHeight(long timeoutMs) {
    return height.read(timeoutMs).andThen(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        lastKnownHeight = ar.result();
      }
    });
  }

  /** The last height any instance stored, by the deadline, else a 503. */
  public Future<Integer> cachedHeight(Deadline deadline) {
    return cachedHeight(deadline.remainingMs());
  }

  /**
   * The height this instance last saw, from its daemon or from the shared map, without asking
   * anyone (for gauges, which must not wait); null before the first.
   */
  public Integer lastKnownHeight() {
    return lastKnownHeight;
  }

  /**
   * Stamps the shared map with the time a daemon last confirmed the height (the poller calls
   * it after each good poll), so that any node can tell how old the cached height is. Bounded
   * by {@code timeoutMs}; nobody needs to wait for it.
   */
  public Future<Void> heightConfirmed(long timeoutMs) {
    return map.put(HEIGHT_SEEN_AT, System.currentTimeMillis())
        .timeout(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
  }

  /**
   * When a daemon last confirmed the cached height (epoch ms, null: never), or a 503 when the
   * map has not answered within {@code timeoutMs}.
   */
  public Future<Long> heightConfirmedAt(long timeoutMs) {
    return map.get(HEIGHT_SEEN_AT)
        .timeout(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(ar.result() == null ? null
                : ((Number) ar.result()).longValue())
            : Future.failedFuture(DaemonException.unavailable("the cluster's shared map did "
                + "not answer within " + timeoutMs + " ms: " + ar.cause().getMessage())));
  }

  /**
   * Records a height the daemon gave. The instance whose compare-and-set changes the stored
   * value publishes {@code {"height": N, "previous": M}}; the others see the value already
   * there and stay silent. A lost race re-reads and tries again. Nobody has to wait for the
   * returned future (it completes when the height is written, or fails when the cluster did
   * not take it in time, which is logged): the height is written in the background.
   *
   * @param mayDecrease false for answers that may be stale: a slow request answered after a
   *     newer height was stored must not move the height back (and publish a change that never
   *     happened); lower heights (a reorg to a shorter chain, a restarted regtest node) are
   *     then left to the poller, which passes true
   */
  public Future<Void> observeHeight(int observed, boolean mayDecrease) {
    lastKnownHeight = observed;
    return height.observe(observed, mayDecrease);
  }

  /**
   * A value at most {@code ttlMs} old. Concurrent askers on this instance share one load (a
   * {@link Flights} flight, with a deadline of its own that the loader is given); across
   * instances a lease makes one of them load while the others wait for its answer (or for
   * its lease to run out, should it die, and then take over). Each asker has its answer by
   * its own deadline.
   */
  @SuppressWarnings("unchecked")
  public <T> Future<T> cached(String key, long ttlMs, Deadline deadline,
                              Function<Deadline, Future<T>> loader) {
    if (ttlMs <= 0) {
      return loader.apply(deadline);
    }
    Function<Deadline, Future<Object>> load = (Function<Deadline, Future<Object>>) (Function<?, ?>) loader;
    return (Future<T>) loads.join(key, deadline, own -> lookupOrLoad(key, ttlMs, own, load));
  }

  private Future<Object> lookupOrLoad(String key, long ttlMs, Deadline deadline,
                                      Function<Deadline, Future<Object>> loader) {
    Promise<Object> promise = Promise.promise();
    attempt(key, ttlMs, deadline, loader, promise);
    return promise.future();
  }

  /** The value if stored, else ours to load if we get the lease, else look again soon. */
  private void attempt(String key, long ttlMs, Deadline deadline,
                       Function<Deadline, Future<Object>> loader, Promise<Object> promise) {
    if (deadline.passed()) {
      promise.tryFail(DaemonException.unavailable("deadline passed while another node was "
          + "fetching " + key + " from the daemon"));
      return;
    }
    String lease = key + ".lease";
    map.get(key).compose(value -> {
      if (value != null) {
        return Future.succeededFuture(value);
      }
      return leases.tryTake(lease, leaseMs).compose(held -> {
        if (!held) {
          return Future.succeededFuture(null);
        }
        // The lease may be free because its holder has just stored the value and given it
        // back after we looked: look again before asking the daemon a second time.
        return map.get(key).compose(stored -> {
          if (stored != null) {
            return Future.succeededFuture(stored);
          }
          cacheLoads++;
          return loader.apply(deadline)
              .compose(loaded -> map.put(key, loaded, ttlMs).map(v -> loaded));
        }).andThen(ar -> leases.release(lease));
      });
    }).onComplete(ar -> {
      if (ar.failed()) {
        promise.tryFail(ar.cause());
      } else if (ar.result() != null) {
        promise.tryComplete(ar.result());
      } else {
        // Another node holds the lease: its value will appear, or its lease run out.
        vertx.setTimer(LEASE_POLL_MS, id -> attempt(key, ttlMs, deadline, loader, promise));
      }
    });
  }

  /** The leases of this instance on the same map: one node does a piece of work at a time. */
  public Leases leases() {
    return leases;
  }

  public long publications() {
    return height.publications();
  }

  public long cacheLoads() {
    return cacheLoads;
  }
}
