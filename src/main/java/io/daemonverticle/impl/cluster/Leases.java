package io.daemonverticle.impl.cluster;

import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;

/**
 * Leases: TTL'd map entries naming their holder, so that one node of the cluster does a piece
 * of work (polling, loading a cache entry) while a dead holder's lease simply expires. The
 * cluster's locks are not used: without Hazelcast's CP subsystem they are not safe when their
 * holder dies.
 */
public final class Leases {

  private final AsyncMap<String, Object> map;
  private final String owner;

  Leases(AsyncMap<String, Object> map, String owner) {
    this.map = map;
    this.owner = owner;
  }

  /** Takes or renews a lease: true when this instance holds it for the next {@code ttlMs}. */
  public Future<Boolean> tryTake(String name, long ttlMs) {
    // Hazelcast keeps TTLs in whole seconds, cutting the rest off (a 400 ms entry expires at
    // once, 1.5 s lives 1 s): a lease is rounded up so it never runs out before it was meant to.
    long leaseTtlMs = Math.max(1, (ttlMs + 999) / 1000) * 1000;
    return map.putIfAbsent(name, owner, leaseTtlMs).compose(holder -> {
      if (holder == null) {
        return Future.succeededFuture(true);
      }
      if (owner.equals(holder)) {
        // Renewal. Hazelcast's AsyncMap has no TTL'd compare-and-set (replaceIfPresent with a
        // ttl fails UnsupportedOperationException), so re-put: only a holder stalled for a
        // whole lease could overwrite a successor, costing one extra poll or load at most.
        return map.put(name, owner, leaseTtlMs).map(v -> true);
      }
      return Future.succeededFuture(false);
    });
  }

  /** Gives the lease up if this instance holds it. */
  public Future<Boolean> release(String name) {
    return map.removeIfPresent(name, owner);
  }
}
