package io.daemonverticle.impl.resilience;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A retry loop whose URLs are scripts, all in virtual time: each attempt at a URL takes that
 * URL's next scripted reply (an answer, a transient failure, the daemon's error, "not here",
 * or no reply until the attempt's timeout), at once or after a virtual delay. No HTTP: what is
 * asserted is the loop's course (which URL, when, with how long, how answered), exact to the
 * millisecond, and a request the loop leaves unanswered fails the test at once
 * ({@link VirtualTime#runUntil}) instead of running into a time limit.
 *
 * <p>An attempt the script has no reply for fails the request's test at once: every attempt a
 * test expects is scripted, so an extra one (a retry too many, a loop that never stops) is
 * seen.
 */
final class ScriptedLoop {

  /** One URL's reply to one attempt. */
  @FunctionalInterface
  interface Reply {
    /** Settles {@code attempt}'s outcome now or later (its timeout and cancel are set). */
    void to(Attempt attempt, ScriptedLoop loop);
  }

  /** An attempt the loop sent: when, where, with how long, and how it ended. */
  static final class Attempt {
    final long atMs;
    final int url;
    final long timeoutMs;
    final Promise<Object> outcome = Promise.promise();
    long endedAtMs = -1;

    Attempt(long atMs, int url, long timeoutMs) {
      this.atMs = atMs;
      this.url = url;
      this.timeoutMs = timeoutMs;
    }

    /** How it ended: a result, or the failure's kind or class (null while on the wire). */
    String end() {
      if (!outcome.future().isComplete()) {
        return null;
      }
      if (outcome.future().succeeded()) {
        return "answered";
      }
      Throwable cause = outcome.future().cause();
      return cause instanceof TransientFailure tf ? tf.kind().name()
          : cause.getClass().getSimpleName();
    }

    @Override
    public String toString() {
      return "url " + url + " at " + atMs + " ms for " + timeoutMs + " ms: " + end();
    }
  }

  /** Most attempts one test may make: past it, the loop is taken to retry forever. */
  private static final int MAX_ATTEMPTS = 200;

  final Context context;
  final VirtualTime virtual;
  final RpcCounters counters = new RpcCounters();
  final WorkQueue workQueue;
  final Endpoints endpoints;
  final RetryLoop retryLoop;
  final List<Attempt> attempts = new ArrayList<>();
  /** The timers the loop and its work queue set (the scripts' own are not in it). */
  final List<VirtualTime.Scheduled> loopTimers = new ArrayList<>();
  private final TimeSource time;
  private final List<Deque<Reply>> scripts = new ArrayList<>();
  /** Fails when the loop does what no script foresaw: the test fails with it at once. */
  private final Promise<Void> broken = Promise.promise();
  private long lastLook = -1;

  ScriptedLoop(Vertx vertx, int urls, RetryLoop.Settings settings,
               Endpoints.BreakerSettings breakers, int maxInFlight, RandomGenerator jitter) {
    this(vertx, urls, settings, breakers, maxInFlight, jitter, 0, Endpoints.FleetSettings.NONE);
  }

  /**
   * As above; each timer fires {@code lateMs} after it is due (a loaded machine's timers), and
   * the URLs are checked as {@code fleet} says, on the loop's time when it names none.
   */
  ScriptedLoop(Vertx vertx, int urls, RetryLoop.Settings settings,
               Endpoints.BreakerSettings breakers, int maxInFlight, RandomGenerator jitter,
               long lateMs, Endpoints.FleetSettings fleet) {
    this(vertx, urls, settings, breakers, maxInFlight, 100, jitter, lateMs, fleet);
  }

  /** As above, with at most {@code maxQueued} new requests waiting for a slot. */
  ScriptedLoop(Vertx vertx, int urls, RetryLoop.Settings settings,
               Endpoints.BreakerSettings breakers, int maxInFlight, int maxQueued,
               RandomGenerator jitter, long lateMs, Endpoints.FleetSettings fleet) {
    context = vertx.getOrCreateContext();
    virtual = new VirtualTime(context);
    time = lateMs == 0 ? virtual : late(virtual, lateMs);
    List<DaemonUrl> list = new ArrayList<>();
    for (int i = 0; i < urls; i++) {
      list.add(DaemonUrl.parse("http://user:pass@127.0.0.1:" + (18_001 + i), null, false));
      scripts.add(new ArrayDeque<>());
    }
    TimeSource loopTime = recorded(time);
    workQueue = new WorkQueue(loopTime, maxInFlight, maxQueued);
    // The URLs' checks are bounded, and the best height dated, on the loop's time too.
    endpoints = new Endpoints(vertx, list, breakers, counters, new CircuitEvents(vertx, null),
        fleet.time() != null ? fleet : new Endpoints.FleetSettings(fleet.check(),
            fleet.maxLagBlocks(), fleet.checkMs(), time));
    // The transport is never used: every attempt is a scripted exchange.
    retryLoop = new RetryLoop(loopTime, null, workQueue, endpoints, counters, settings,
        jitter);
  }

  /** Each backoff drawn at its floor (initRetryMs). */
  static RandomGenerator floor() {
    return drawing(false);
  }

  /** Each backoff drawn at its ceiling. */
  static RandomGenerator top() {
    return drawing(true);
  }

  private static RandomGenerator drawing(boolean top) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new AssertionError("only bounded draws are expected");
      }

      @Override
      public long nextLong(long origin, long bound) {
        return top ? bound - 1 : origin;
      }
    };
  }

  /** The replies of the URL at {@code url} to its next attempts, in order. */
  ScriptedLoop script(int url, Reply... replies) {
    scripts.get(url).addAll(List.of(replies));
    return this;
  }

  /** The exchange every request of this loop makes: the URL's next scripted reply. */
  RetryLoop.Exchange<Object> exchange() {
    return (DaemonUrl url, long timeoutMs, Future<Void> cancel) -> {
      int index = indexOf(url);
      Attempt attempt = new Attempt(virtual.nowMs(), index, timeoutMs);
      attempts.add(attempt);
      attempt.outcome.future().onComplete(ar -> attempt.endedAtMs = virtual.nowMs());
      Reply reply = scripts.get(index).poll();
      if (reply == null || attempts.size() > MAX_ATTEMPTS) {
        broken.tryFail(new AssertionError("an attempt no script foresaw: " + attempt
            + "; attempts so far " + attempts));
        return attempt.outcome.future();
      }
      // As the transport: an attempt ends by its timeout, or at once when cancelled.
      long timer = time.setTimer(Math.max(1, timeoutMs), id -> attempt.outcome.tryFail(
          new TransientFailure(TransientFailure.Kind.TIMEOUT,
              "no whole reply in " + timeoutMs + " ms from " + url)));
      cancel.onComplete(v -> attempt.outcome.tryFail(new TransientFailure(
          TransientFailure.Kind.CANCELLED, "attempt at " + url + " cancelled")));
      attempt.outcome.future().onComplete(ar -> time.cancelTimer(timer));
      reply.to(attempt, this);
      return attempt.outcome.future();
    };
  }

  private int indexOf(DaemonUrl url) {
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).url() == url) {
        return i;
      }
    }
    throw new AssertionError("not one of the loop's URLs: " + url);
  }

  /** Sends a request from the loop's context and runs the time until it is answered. */
  Future<Object> request(long timeoutMs) {
    return request(timeoutMs, false, new AttemptCount());
  }

  /**
   * As {@link #request(long)}; then, once what the answer set off has run, fails when the loop
   * left anything behind: a timer pending (a backoff, a hedge, an attempt's timeout), a slot
   * held, or an attempt no script foresaw.
   */
  Future<Object> request(long timeoutMs, boolean hedgeable, AttemptCount count) {
    return drive(start(timeoutMs, hedgeable, count))
        .transform(answered -> settled().compose(v -> tidy()).transform(
            tidy -> tidy.failed() ? Future.failedFuture(tidy.cause()) : (Future<Object>) answered));
  }

  /** Fails when the loop left a timer, a slot or an unforeseen attempt behind. */
  Future<Void> tidy() {
    if (broken.future().failed()) {
      return Future.failedFuture(broken.future().cause());
    }
    if (virtual.pending() != 0) {
      return Future.failedFuture(new AssertionError(virtual.pending()
          + " timers left pending after the answer; the loop's timers: " + loopTimers));
    }
    if (workQueue.inFlight() != 0) {
      return Future.failedFuture(new AssertionError(workQueue.inFlight()
          + " slots held after the answer"));
    }
    return Future.succeededFuture();
  }

  /**
   * Makes the URL at {@code url} the current one while every URL stays in service: the others
   * are quarantined (requests leave them) and then pass their check again.
   */
  Future<Void> currentIs(int url) {
    return on(() -> {
      for (int i = 0; i < endpoints.size(); i++) {
        if (i != url) {
          quarantine(i);
        }
      }
      for (int i = 0; i < endpoints.size(); i++) {
        if (i != url) {
          endpoints.judged(i, ChainCheck.Outcome.GOOD);
        }
      }
      if (endpoints.currentIndex() != url) {
        throw new AssertionError("the current URL is " + endpoints.currentIndex());
      }
    });
  }

  /** Sends a request from the loop's context; the test moves the time. */
  Future<Object> start(long timeoutMs, boolean hedgeable, AttemptCount count) {
    Promise<Object> answer = Promise.promise();
    context.runOnContext(v -> {
      // A future that is not there (a mutant's null) fails the test at once.
      try {
        retryLoop.exchange(exchange(), Deadline.in(timeoutMs, time), hedgeable, count)
            .onComplete(answer);
      } catch (RuntimeException e) {
        answer.tryFail(e);
      }
    });
    return answer.future();
  }

  /**
   * Completes as {@code outcome}, firing each timer in order while the loop is quiet (nothing
   * changed since the last look); fails at once when the loop did what no script foresaw, or
   * waits for nothing with no timer left.
   */
  <T> Future<T> drive(Future<T> outcome) {
    Promise<T> watched = Promise.promise();
    outcome.onComplete(watched);
    broken.future().onFailure(watched::tryFail);
    return virtual.runUntil(watched.future(), this::quiet);
  }

  /** Runs {@code work} on the loop's context. */
  Future<Void> on(Runnable work) {
    return VirtualTime.on(context, work);
  }

  /**
   * Completes once what the loop queued on its context has run (a cancelled attempt's end, a
   * slot given back): the state after an answer, before the test asserts what is left.
   */
  Future<Void> settled() {
    Future<Void> rounds = Future.succeededFuture();
    for (int i = 0; i < 20; i++) {
      rounds = rounds.compose(v -> on(() -> { }));
    }
    return rounds;
  }

  /** The URLs attempted, in order. */
  List<Integer> urls() {
    return attempts.stream().map(a -> a.url).toList();
  }

  /** When each attempt was sent (virtual ms). */
  List<Long> times() {
    return attempts.stream().map(a -> a.atMs).toList();
  }

  /** Makes the URL at {@code url} fail its chain check: quarantined, on "main". */
  void quarantine(int url) {
    endpoints.judged(url, new ChainCheck.Outcome(endpoints.get(url).url()
        + " is on chain \"main\", not on the configured \"regtest\"", "main", null, true, null));
  }

  void close() {
    endpoints.close();
  }

  private boolean quiet() {
    long look = virtual.history().size() * 1_000_003L + attempts.size() * 1_009L
        + attempts.stream().filter(a -> a.endedAtMs >= 0).count();
    boolean same = look == lastLook;
    lastLook = look;
    return same;
  }

  // Replies.

  static Reply answer(Object result) {
    return (attempt, loop) -> attempt.outcome.tryComplete(result);
  }

  static Reply fails(TransientFailure.Kind kind) {
    return (attempt, loop) -> attempt.outcome.tryFail(
        new TransientFailure(kind, kind + " at URL " + attempt.url));
  }

  /** The daemon's JSON-RPC error: an answer, not retried. */
  static Reply error(String message) {
    return (attempt, loop) -> attempt.outcome.tryFail(
        DaemonRpcException.of(new JsonObject().put("code", -5).put("message", message)));
  }

  /** The daemon has not what was asked (a pruned block). */
  static Reply notHere() {
    return (attempt, loop) -> attempt.outcome.tryFail(new NotHere(DaemonRpcException.of(
        new JsonObject().put("code", -1).put("message", "Block not available (pruned data)"))));
  }

  /** No reply: the attempt ends at its timeout (or when cancelled). */
  static Reply hangs() {
    return (attempt, loop) -> { };
  }

  /** {@code then}, {@code ms} after the attempt was sent, unless it ended before. */
  static Reply after(long ms, Reply then) {
    return (attempt, loop) -> {
      long timer = loop.time.setTimer(ms, id -> then.to(attempt, loop));
      attempt.outcome.future().onComplete(ar -> loop.time.cancelTimer(timer));
    };
  }

  /** Runs {@code action} when the attempt is made, then replies {@code then}. */
  static Reply doing(Runnable action, Reply then) {
    return (attempt, loop) -> {
      action.run();
      then.to(attempt, loop);
    };
  }

  /** {@code time}, each timer set through it kept in {@link #loopTimers}. */
  private TimeSource recorded(TimeSource time) {
    return withTimers(time, (delayMs, handler) -> {
      loopTimers.add(new VirtualTime.Scheduled(virtual.nowMs(), delayMs));
      return time.setTimer(delayMs, handler);
    });
  }

  /** Every timer of {@code time} fires {@code lateMs} after it is due. */
  private static TimeSource late(VirtualTime time, long lateMs) {
    return withTimers(time, (delayMs, handler) -> time.setTimer(delayMs + lateMs, handler));
  }

  /** Sets a timer for a wrapped time source. */
  @FunctionalInterface
  private interface TimerSetter {
    long set(long delayMs, Handler<Long> handler);
  }

  /** {@code time}'s clock, its timers set through {@code setter}. */
  private static TimeSource withTimers(TimeSource time, TimerSetter setter) {
    return new TimeSource() {
      @Override
      public long nanoTime() {
        return time.nanoTime();
      }

      @Override
      public long currentTimeMillis() {
        return time.currentTimeMillis();
      }

      @Override
      public long setTimer(long delayMs, Handler<Long> handler) {
        return setter.set(delayMs, handler);
      }

      @Override
      public boolean cancelTimer(long id) {
        return time.cancelTimer(id);
      }
    };
  }
}
