package io.daemonverticle.impl.cluster;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.time.Bound;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
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
 * tries again.
 *
 * <p>At least once: the events are published after the write that makes them the cluster's,
 * and that write keeps them in the chain as {@linkplain TipChain#unconfirmed() unconfirmed}
 * until a second write, after the publishing, confirms them. A holder that dies between the
 * two leaves them there, and the next round on any node (the one taking the lease over starts
 * one at once: {@link #resume()}) publishes them again before anything else, with their seqs:
 * a consumer that saw them already knows them by their seq ({@code DaemonClient.tips} and
 * the HTTP front's event stream drop them). Publishing first could not tell the successor
 * what was published.
  */
public final class SharedTip {

  static final String KEY = "tip";
  static final long ROUND_MS = 10_000;
  private static final int CAS_ATTEMPTS = 8;
  private static final Logger LOG = LoggerFactory.getLogger(SharedTip.class);

  private final Vertx vertx;
  /** The round's bound. */
  private final TimeSource time;
  private final AsyncMap<String, Object> map;
  private final String topic;
  private final BadValues badValues;
  private final TipTracker tracker;
  private final Consumer<TipEvent> published;
  private Observation pending;
  /** A round is owed even without an observation: publications left unconfirmed. */
  private boolean resumePending;
  private List<Promise<Void>> pendingWaiters = new ArrayList<>();
  private boolean running;
  // Written on this instance's context, read by status and the meters on others.
  private volatile long publications;
  private volatile long republications;
  // Read by status on another thread.
  private volatile Tip lastTip;

  SharedTip(Vertx vertx, TimeSource time, AsyncMap<String, Object> map, String topic,
            BadValues badValues, TipTracker tracker, Consumer<TipEvent> published) {
    this.vertx = vertx;
    this.time = time;
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

  /** Publications this instance made again for a holder that had not confirmed them. */
  long republications() {
    return republications;
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
    return enqueue();
  }

  /**
   * Makes the publications a holder left unconfirmed (it died between its write and its
   * publishing, or before it said so); nothing when there are none. The node taking the
   * poller lease over calls it before it follows the tip.
   */
  Future<Void> resume() {
    resumePending = true;
    return enqueue();
  }

  private Future<Void> enqueue() {
    Promise<Void> waiter = Promise.promise();
    pendingWaiters.add(waiter);
    if (!running) {
      next();
    }
    return waiter.future();
  }

  private void next() {
    if (pending == null && !resumePending) {
      running = false;
      return;
    }
    running = true;
    Observation observation = pending;
    List<Promise<Void>> waiters = pendingWaiters;
    pending = null;
    resumePending = false;
    pendingWaiters = new ArrayList<>();
    Bound.within(attempt(observation, CAS_ATTEMPTS), ROUND_MS, time)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("tip {} not followed: {}", observation == null ? "publications"
                : observation.tip(), ar.cause().getMessage());
          }
          for (Promise<Void> waiter : waiters) {
            waiter.handle(ar);
          }
          next();
        });
  }

  /** One compare-and-set round; {@code observation} null: only the unconfirmed ones. */
  private Future<Void> attempt(Observation observation, int attemptsLeft) {
    return map.get(KEY).compose(stored -> {
      TipChain chain = chainIn(stored);
      if (!chain.unconfirmed().isEmpty()) {
        return republish(stored, chain);
      }
      if (observation == null) {
        lastTip = chain.tip();
        return Future.succeededFuture(true);
      }
      return tracker.advance(chain, observation.tip(), observation.parent(),
              observation.source(), observation.reader())
          .compose(advance -> {
            if (advance.events().isEmpty()) {
              lastTip = chain.tip();
              return Future.succeededFuture(true);
            }
            String value = advance.chain().awaiting(advance.events()).encode();
            Future<Boolean> swapped = stored == null
                ? map.putIfAbsent(KEY, value).map(previous -> previous == null)
                : map.replaceIfPresent(KEY, stored, value);
            return swapped.compose(won -> {
              if (!won) {
                return Future.succeededFuture(false);
              }
              lastTip = advance.chain().tip();
              advance.events().forEach(this::publish);
              return confirm(value, advance.chain()).map(true);
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
      // Another node stored a chain meanwhile (or confirmed the one read): go on from it.
      return attempt(observation, attemptsLeft - 1);
    });
  }

  /**
   * Publishes what the chain's writer left unconfirmed, then confirms it; false (read again)
   * when the map answered: the chain confirmed, or changed meanwhile, is what the round goes
   * on from.
   */
  private Future<Boolean> republish(Object stored, TipChain chain) {
    LOG.info("publishing again {} tip publication(s) up to seq {} that the last poller did "
        + "not confirm (a consumer that has them drops them by seq)",
        chain.unconfirmed().size(), chain.seq());
    for (TipEvent event : chain.unconfirmed()) {
      republications++;
      publish(event);
    }
    // A map that fails the confirmation fails the round here: going round again would publish
    // them again at each of its compare-and-sets.
    return map.replaceIfPresent(KEY, stored, chain.confirmed().encode()).map(false);
  }

  /** The chain stored as {@code value} had its publications made; a failure is no news. */
  private Future<Void> confirm(Object value, TipChain chain) {
    return map.replaceIfPresent(KEY, value, chain.confirmed().encode())
        .<Void>mapEmpty()
        .recover(e -> {
          // Left unconfirmed: the next round (here or on the next holder) publishes them
          // again, with their seqs.
          LOG.debug("tip publications up to seq {} not confirmed: {}", chain.seq(),
              e.getMessage());
          return Future.succeededFuture();
        });
  }

  private void publish(TipEvent event) {
    publications++;
    vertx.eventBus().publish(topic, event.toJson());
    published.accept(event);
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
