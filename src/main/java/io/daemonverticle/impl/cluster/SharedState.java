package io.daemonverticle.impl.cluster;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.Bound;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.function.Function;

/**
 * State shared by every instance serving one address: across the cluster when Vert.x is
 * clustered (a Hazelcast map), in this JVM otherwise; the same code runs on both, as
 * {@code getAsyncMap} picks. It holds the cached height ({@link SharedHeight}), TTL'd cache
 * entries loaded by one node at a time ({@link CacheEntry}), and the {@link Leases} that make
 * it so.
 *
 * <p>Any member of the cluster can write into the map. Every value read is checked (its type,
 * and that it is possible: a time not ahead of this node's clock, an entry not expiring later
 * than its ttl allows); one that fails is taken for absent, replaced by compare-and-set
 * against the value read (so that a good value written meanwhile stays), and reported
 * ({@link BadValues}): never a ClassCastException for the caller.
 */
public final class SharedState {

  private static final long LEASE_POLL_MS = 20;
  static final String HEIGHT_SEEN_AT = "heightSeenAt";
  /**
   * How far ahead of this node's clock another member's may be: a stored time further ahead
   * was not written by a member (clocks kept by NTP agree within milliseconds).
   */
  static final long CLOCK_SLACK_MS = 10_000;
  private static final String NOT_A_TIME = "no time (epoch ms as a Long)";
  private static final String AHEAD = "a time more than " + CLOCK_SLACK_MS
      + " ms ahead of this node's clock";

  private final Vertx vertx;
  /** The leases', caches' and polls' clock and timers. */
  private final TimeSource time;
  private final AsyncMap<String, Object> map;
  private final BadValues badValues;
  private final Leases leases;
  private final SharedHeight height;
  private final SharedTip tip;
  private final long leaseMs;
  private final Flights<Object> loads;
  private long cacheLoads;
  // Read by metrics on another thread.
  private volatile Integer lastKnownHeight;

  SharedState(Vertx vertx, TimeSource time, AsyncMap<String, Object> map, BadValues badValues,
              String owner, String address, long leaseMs) {
    this.vertx = vertx;
    this.time = time;
    this.map = map;
    this.badValues = badValues;
    this.leases = new Leases(map, owner, badValues, time);
    this.height = new SharedHeight(vertx, time, map, address + Actions.HEIGHT_TOPIC_SUFFIX,
        badValues);
    // The height follows each published tip; only a reorg may lower it.
    this.tip = new SharedTip(vertx, time, map, address + Actions.TIP_TOPIC_SUFFIX, badValues,
        new TipTracker(),
        event -> observeHeight(event.tip().height(), event.forkHeight() != null));
    this.leaseMs = leaseMs;
    // A load lasts at least its lease, whoever started it.
    this.loads = new Flights<>(time, "shared cache load", leaseMs);
  }

  /**
   * @param owner    names this instance in leases (node id and deployment)
   * @param address  the service address: the map and topic are per address
   */
  public static Future<SharedState> create(Vertx vertx, String address, String owner,
                                           long leaseMs) {
    return create(SharedMaps.VERTX, vertx, TimeSource.of(vertx), address, owner, leaseMs);
  }

  /**
   * As {@link #create(Vertx, String, String, long)}, with the map from {@code maps}, its
   * leases, caches and waits on {@code time}.
   */
  public static Future<SharedState> create(SharedMaps maps, Vertx vertx, TimeSource time,
                                           String address, String owner, long leaseMs) {
    String name = "daemon-verticle:" + address;
    return maps.get(vertx, name).map(map -> new SharedState(vertx, time, map,
        new BadValues(name), owner, address, leaseMs));
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
    return Bound.within(map.put(HEIGHT_SEEN_AT, time.currentTimeMillis()), timeoutMs, time);
  }

