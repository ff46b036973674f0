package io.daemonverticle.impl.cluster;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.rpc.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * State shared by every instance serving one address: across the cluster when Vert.x is
 * clustered (a Hazelcast map), in this JVM otherwise; the same code runs on both, as
 * {@code getAsyncMap} picks. It holds the cached height (changed only by compare-and-set, so
 * that exactly one instance publishes each change), TTL'd cache entries loaded by one node
 * at a time, and the {@link Leases} that make it so.
 */
public final class SharedState {

  static final String HEIGHT_KEY = "height";
  private static final long LEASE_POLL_MS = 20;
  private static final int CAS_ATTEMPTS = 8;

  private final Vertx vertx;
  private final AsyncMap<String, Object> map;
  private final Leases leases;
  private final String heightTopic;
  private final long leaseMs;
  private final Map<String, Future<Object>> loading = new HashMap<>();
  private long publications;
  private long cacheLoads;

  private SharedState(Vertx vertx, AsyncMap<String, Object> map, String owner,
                      String heightTopic, long leaseMs) {
    this.vertx = vertx;
    this.map = map;
    this.leases = new Leases(map, owner);
    this.heightTopic = heightTopic;
    this.leaseMs = leaseMs;
  }

  /**
   * @param owner    names this instance in leases (node id and deployment)
   * @param address  the service address: the map and topic are per address
   */
  public static Future<SharedState> create(Vertx vertx, String address, String owner,
                                           long leaseMs) {
    return vertx.sharedData().<String, Object>getAsyncMap("daemon-verticle:" + address)
        .map(map -> new SharedState(vertx, map, owner, address + ".height", leaseMs));
  }

  public Future<Integer> cachedHeight() {
    return map.get(HEIGHT_KEY).map(v -> v == null ? null : ((Number) v).intValue());
  }

  /**
   * Records a height the daemon gave. The instance whose compare-and-set changes the stored
   * value publishes {@code {"height": N, "previous": M}}; the others see the value already
   * there and stay silent. A lost race re-reads and tries again.
   *
   * @param mayDecrease false for answers that may be stale: a slow request answered after a
   *     newer height was stored must not move the height back (and publish a change that never
   *     happened); lower heights (a reorg to a shorter chain, a restarted regtest node) are
   *     then left to the poller, which passes true
   */
  public Future<Void> observeHeight(int height, boolean mayDecrease) {
    return observeHeight(height, mayDecrease, CAS_ATTEMPTS);
  }

  private Future<Void> observeHeight(int height, boolean mayDecrease, int attemptsLeft) {
    return map.get(HEIGHT_KEY).compose(stored -> {
      if (stored != null && (((Number) stored).intValue() == height
          || (!mayDecrease && ((Number) stored).intValue() > height))) {
        return Future.succeededFuture();
      }
      Future<Boolean> swapped = stored == null
          ? map.putIfAbsent(HEIGHT_KEY, height).map(previous -> previous == null)
          : map.replaceIfPresent(HEIGHT_KEY, stored, height);
      return swapped.compose(won -> {
        if (won) {
          publications++;
          vertx.eventBus().publish(heightTopic, new JsonObject()
              .put("height", height)
              .put("previous", stored == null ? null : ((Number) stored).intValue()));
          return Future.succeededFuture();
        }
        return attemptsLeft > 1 ? observeHeight(height, mayDecrease, attemptsLeft - 1)
            : Future.succeededFuture();
      });
    });
  }

  /**
   * A value at most {@code ttlMs} old. Concurrent askers on this instance share one load;
   * across instances a lease makes one of them load while the others wait for its answer
   * (or for its lease to expire, should it die, and then take over).
   */
  @SuppressWarnings("unchecked")
  public <T> Future<T> cached(String key, long ttlMs, Deadline deadline,
                              Supplier<Future<T>> loader) {
    if (ttlMs <= 0) {
      return loader.get();
    }
    Future<Object> pending = loading.get(key);
    if (pending == null) {
      pending = lookupOrLoad(key, ttlMs, deadline, (Supplier<Future<Object>>) (Supplier<?>) loader);
      loading.put(key, pending);
      Future<Object> mine = pending;
      pending.onComplete(ar -> loading.remove(key, mine));
    }
    return (Future<T>) pending;
  }

  private Future<Object> lookupOrLoad(String key, long ttlMs, Deadline deadline,
                                      Supplier<Future<Object>> loader) {
    return map.get(key).compose(value -> {
      if (value != null) {
        return Future.succeededFuture(value);
      }
      String lease = key + ".lease";
      return leases.tryTake(lease, leaseMs).compose(held -> {
        if (held) {
          cacheLoads++;
          return loader.get()
              .compose(loaded -> map.put(key, loaded, ttlMs).map(v -> loaded))
              .andThen(ar -> leases.release(lease));
        }
        return waitForOther(key, ttlMs, deadline, loader);
      });
    });
  }

  private Future<Object> waitForOther(String key, long ttlMs, Deadline deadline,
                                      Supplier<Future<Object>> loader) {
    Promise<Object> promise = Promise.promise();
    poll(key, ttlMs, deadline, loader, promise);
    return promise.future();
  }

  private void poll(String key, long ttlMs, Deadline deadline, Supplier<Future<Object>> loader,
                    Promise<Object> promise) {
    if (deadline.passed()) {
      promise.fail(DaemonException.unavailable("deadline passed while another node was "
          + "fetching " + key + " from the daemon"));
      return;
    }
    vertx.setTimer(LEASE_POLL_MS, id -> map.get(key).compose(value -> {
      if (value != null) {
        return Future.succeededFuture(value);
      }
      return map.get(key + ".lease").compose(holder -> holder == null
          // The holder finished without a value (it failed) or died: try ourselves.
          ? lookupOrLoad(key, ttlMs, deadline, loader)
          : Future.succeededFuture(null));
    }).onComplete(ar -> {
      if (ar.failed()) {
        promise.fail(ar.cause());
      } else if (ar.result() != null) {
        promise.complete(ar.result());
      } else {
        poll(key, ttlMs, deadline, loader, promise);
      }
    }));
  }

  /** The leases of this instance on the same map: one node does a piece of work at a time. */
  public Leases leases() {
    return leases;
  }

  public long publications() {
    return publications;
  }

  public long cacheLoads() {
    return cacheLoads;
  }
}
