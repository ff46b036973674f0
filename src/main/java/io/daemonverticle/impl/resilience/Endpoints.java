package io.daemonverticle.impl.resilience;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon URLs in their configured order, each behind its own circuit breaker, and which
 * one requests go to now. Runs on the verticle's event loop.
 *
 * <p>A URL's circuit opens after {@code breakerMaxFailures} transport failures in a row,
 * however long they took. The breaker's own count is a rolling window (10 s by default),
 * and a URL that accepts connections but never answers fails once per attempt timeout (also
 * 10 s by default): its failures fell out of the window before they added up, so it was
 * never left. The count in a row is kept here and opens the breaker; the breaker keeps the
 * open, half-open and closed states and the one probe after {@code breakerResetMs}.
 *
 * <p>Beyond answering, each URL has a {@link UrlStanding}: a URL on another chain is
 * quarantined and never chosen; a URL that lags ({@code maxLagBlocks} or more behind the best
 * height any URL gave in the last minute, or still syncing) is chosen only while no URL that
 * does not lag can serve.
 */
public final class Endpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  /** How long a URL's height counts toward the best height seen. */
  static final long BEST_HEIGHT_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final List<Endpoint> endpoints = new ArrayList<>();
  private final RpcCounters counters;
  private final CircuitEvents events;
  private final FleetSettings fleet;
  /** The fleet's time: the best height's minute, the chain checks' bounds. */
  private final TimeSource time;
  private int current;
  /** The best height seen (null: none yet) and when, on the fleet's time. */
  private Integer best;
  private long bestAtNanos;

  /** Circuit changes are logged, not published; no chain check, no lag. */
  public Endpoints(Vertx vertx, List<DaemonUrl> urls, BreakerSettings settings,
                   RpcCounters counters) {
    this(vertx, urls, settings, counters, new CircuitEvents(vertx, null), FleetSettings.NONE);
  }

  public Endpoints(Vertx vertx, List<DaemonUrl> urls, BreakerSettings settings,
                   RpcCounters counters, CircuitEvents events) {
    this(vertx, urls, settings, counters, events, FleetSettings.NONE);
  }

  public Endpoints(Vertx vertx, List<DaemonUrl> urls, BreakerSettings settings,
                   RpcCounters counters, CircuitEvents events, FleetSettings fleet) {
    this.counters = counters;
    this.events = events;
    this.fleet = fleet;
    this.time = fleet.time() != null ? fleet.time() : TimeSource.of(vertx);
    for (int i = 0; i < urls.size(); i++) {
      CircuitBreaker breaker = CircuitBreaker.create("daemon-" + (i + 1), vertx,
          new CircuitBreakerOptions()
              // Never opens by its own time-windowed count: Endpoint opens it (see above).
              .setMaxFailures(Integer.MAX_VALUE)
              .setResetTimeout(settings.resetMs())
              .setTimeout(-1)
              .setMaxRetries(0)
              .setNotificationAddress(null));
      // Only transport trouble counts against a URL: a JSON-RPC error means it answered.
      breaker.failurePolicy(f -> f.failed() && !(f.cause() instanceof DaemonException));
      Endpoint endpoint = new Endpoint(urls.get(i), breaker, settings.maxFailures(),
          settings.maxInFlight(), fleet, time);
      // The breaker calls these on the thread that changed its state (the verticle's event
      // loop, or its reset timer on the verticle's context), once per change.
      breaker.openHandler(v -> endpoint.changed(events, CircuitBreakerState.OPEN))
          .halfOpenHandler(v -> endpoint.changed(events, CircuitBreakerState.HALF_OPEN))
          .closeHandler(v -> endpoint.changed(events, CircuitBreakerState.CLOSED));
      endpoints.add(endpoint);
    }
  }

  public int size() {
    return endpoints.size();
  }

  public Endpoint get(int index) {
    return endpoints.get(index);
  }

  public int currentIndex() {
    return current;
  }

  public Endpoint current() {
    return endpoints.get(current);
  }

  /**
   * How many requests may be in flight now, over all URLs: the current URL's learnt limit.
   * Requests go to the current URL (others only after a timeout there), so bounding them all
   * by its limit never gives it more than its limit.
   */
  public int capacity() {
    return current().limit().current();
  }

  /**
   * ElectrumX's {@code failover}: moves on from a URL whose circuit has opened to the next
   * one that can serve (see {@link #alternative}). True when requests should go on at once to
   * the (new) current URL, false when there is nowhere else to go.
   */
  boolean failover(int failedIndex) {
    if (endpoints.size() < 2) {
      return false;
    }
    if (current != failedIndex) {
      // Another request already moved on; follow it rather than skipping a URL.
      return true;
    }
    int candidate = alternative(failedIndex);
    if (candidate < 0) {
      return false;
    }
    moveTo(candidate, "failing over to {}");
    return true;
  }

  /**
   * Where a request should try next instead of the URL at {@code index}: the next URL (in
   * configured order, wrapping) that can serve and does not lag, else the next that can serve
   * at all, else -1. A URL can serve when it is not quarantined and its circuit is not open.
   */
  int alternative(int index) {
    int lagging = -1;
    for (int step = 1; step < endpoints.size(); step++) {
      int candidate = (index + step) % endpoints.size();
      if (serves(candidate)) {
        if (!lagging(candidate)) {
          return candidate;
        }
        if (lagging < 0) {
          lagging = candidate;
        }
      }
    }
    return lagging;
  }

  /**
   * Looks again at the current URL after a check or a poll changed what is known: one that is
   * quarantined, or lags while another URL that does not lag can serve, is left for the best
   * other. True when the current URL changed.
   */
  public boolean reconsider() {
    Endpoint now = endpoints.get(current);
    boolean leave = now.standing.quarantined() || lagging(current);
    if (!leave || endpoints.size() < 2) {
      return false;
    }
    int candidate = alternative(current);
    if (candidate < 0 || (!now.standing.quarantined() && lagging(candidate))) {
      return false;
    }
    moveTo(candidate, now.standing.quarantined() ? "leaving a quarantined URL for {}"
        : "leaving a lagging URL for {}");
    return true;
  }

  private void moveTo(int candidate, String message) {
    current = candidate;
    counters.recordFailover();
    LOG.info(message, endpoints.get(candidate).url);
  }

  private boolean serves(int index) {
    Endpoint e = endpoints.get(index);
    return !e.standing.quarantined() && e.breaker.state() != CircuitBreakerState.OPEN;
  }

  /** True when every URL is quarantined: no request can be served. */
  public boolean allQuarantined() {
    for (Endpoint e : endpoints) {
      if (!e.standing.quarantined()) {
        return false;
      }
    }
    return true;
  }

  /** Each quarantined URL and why, for a 503 and the readiness probe. */
  public String quarantineSummary() {
    StringJoiner text = new StringJoiner("; ");
    for (Endpoint e : endpoints) {
      if (e.standing.quarantined()) {
        text.add(e.standing.quarantineReason());
      }
    }
    return text.toString();
  }

  /**
   * The best height any URL not quarantined gave in the last minute (null: none): the mark
   * lag is measured against. A height seen counts for a minute even when its URL went away or
   * went lower, so that failing over to a URL behind it is still seen as lag.
   */
  public Integer bestHeight() {
    long now = time.nanoTime();
    Integer mark = best != null && now - bestAtNanos <= BEST_HEIGHT_WINDOW_NANOS ? best : null;
    for (Endpoint e : endpoints) {
      Integer h = e.standing.height();
      // A quarantined URL's height is another chain's: no mark for ours.
      if (h != null && !e.standing.quarantined()
          && now - e.standing.heightAtNanos() <= BEST_HEIGHT_WINDOW_NANOS
          && (mark == null || h > mark)) {
        mark = h;
      }
    }
    return mark;
  }

  /** Keeps {@code height}, seen now, as the best when it is (or the best is a minute old). */
  private void seen(Integer height) {
    if (height == null) {
      return;
    }
    long now = time.nanoTime();
    if (best == null || height >= best || now - bestAtNanos > BEST_HEIGHT_WINDOW_NANOS) {
      best = height;
      bestAtNanos = now;
    }
  }

  /** Blocks the URL at {@code index} is behind the best height (null: unknown). */
  public Integer behind(int index) {
    Integer best = bestHeight();
    Integer h = endpoints.get(index).standing.height();
    return best == null || h == null ? null : best - h;
  }

  /** Still syncing, or {@code maxLagBlocks} or more behind the best height. */
  public boolean lagging(int index) {
    UrlStanding standing = endpoints.get(index).standing;
    if (standing.syncing()) {
      return true;
    }
    Integer behind = behind(index);
    return fleet.maxLagBlocks() > 0 && behind != null && behind >= fleet.maxLagBlocks();
  }

  /**
   * Takes what a poll saw of the URL at {@code index}, then looks again at the current URL. A
   * quarantined URL's height is kept as its own, never as the best.
   */
  public void polled(int index, UrlPoll poll) {
    UrlStanding standing = endpoints.get(index).standing;
    standing.observed(poll);
    if (!standing.quarantined()) {
      seen(poll.blocks());
    }
    reconsider();
  }

  /** Takes a check's verdict on the URL at {@code index}, then looks again. */
  public void judged(int index, ChainCheck.Outcome outcome) {
    endpoints.get(index).judge(outcome);
    if (outcome.poll() != null && outcome.mismatch() == null) {
      seen(outcome.poll().blocks());
    }
    reconsider();
  }

  public void close() {
    events.close();
    endpoints.forEach(e -> e.breaker.close());
  }

  /** One URL, its breaker, its transport failures in a row, and the last one seen there. */
  public static final class Endpoint {
    private final DaemonUrl url;
    private final CircuitBreaker breaker;
    private final int maxFailures;
    private final AdaptiveLimit limit;
    private final FleetSettings fleet;
    private final UrlStanding standing;
    private int failuresInARow;
    private TransientFailure lastFailure;
    private CircuitBreakerState reported = CircuitBreakerState.CLOSED;

    Endpoint(DaemonUrl url, CircuitBreaker breaker, int maxFailures, int maxInFlight,
             FleetSettings fleet, TimeSource time) {
      this.url = url;
      this.standing = new UrlStanding(time);
      this.breaker = breaker;
      this.maxFailures = maxFailures;
      this.limit = new AdaptiveLimit(maxInFlight);
      this.fleet = fleet;
    }

    /**
     * Completes when a request may go to this URL: at once once its chain was checked, after
     * the check (shared, bounded by {@code timeoutMs}) when it was not; fails with the
     * check's transport failure, or a {@code QUARANTINED} one.
     */
    Future<Void> admission(long timeoutMs) {
      boolean was = standing.quarantined();
      return standing.admission(fleet.check(), url, fleet.checkMs(), timeoutMs)
          .andThen(ar -> reportVerdict(was));
    }

    /** Checks this URL's chain now, or joins the check running (see {@link UrlStanding}). */
    public Future<Void> check() {
      boolean was = standing.quarantined();
      return standing.check(fleet.check(), url, fleet.checkMs())
          .andThen(ar -> reportVerdict(was));
    }

    void judge(ChainCheck.Outcome outcome) {
      boolean was = standing.quarantined();
      standing.judged(outcome);
      reportVerdict(was);
    }

    private void reportVerdict(boolean was) {
      if (standing.quarantined() && !was) {
        LOG.warn("quarantined: {}", standing.quarantineReason());
      } else if (was && !standing.quarantined()) {
        LOG.info("{} passed its chain check: out of quarantine", url);
      }
    }

    /** What the service believes of this URL's chain, height and sync. */
    public UrlStanding standing() {
      return standing;
    }

    /**
     * Runs one attempt through the breaker and counts its outcome before the caller sees it:
     * an answer (a result or the daemon's own JSON-RPC error) ends a run of failures; the
     * {@code maxFailures}-th transport failure in a row opens the circuit. An attempt the
     * open circuit refused was never sent and counts for nothing.
     *
     * <p>The daemon's back-pressure is not a failure of the URL: it cuts the URL's
     * {@link AdaptiveLimit} and leaves the run as it was, unless the refused request was the
     * only one in flight there. A URL that refuses even one request at a time (a proxy
     * answering 503 for a dead daemon) is not serving, and is counted like any other failure.
     */
    <T> Future<T> execute(Supplier<Future<T>> attempt) {
      AdaptiveLimit.Ticket[] ticket = new AdaptiveLimit.Ticket[1];
      return breaker.<T>execute(() -> {
        ticket[0] = limit.sent();
        // Kept before the breaker sees the outcome, so that a change it makes (a failed
        // probe opens the circuit again) names this failure.
        return attempt.get().andThen(this::keepFailure);
      }).andThen(ar -> {
        if (ticket[0] == null) {
          // Refused by the open circuit: never sent.
          return;
        }
        if (ar.succeeded() || ar.cause() instanceof DaemonException) {
          limit.answered(ticket[0]);
          failuresInARow = 0;
        } else if (ar.cause() instanceof TransientFailure tf
            && tf.kind() == TransientFailure.Kind.BACK_PRESSURE) {
          if (limit.refused(ticket[0])) {
            LOG.debug("{} is busy: at most {} requests in flight to it now", url,
                limit.current());
          }
          if (ticket[0].alone()) {
            countFailure();
          }
        } else if (ar.cause() instanceof TransientFailure tf
            && (tf.kind() == TransientFailure.Kind.CANCELLED
            || tf.kind() == TransientFailure.Kind.QUARANTINED)) {
          // We ended it (a hedged read answered elsewhere), or never sent it (the URL is on
          // another chain): not a failure to answer.
          limit.failed(ticket[0]);
        } else {
          limit.failed(ticket[0]);
          countFailure();
          TransientFailure failure = TransientFailure.from(ar.cause(), url);
          if (failure.kind() == TransientFailure.Kind.CONNECTION
              || failure.httpStatus() == 401) {
            // Refused or unreachable, or its credentials changed (the cookie is read again):
            // whatever answers there next may be another daemon.
            standing.doubt();
          }
        }
      });
    }

    private void keepFailure(AsyncResult<?> ar) {
      if (ar.failed() && !(ar.cause() instanceof DaemonException)) {
        TransientFailure failure = TransientFailure.from(ar.cause(), url);
        if (failure.kind() != TransientFailure.Kind.CANCELLED) {
          lastFailure = failure;
        }
      }
    }

    private void countFailure() {
      failuresInARow++;
      if (failuresInARow >= maxFailures && breaker.state() != CircuitBreakerState.OPEN) {
        breaker.open();
      }
    }

    /** Reports a change of this URL's circuit; the breaker also calls back for no change. */
    private void changed(CircuitEvents events, CircuitBreakerState state) {
      CircuitBreakerState previous = reported;
      if (previous == state) {
        return;
      }
      reported = state;
      if (state == CircuitBreakerState.OPEN) {
        // It comes back only through a check: it may be another daemon by then.
        standing.doubt();
      }
      events.changed(url, previous, state, lastFailure);
    }

    /** How many requests this URL is given at once, learnt from its back-pressure. */
    public AdaptiveLimit limit() {
      return limit;
    }

    public DaemonUrl url() {
      return url;
    }

    public CircuitBreakerState circuitState() {
      return breaker.state();
    }

    /** Transport failures in a row, since the last answer from this URL. */
    public long failureCount() {
      return failuresInARow;
    }

    TransientFailure lastFailure() {
      return lastFailure;
    }

    void lastFailure(TransientFailure failure) {
      lastFailure = failure;
    }
  }

  /**
   * After how many failures in a row a URL's circuit opens, how long it stays open, and the
   * most requests any URL is given at once ({@code maxWorkqueue}).
   */
  public record BreakerSettings(int maxFailures, long resetMs, int maxInFlight) {
  }

  /**
   * How URLs are doubted: the chain check each must pass before it serves, the lag
   * ({@code maxLagBlocks}, 0: none) that makes a URL the last choice, how long one check may
   * take (an attempt's timeout), and the time source whose clock measures the best height's
   * minute and whose timers bound a check and those waiting for it (null: the real time of the
   * {@code Endpoints}' Vert.x).
   */
  public record FleetSettings(ChainCheck check, int maxLagBlocks, long checkMs,
                              TimeSource time) {
    /** No check, no lag. */
    public static final FleetSettings NONE = new FleetSettings(ChainCheck.NONE, 0, 1, null);
  }
}
