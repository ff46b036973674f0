package io.daemonverticle.impl.cluster;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.time.Bound;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cached height in the shared map, changed only by compare-and-set so that exactly one
 * instance publishes each change. The heights this instance sees are written one round at a
 * time: observations arriving while a round runs are folded into the next round, so that a
 * slow cluster delays the shared height but never makes work pile up, and a round that does
 * not end within {@link #ROUND_MS} is given up (and logged) so that the next can run.
 * Nobody needs to wait for a round: the daemon's answer does not depend on it.
 *
 * <p>A stored value that is no height (not a non-negative Integer) is taken for none: a read
 * answers null and removes it, a round replaces it, both by compare-and-set against the value
 * read, so that a height stored meanwhile stays. So is a height more than
 * {@link #MAX_LEAD_BLOCKS} above the one this instance's daemon gave: a round replaces it
 * even when its observation may not lower the height.
 */
final class SharedHeight {

  static final String KEY = "height";
  /** Longest a round of compare-and-set may take before the next one runs. */
  static final long ROUND_MS = 5_000;
  private static final int CAS_ATTEMPTS = 8;
  /**
   * How far above this instance's daemon the stored height may be. Another node's daemon is
   * ahead by a block or two while blocks propagate; one that is a thousand blocks ahead does
   * not exist in a cluster whose daemons follow the same chain: such a height was written by
   * something else, and would otherwise stand until the poller's next period (forever without
   * a poller whose daemon answers). The price: a node whose daemon is still syncing, more than
   * this far behind, pulls the height down to its own with each answer.
   */
  static final int MAX_LEAD_BLOCKS = 1_000;
  private static final String NOT_A_HEIGHT = "no height (a non-negative Integer)";
  private static final String FAR_ABOVE = "more than " + MAX_LEAD_BLOCKS
      + " blocks above the height this node's daemon gave";
  private static final Logger LOG = LoggerFactory.getLogger(SharedHeight.class);

  private final Vertx vertx;
  private final TimeSource time;
  private final AsyncMap<String, Object> map;
  private final String topic;
  private final BadValues badValues;
  private Round running;
  private Observation pending;
  private List<Promise<Void>> pendingWaiters = new ArrayList<>();
  private long publications;

  SharedHeight(Vertx vertx, TimeSource time, AsyncMap<String, Object> map, String topic,
               BadValues badValues) {
    this.vertx = vertx;
    this.time = time;
    this.map = map;
    this.topic = topic;
    this.badValues = badValues;
  }

  /**
   * The stored height (null: none, or a value that is no height, then removed), or a 503 when
   * the map has not answered within {@code timeoutMs}.
   */
  Future<Integer> read(long timeoutMs) {
    return Bound.within(map.get(KEY), timeoutMs, time)
        .transform(ar -> {
          if (ar.failed()) {
            return Future.failedFuture(DaemonException.unavailable(
                "the cluster's shared map did not give the cached height within " + timeoutMs
                    + " ms: " + ar.cause()));
          }
          Integer height = heightIn(ar.result());
          if (height == null && ar.result() != null) {
            // Nobody needs to wait for it: a round that comes first replaces the value.
            map.removeIfPresent(KEY, ar.result());
          }
          return Future.succeededFuture(height);
        });
  }

  /** The height a stored value holds; null when none, or when it is no height (reported). */
  private Integer heightIn(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Integer height && height >= 0) {
      return height;
    }
    badValues.report(KEY, NOT_A_HEIGHT, BadValues.describe(value));
    return null;
  }

  long publications() {
    return publications;
  }

  /**
   * Records a height; the returned future completes once the round carrying it has ended (it
   * fails when the round was given up). See {@code SharedState.observeHeight}.
   */
  Future<Void> observe(int height, boolean mayDecrease) {
    Observation seen = new Observation(height, mayDecrease);
    pending = pending == null ? seen : pending.then(seen);
    Promise<Void> waiter = Promise.promise();
    pendingWaiters.add(waiter);
    if (running == null) {
      next();
    }
    return waiter.future();
  }

  private void next() {
    if (pending == null) {
      return;
    }
    Round round = new Round(pending, pendingWaiters);
    pending = null;
    pendingWaiters = new ArrayList<>();
    running = round;
    round.timer = time.setTimer(ROUND_MS, id -> round.end(DaemonException.unavailable(
        "the cluster's shared map did not take height " + round.observation.height
            + " within " + ROUND_MS + " ms")));
    round.attempt(CAS_ATTEMPTS);
  }

  /**
   * One observed height, or several folded into one: the stored height after applying
   * several observations in turn depends only on their heights and kinds, as {@link #then}
   * computes, so folding changes which intermediate heights get published, never the end.
   */
  private record Observation(int height, boolean mayDecrease) {

    /** This observation followed by {@code later}, as one. */
    Observation then(Observation later) {
      if (later.mayDecrease) {
        return later;
      }
      // A stale-safe height after any other: the stored value ends at the larger of the two,
      // or at the larger of it and the stored one when neither may lower it.
      return new Observation(Math.max(height, later.height), mayDecrease);
    }

    /** Whether storing this over {@code stored} changes nothing. */
    boolean keeps(Integer stored) {
      return stored != null && (stored == height || (!mayDecrease && stored > height));
    }
  }

  private final class Round {
    final Observation observation;
    final List<Promise<Void>> waiters;
    long timer;
    boolean ended;

    Round(Observation observation, List<Promise<Void>> waiters) {
      this.observation = observation;
      this.waiters = waiters;
    }

    void attempt(int attemptsLeft) {
      if (ended) {
        // Given up: a map that answers this late is not asked anything more by this round.
        return;
      }
      map.get(KEY).compose(value -> {
        Integer stored = plausible(heightIn(value));
        if (ended || observation.keeps(stored)) {
          return Future.succeededFuture(true);
        }
        // Over the value read, whatever it is: a bad one is replaced like any other.
        Future<Boolean> swapped = value == null
            ? map.putIfAbsent(KEY, observation.height).map(previous -> previous == null)
            : map.replaceIfPresent(KEY, value, observation.height);
        return swapped.map(won -> {
          if (won) {
            // Published even when the round was given up meanwhile: the change happened.
            publications++;
            vertx.eventBus().publish(topic, new JsonObject()
                .put("height", observation.height)
                .put("previous", stored));
          }
          return won || attemptsLeft <= 1;
        });
      }).onComplete(ar -> {
        if (ar.failed()) {
          end(ar.cause());
        } else if (ar.result()) {
          end(null);
        } else {
          attempt(attemptsLeft - 1);
        }
      });
    }

    /** The stored height, or null when it is too far above this observation's to be one. */
    private Integer plausible(Integer stored) {
      if (stored != null && (long) stored - observation.height > MAX_LEAD_BLOCKS) {
        badValues.report(KEY, FAR_ABOVE, BadValues.describe(stored) + " (the daemon gave "
            + observation.height + ")");
        return null;
      }
      return stored;
    }

    void end(Throwable failure) {
      if (ended) {
        return;
      }
      ended = true;
      time.cancelTimer(timer);
      if (failure != null) {
        LOG.warn("the shared height was not updated to {}: {}", observation.height,
            failure.getMessage());
      }
      for (Promise<Void> waiter : waiters) {
        if (failure == null) {
          waiter.tryComplete();
        } else {
          waiter.tryFail(failure);
        }
      }
      running = null;
      next();
    }
  }
}
