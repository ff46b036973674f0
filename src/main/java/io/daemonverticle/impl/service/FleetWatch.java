package io.daemonverticle.impl.service;

import io.daemonverticle.impl.kinds.ChainProbe;
import io.daemonverticle.impl.resilience.Endpoints;
import io.daemonverticle.impl.resilience.UrlStanding;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at every daemon URL once a period, whether requests go to it or not: each URL's
 * height, sync and prune state (for the lag that makes a URL the last choice, and for
 * {@code status}), its chain name, and for a URL not known good (quarantined, or doubted since
 * it was unreachable) its block 0 as well, so that a URL put right comes out of quarantine.
 * One batch per URL per period, outside the work queue; a URL whose circuit is open is left
 * to the probe its breaker lets through (which checks it first).
 *
 * <p>Each instance looks for itself: its choice of URL is its own. A tick never overlaps the
 * next: the next is scheduled when every URL answered or timed out, on the service's
 * {@link TimeSource}.
 */
public final class FleetWatch {

  private static final Logger LOG = LoggerFactory.getLogger(FleetWatch.class);
  /** The period when the height is not polled ({@code heightPollMs} 0). */
  static final long IDLE_PERIOD_MS = 30_000;

  private final TimeSource time;
  private final Endpoints endpoints;
  private final ChainProbe probe;
  private final long periodMs;
  private final long timeoutMs;
  private long timer = -1;
  private boolean stopped;
  private long ticks;

  /**
   * @param time         where the ticks are timed
   * @param heightPollMs the height poll's period (0: {@link #IDLE_PERIOD_MS})
   * @param timeoutMs    longest a URL may take to answer one look
   */
  public FleetWatch(TimeSource time, Endpoints endpoints, ChainProbe probe, long heightPollMs,
                    long timeoutMs) {
    this.time = time;
    this.endpoints = endpoints;
    this.probe = probe;
    this.periodMs = heightPollMs > 0 ? heightPollMs : IDLE_PERIOD_MS;
    this.timeoutMs = Math.max(1, Math.min(timeoutMs, this.periodMs));
  }

  public void start() {
    schedule(0);
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) {
      time.cancelTimer(timer);
    }
  }

  /** Looks completed (every URL answered or failed). */
  public long ticks() {
    return ticks;
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = time.setTimer(Math.max(1, delayMs), id -> tick());
    }
  }

  /** One look at every URL whose circuit is not open; then the next period. */
  public Future<Void> tick() {
    List<Future<Void>> looks = new ArrayList<>(endpoints.size());
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).circuitState() != CircuitBreakerState.OPEN) {
        looks.add(look(i));
      }
    }
    return Future.join(looks).<Void>mapEmpty().otherwiseEmpty().onComplete(v -> {
      ticks++;
      schedule(periodMs);
    });
  }

  /**
   * A URL known good gets the cheap look (no block 0); any other the whole check, shared with
   * requests that wait for it.
   */
  private Future<Void> look(int index) {
    Endpoints.Endpoint endpoint = endpoints.get(index);
    Future<Void> looked;
    if (endpoint.standing().verdict() == UrlStanding.Verdict.GOOD) {
      looked = probe.ask(endpoint.url(), timeoutMs, false).map(outcome -> {
        if (!stopped) {
          endpoints.judged(index, outcome);
        }
        return null;
      });
    } else {
      looked = endpoint.check().andThen(ar -> {
        if (!stopped) {
          endpoints.reconsider();
        }
      });
    }
    return looked.onFailure(e -> LOG.debug("no look at {}: {}", endpoint.url(),
        e.getMessage()));
  }
}
