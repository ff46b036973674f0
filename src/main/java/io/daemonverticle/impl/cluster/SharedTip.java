package io.daemonverticle.impl.cluster;

import io.daemonverticle.DaemonException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published tip chain in the shared map, changed only by compare-and-set: the instance
 * whose write replaces the chain it read publishes what the {@link TipTracker} made of it,
 * with the seq stored beside the hashes. So a node that takes the poller lease over goes on
 * from what the last holder stored: no tip lost, none published twice, seq counting on.
 *
 * <p>Observations are handled one round at a time; those arriving while a round runs are
 * folded into the latest (the tracker publishes every block up to it anyway). A round that
 * does not end within {@link #ROUND_MS} is given up and logged; the poll's next observation
 * tries again. The events are published after the write that makes them the cluster's: a
 * node that dies between the two loses them (the next holder publishes from the stored chain
 * on); publishing first could publish them twice.
 */
public final class SharedTip {

  static final String KEY = "tip";
  static final long ROUND_MS = 10_000;
  private static final int CAS_ATTEMPTS = 8;
  private static final Logger LOG = LoggerFactory.getLogger(SharedTip.class);

  private final Vertx vertx;
  private final AsyncMap<String, Object> map;
  private final String topic;
  private final BadValues badValues;
  private final TipTracker tracker;
  private final Consumer<TipEvent> published;
  private Observation pending;
  private List<Promise<Void>> pendingWaiters = new ArrayList<>();
  private boolean running;
  private long publications;
  // Read by status on another thread.
  private volatile Tip lastTip;

  SharedTip(Vertx vertx, AsyncMap<String, Object> map, String topic, BadValues badValues,
            TipTracker tracker, Consumer<TipEvent> published) {
    this.vertx = vertx;
    this.map = map;
    this.topic = topic;
    this.badValues = badValues;
    this.tracker = tracker;
    this.published = published;
  }

  /** What a source saw: the daemon's best block, its parent when known, and the source. */
  public record Observation(Tip tip, String parent, String source, ChainReader reader) {
  }

  long publications() {
    return publications;
  }

  /** The tip this instance last read or wrote in the map; null before the first. */
  Tip lastTip() {
    return lastTip;
  }

  /**
   * Brings the cluster's publications up to the observed tip; completes when the round
   * carrying it has ended, fails when it was given up (the daemon or the map did not answer).
   */
  Future<Void> observe(Observation observation) {
    pending = observation;
    Promise<Void> waiter = Promise.promise();
    pendingWaiters.add(waiter);
    if (!running) {
      next();
    }
    return waiter.future();
  }

  private void next() {
    if (pending == null) {
      running = false;
      return;
    }
    running = true;
    Observation observation = pending;
    List<Promise<Void>> waiters = pendingWaiters;
    pending = null;
    pendingWaiters = new ArrayList<>();
    attempt(observation, CAS_ATTEMPTS)
        .timeout(ROUND_MS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("tip {} not followed: {}", observation.tip(), ar.cause().getMessage());
          }
          for (Promise<Void> waiter : waiters) {
            waiter.handle(ar);
          }
          next();
        });
  }

  private Future<Void> attempt(Observation observation, int attemptsLeft) {
    return map.get(KEY).compose(stored -> {
      TipChain chain = chainIn(stored);
      return tracker.advance(chain, observation.tip(), observation.parent(),
              observation.source(), observation.reader())
          .compose(advance -> {
            if (advance.events().isEmpty()) {
              lastTip = chain.tip();
              return Future.succeededFuture(true);
            }
            String value = advance.chain().encode();
            Future<Boolean> swapped = stored == null
                ? map.putIfAbsent(KEY, value).map(previous -> previous == null)
                : map.replaceIfPresent(KEY, stored, value);
            return swapped.map(won -> {
              if (won) {
                lastTip = advance.chain().tip();
                for (TipEvent event : advance.events()) {
                  publications++;
                  vertx.eventBus().publish(topic, event.toJson());
                  published.accept(event);
                }
              }
              return won;
            });
          });
    }).compose(done -> {
      if (done) {
        return Future.succeededFuture();
      }
      if (attemptsLeft <= 1) {
        return Future.failedFuture(DaemonException.unavailable("the tip chain kept changing "
            + "under " + CAS_ATTEMPTS + " compare-and-sets"));
      }
      // Another node stored a chain meanwhile: follow on from it.
      return attempt(observation, attemptsLeft - 1);
    });
  }

  /** The chain a stored value holds; none (reported) when it is no chain. */
  private TipChain chainIn(Object stored) {
    if (stored == null) {
      return TipChain.EMPTY;
    }
    try {
      return TipChain.decode(stored);
    } catch (TipChain.Unusable e) {
      badValues.report(KEY, e.getMessage(), BadValues.describe(stored));
      return TipChain.EMPTY;
    }
  }
}