  /**
   * When a daemon last confirmed the cached height (epoch ms, null: never, or a value that is
   * no such time, then removed), or a 503 when the map has not answered within
   * {@code timeoutMs}.
   */
  public Future<Long> heightConfirmedAt(long timeoutMs) {
    return Bound.within(map.get(HEIGHT_SEEN_AT), timeoutMs, time)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(confirmedAtIn(ar.result()))
            : Future.failedFuture(DaemonException.unavailable("the cluster's shared map did "
                + "not answer within " + timeoutMs + " ms: " + ar.cause().getMessage())));
  }

  /**
   * The time a stored value holds; null when none, or when it is no time a daemon confirmed
   * the height at: then removed, lest a time in the future keep every node ready for ever.
   */
  private Long confirmedAtIn(Object value) {
    if (value == null) {
      return null;
    }
    String problem;
    if (!(value instanceof Long at) || at < 0) {
      problem = NOT_A_TIME;
    } else if (at - time.currentTimeMillis() > CLOCK_SLACK_MS) {
      problem = AHEAD;
    } else {
      return at;
    }
    badValues.report(HEIGHT_SEEN_AT, problem, BadValues.describe(value));
    // The poller's next confirmation is a plain put: it does not wait for this one.
    map.removeIfPresent(HEIGHT_SEEN_AT, value);
    return null;
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
   * Brings {@code <address>.tip} up to a tip the daemon reported (see {@link SharedTip}):
   * completes when it is published (or was already), fails when the daemon or the cluster did
   * not answer in time.
   */
  public Future<Void> observeTip(SharedTip.Observation observation) {
    return tip.observe(observation);
  }

  /**
   * Makes the tip publications the last poller left unconfirmed (see {@link SharedTip}); the
   * node that takes the poller lease calls it.
   */
  public Future<Void> resumeTip() {
    return tip.resume();
  }

  /** The tip this instance last saw published (read or written); null before the first. */
  public Tip lastPublishedTip() {
    return tip.lastTip();
  }

  public long tipPublications() {
    return tip.publications();
  }

  /** Tip publications this instance made again for a poller that had not confirmed them. */
  public long tipRepublications() {
    return tip.republications();
  }

  /**
   * A value at most {@code ttlMs} old. Concurrent askers on this instance share one load (a
   * {@link Flights} flight, with a deadline of its own that the loader is given); across
   * instances a lease makes one of them load while the others wait for its answer (or for
   * its lease to run out, should it die, and then take over). Each asker has its answer by
   * its own deadline. A stored entry whose value is no {@code type} is loaded again.
   */
  public <T> Future<T> cached(String key, Class<T> type, long ttlMs, Deadline deadline,
                              Function<Deadline, Future<T>> loader) {
    if (ttlMs <= 0) {
      return loader.apply(deadline);
    }
    return loads.join(key, deadline, own -> lookupOrLoad(new Load(key, type, ttlMs,
            d -> loader.apply(d).map(Object.class::cast)), own))
        .map(type::cast);
  }

  /** What to look up or load: the key, the type of its value, its ttl and its loader. */
  private record Load(String key, Class<?> type, long ttlMs,
                      Function<Deadline, Future<Object>> loader) {
  }

  private Future<Object> lookupOrLoad(Load load, Deadline deadline) {
    Promise<Object> promise = Promise.promise();
    attempt(load, deadline, promise);
    return promise.future();
  }

  /** The value if stored, else ours to load if we get the lease, else look again soon. */
  private void attempt(Load load, Deadline deadline, Promise<Object> promise) {
    String key = load.key();
    if (deadline.passed()) {
      promise.tryFail(DaemonException.unavailable("deadline passed while another node was "
          + "fetching " + key + " from the daemon"));
      return;
    }
    String lease = key + ".lease";
    map.get(key).compose(value -> {
      Object fresh = freshValue(load, value);
      if (fresh != null) {
        return Future.succeededFuture(fresh);
      }
      return leases.tryTake(lease, leaseMs).compose(held -> {
        if (!held) {
          return Future.succeededFuture(null);
        }
        // The lease may be free because its holder has just stored the value and given it
        // back after we looked: look again before asking the daemon a second time.
        return map.get(key).compose(stored -> {
          Object storedFresh = freshValue(load, stored);
          if (storedFresh != null) {
            return Future.succeededFuture(storedFresh);
          }
          cacheLoads++;
          return load.loader().apply(deadline)
              .compose(loaded -> store(load, stored, loaded).map(v -> loaded));
        }).andThen(ar -> leases.release(lease));
      });
    }).onComplete(ar -> {
      if (ar.failed()) {
        promise.tryFail(ar.cause());
      } else if (ar.result() != null) {
        promise.tryComplete(ar.result());
      } else {
        // Another node holds the lease: its value will appear, or its lease run out.
        time.setTimer(LEASE_POLL_MS, id -> attempt(load, deadline, promise));
      }
    });
  }

  /** The value of a stored entry while fresh; null when none, stale or unusable (reported). */
  private Object freshValue(Load load, Object stored) {
    if (stored == null) {
      return null;
    }
    long now = time.currentTimeMillis();
    try {
      CacheEntry entry = CacheEntry.parse(stored, load.type(),
          now + load.ttlMs() + CLOCK_SLACK_MS);
      return entry.freshAt(now) ? entry.value() : null;
    } catch (CacheEntry.Unusable e) {
      badValues.report(load.key(), e.getMessage(), BadValues.describe(stored));
      return null;
    }
  }

  /**
   * Stores a loaded value over the one read before loading, by compare-and-set: a holder that
   * stalled past its lease and stores late does not overwrite its successor's entry. A new
   * entry gets a map TTL, only to free an entry nobody refreshes (the stored expiry decides
   * what is fresh); a replaced one has none, Hazelcast having no TTL'd compare-and-set.
   */
  private Future<Void> store(Load load, Object stale, Object loaded) {
    String entry = CacheEntry.encode(loaded, time.currentTimeMillis() + load.ttlMs());
    Future<?> stored = stale == null
        ? map.putIfAbsent(load.key(), entry, load.ttlMs() + CLOCK_SLACK_MS)
        : map.replaceIfPresent(load.key(), stale, entry);
    return stored.mapEmpty();
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
