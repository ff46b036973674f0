package io.daemonverticle.impl.cluster;

import io.daemonverticle.impl.time.NanoClock;
import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Leases: map entries naming their holder, so that one node of the cluster does a piece of
 * work (polling, loading a cache entry) while a dead or stalled holder's lease runs out and
 * another takes it over. The cluster's locks are not used: without Hazelcast's CP subsystem
 * they are not safe when their holder dies.
 *
 * <p>Every write of a lease stores a value never written before ({@code ttl|token|owner}) and
 * every change of an existing lease is a compare-and-set ({@code replaceIfPresent(old, new)},
 * {@code removeIfPresent}) against the exact value last read. So a holder renews only the
 * value it wrote itself: once another node has taken the lease, the old holder's renewal finds
 * a different value and fails, however long it stalled in between. Map TTLs are not used:
 * Hazelcast's AsyncMap has no TTL'd compare-and-set (replaceIfPresent with a ttl fails
 * UnsupportedOperationException), and a compare-and-set without one leaves the entry with no
 * TTL at all (so does a plain put; both on Hazelcast 5.3 and on the local map), so a TTL set
 * when taking would not survive the first renewal, and re-setting it after the
 * compare-and-set would be the unconditional put that can overwrite a successor. Instead a
 * lease runs out by being seen unchanged: a node that has seen the same
 * value for the lease's whole ttl, on its own monotonic clock, may replace it. The holder
 * counts its ttl from before its write, an observer from after it has read the value, so the
 * holder's lease ({@link #holds}) always ends before anyone may take it over; no clocks of
 * different machines are compared.
 *
 * <p>A value in a lease's key that no holder could have written (not {@code ttl|token|owner},
 * or a ttl longer than the taker's own) is taken for a free lease and replaced at once, by the
 * same compare-and-set: waiting for it to run out would mean waiting as long as its writer
 * chose, and one write of a lease for 30 years stopped height polling cluster-wide. Every node
 * of an address computes its lease lengths from the same options; a node given longer ones
 * (a config change rolling through the cluster) has its leases taken over by the others, as if
 * it had stalled.
 */
public final class Leases {

  private final AsyncMap<String, Object> map;
  private final String owner;
  private final BadValues badValues;
  /** This instance's monotonic clock, that leases run out on. */
  private final NanoClock clock;
  /** The values this instance wrote and when it wrote them (taken or renewed), by lease. */
  private final Map<String, Written> mine = new HashMap<>();
  /** Another holder's value and when this instance first saw it, by lease. */
  private final Map<String, Seen> seen = new HashMap<>();

  Leases(AsyncMap<String, Object> map, String owner, BadValues badValues, NanoClock clock) {
    this.map = map;
    this.clock = clock;
    this.owner = owner;
    this.badValues = badValues;
  }

  /**
   * Takes or renews a lease: true when this instance holds it for the next {@code ttlMs}.
   * A renewal fails (false) once another instance has taken the lease over.
   */
  public Future<Boolean> tryTake(String name, long ttlMs) {
    long ttl = Math.max(1, ttlMs);
    return map.get(name).compose(current -> {
      Written written = mine.get(name);
      if (current == null) {
        return write(name, null, ttl);
      }
      if (written != null && written.value.equals(current)) {
        return write(name, current, ttl);
      }
      if (written != null) {
        // Ours no longer: taken over while we stalled (or released and taken again).
        mine.remove(name, written);
      }
      String problem = problemOf(current, ttl);
      if (problem != null) {
        badValues.report(name, problem, BadValues.describe(current));
        return write(name, current, ttl);
      }
      if (runOut(name, current)) {
        return write(name, current, ttl);
      }
      return Future.succeededFuture(false);
    });
  }

  /**
   * Whether this instance holds the lease now, without asking the map: it wrote the lease
   * less than its ttl ago. It may still have been taken over since, should this instance
   * have stalled for that long; {@link #tryTake} says so then.
   */
  public boolean holds(String name) {
    Written written = mine.get(name);
    return written != null && clock.nanoTime() - written.expiresAtNanos < 0;
  }

  /** Gives the lease up if this instance holds it. */
  public Future<Boolean> release(String name) {
    Written written = mine.remove(name);
    if (written == null) {
      return Future.succeededFuture(false);
    }
    return map.removeIfPresent(name, written.value);
  }

  /** Writes a fresh value over {@code expected} (null: the lease is free). */
  private Future<Boolean> write(String name, Object expected, long ttlMs) {
    long startedNanos = clock.nanoTime();
    String value = ttlMs + "|" + UUID.randomUUID() + "|" + owner;
    Future<Boolean> written = expected == null
        ? map.putIfAbsent(name, value).map(previous -> previous == null)
        : map.replaceIfPresent(name, expected, value);
    return written.map(won -> {
      if (won) {
        mine.put(name, new Written(value, startedNanos + ttlMs * 1_000_000L));
        seen.remove(name);
      } else if (expected != null && mine.containsKey(name)
          && mine.get(name).value.equals(expected)) {
        mine.remove(name);
      }
      return won;
    });
  }

  /**
   * Whether another holder's lease has run out: this instance has seen the same value for at
   * least its ttl. Values are never written twice, so seeing it again means it never changed.
   */
  private boolean runOut(String name, Object current) {
    Seen first = seen.get(name);
    long now = clock.nanoTime();
    if (first == null || !first.value.equals(current)) {
      seen.put(name, new Seen(current, now));
      return false;
    }
    return now - first.atNanos >= ttlOf(current) * 1_000_000L;
  }

  /** What makes {@code value} no holder's lease of at most {@code ttlMs}; null: nothing. */
  private static String problemOf(Object value, long ttlMs) {
    long ttl = ttlOf(value);
    if (ttl < 1) {
      return "no lease (ttl|token|owner, the ttl a positive number of ms)";
    }
    if (ttl > ttlMs) {
      return "a lease longer than the " + ttlMs + " ms this node's leases of it last";
    }
    return null;
  }

  /** The ttl its holder wrote into a lease value; 0 for a value of another format. */
  private static long ttlOf(Object value) {
    if (!(value instanceof String text)) {
      return 0;
    }
    String[] parts = text.split("\\|", 3);
    try {
      return parts.length < 3 ? 0 : Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private record Written(String value, long expiresAtNanos) {
  }

  private record Seen(Object value, long atNanos) {
  }
}
