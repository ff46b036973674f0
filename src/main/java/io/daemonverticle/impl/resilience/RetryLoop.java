package io.daemonverticle.impl.resilience;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.resilience.Endpoints.Endpoint;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.JsonReplyReader;
import io.daemonverticle.impl.transport.ReplyReader;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The one place where daemon requests are retried (ElectrumX's {@code _send}). Each attempt
 * takes a work-queue slot, goes through the circuit breaker of the current URL and either
 * succeeds, fails for good (a JSON-RPC error: the daemon answered) or fails transiently, in
 * which case it is tried again after a jittered exponential backoff, on the next URL once the
 * current one's circuit has opened, until the request's deadline; then it is answered 503
 * with the last failure. Each attempt's {@link ReplyReader} turns the reply into the result
 * and may itself fail with a {@link TransientFailure} (warming up, a reply that is no answer)
 * or a {@link DaemonException} (the daemon's answer).
 *
 * <p>Every wait has an end: each attempt is bounded in total by
 * min(attemptTimeoutMs, time left) (the transport resets it then), each backoff by the time
 * left, each wait for a slot by the deadline, and {@link #stop} answers every request at
 * once. The request is answered here, never left to the dispatcher's safety net.
 */
public final class RetryLoop {

  /** What requests still running are answered with when the verticle stops. */
  static final String STOPPING = "stopping: the daemon verticle is being undeployed";

  /**
   * The calling thread's generator at each draw (one kept instance would read a thread's seed
   * that may never have been set).
   */
  private static final RandomGenerator THREAD_LOCAL_JITTER =
      () -> ThreadLocalRandom.current().nextLong();

  private final TimeSource time;
  private final HttpTransport transport;
  private final WorkQueue workQueue;
  private final Endpoints endpoints;
  private final RpcCounters counters;
  private final Settings settings;
  /** Draws each backoff under its ceiling. */
  private final RandomGenerator jitter;
  private final FailureLog failureLog;
  private final Set<Attempts<?>> running = new LinkedHashSet<>();
  private boolean stopped;

  /**
   * A retry loop on {@code time}'s clock and timers (which also measure the requests'
   * deadlines, made with {@link Deadline#in(long, io.daemonverticle.impl.time.NanoClock)}).
   */
  public RetryLoop(TimeSource time, HttpTransport transport, WorkQueue workQueue,
                   Endpoints endpoints, RpcCounters counters, Settings settings) {
    this(time, transport, workQueue, endpoints, counters, settings, THREAD_LOCAL_JITTER);
  }

  /** As the public constructor, each backoff drawn from {@code jitter} (a test's choice). */
  RetryLoop(TimeSource time, HttpTransport transport, WorkQueue workQueue, Endpoints endpoints,
            RpcCounters counters, Settings settings, RandomGenerator jitter) {
    this.time = time;
    this.failureLog = new FailureLog(time);
    this.jitter = jitter;
    this.transport = transport;
    this.workQueue = workQueue;
    this.endpoints = endpoints;
    this.counters = counters;
    this.settings = settings;
    // The daemon's back-pressure bounds what we send it: requests over the current URL's
    // learnt limit wait for a slot like requests over maxWorkqueue.
    workQueue.limitBy(endpoints::capacity);
  }

  public void recordUnavailable() {
    counters.recordUnavailable();
  }

  /** Sends a payload and processes the parsed reply, retrying transient failures. */
  public <T> Future<T> send(Buffer payload, Function<Object, T> processor, Deadline deadline) {
    return send(payload, processor, deadline, false);
  }

  /**
   * As {@link #send(Buffer, Function, Deadline)}; {@code hedgeable}: the payload only reads, so
   * sending it twice is harmless, and once {@code hedgeAfterMs} (if set) pass without an answer
   * it is also sent to the next URL whose circuit is not open, and the first answer wins.
   */
  public <T> Future<T> send(Buffer payload, Function<Object, T> processor, Deadline deadline,
                            boolean hedgeable) {
    return send(payload, processor, deadline, hedgeable, new AttemptCount());
  }

  /** As {@link #send(Buffer, Function, Deadline, boolean)}, counting the attempts sent. */
  public <T> Future<T> send(Buffer payload, Function<Object, T> processor, Deadline deadline,
                            boolean hedgeable, AttemptCount attempts) {
    return exchange(post(payload,
        url -> new JsonReplyReader<>(transport.offloader(), processor, url.toString())),
        deadline, hedgeable, attempts);
  }

  /**
   * Sends a payload and reads each attempt's reply with a fresh reader from {@code readers}
   * (given the attempt's URL), retrying transient failures.
   */
  public <T> Future<T> sendReading(Buffer payload, Function<DaemonUrl, ReplyReader<T>> readers,
                                   Deadline deadline) {
    return sendReading(payload, readers, deadline, false);
  }

  /** As {@link #sendReading(Buffer, Function, Deadline)}, hedged when {@code hedgeable}. */
  public <T> Future<T> sendReading(Buffer payload, Function<DaemonUrl, ReplyReader<T>> readers,
                                   Deadline deadline, boolean hedgeable) {
    return exchange(post(payload, readers), deadline, hedgeable);
  }

  /**
   * One POST to one URL, outside the work queue, the circuit breakers and the retries: the
   * service's own checks and polls of each URL, which must reach URLs that requests do not
   * go to now (a quarantined one, a lagging one). Bounded by {@code timeoutMs} in total;
   * fails with the transport's {@link TransientFailure} or the reply's.
   */
  public <T> Future<T> once(DaemonUrl url, Buffer payload, Function<Object, T> processor,
                            long timeoutMs) {
    if (stopped) {
      return Future.failedFuture(DaemonException.unavailable(STOPPING));
    }
    return transport.post(url, payload, timeoutMs,
        new JsonReplyReader<>(transport.offloader(), processor, url.toString()));
  }

  /** Each attempt a POST of {@code payload}, its reply read by a fresh reader. */
  public <T> Exchange<T> post(Buffer payload, Function<DaemonUrl, ReplyReader<T>> readers) {
    return (url, timeoutMs, cancel) ->
        transport.post(url, payload, timeoutMs, readers.apply(url), cancel);
  }

  /**
   * Runs {@code exchange} as the attempts of one request, retrying its transient failures
   * like any other request's; hedged when {@code hedgeable}.
   */
  public <T> Future<T> exchange(Exchange<T> exchange, Deadline deadline, boolean hedgeable) {
    return exchange(exchange, deadline, hedgeable, new AttemptCount());
  }

  /** As {@link #exchange(Exchange, Deadline, boolean)}, counting the attempts sent. */
  public <T> Future<T> exchange(Exchange<T> exchange, Deadline deadline, boolean hedgeable,
                                AttemptCount count) {
    if (stopped) {
      return Future.failedFuture(DaemonException.unavailable(STOPPING));
    }
    counters.recordRequest();
    Attempts<T> attempts = new Attempts<>(exchange, deadline, hedgeable, count);
    running.add(attempts);
    attempts.promise.future().onComplete(ar -> running.remove(attempts));
    attempts.next();
    return attempts.promise.future();
  }

  /**
   * Answers every request in flight, backing off or waiting for a slot with 503 "stopping"
   * now, and starts no attempt after. Attempts on the wire end when the transport closes;
   * their replies are ignored.
   */
  public void stop() {
    stopped = true;
    DaemonException stopping = DaemonException.unavailable(STOPPING);
    workQueue.close(stopping);
    for (Attempts<?> attempts : new ArrayList<>(running)) {
      attempts.stop(stopping);
    }
    running.clear();
  }

  /**
   * The backoff before retry number {@code retry} (0 for the first retry): uniform in
   * [initRetryMs, min(maxRetryMs, initRetryMs * 2^retry)]. ElectrumX doubles a fixed delay;
   * when many requests fail together (a burst against a daemon that just went away) fixed
   * delays bring them back together, again and again, and they hit the recovering daemon's
   * small work queue at the same instant. "Full jitter" under the doubling ceiling spreads
   * them out; the floor keeps at least initRetryMs between two attempts of one request, and
   * the ceiling never goes past maxRetryMs. (Decorrelated jitter could reach 3x the last
   * delay, above the doubling ceiling that the options promise.)
   */
  static long backoffMs(Settings settings, int retry) {
    return backoffMs(settings, retry, THREAD_LOCAL_JITTER);
  }

  /** As {@link #backoffMs(Settings, int)}, drawn from {@code jitter}. */
  static long backoffMs(Settings settings, int retry, RandomGenerator jitter) {
    long init = settings.initRetryMs();
    long max = settings.maxRetryMs();
    long ceiling = init;
    for (int i = 0; i < retry && ceiling < max; i++) {
      // Doubled up to the cap, never past it: a cap near Long.MAX_VALUE (the options set no
      // upper bound) must not overflow into a negative ceiling.
      ceiling = ceiling > max / 2 ? max : ceiling * 2;
    }
    return ceiling == Long.MAX_VALUE ? jitter.nextLong(init, ceiling)
        : jitter.nextLong(init, ceiling + 1);
  }

  /** bitcoind's {@code -rpcservertimeout} by default: it closes a request's connection then. */
  static final long DAEMON_SERVER_TIMEOUT_MS = 30_000;

  /**
   * Whether the daemon closed a connection under a request that had run about as long as
   * bitcoind's default {@code -rpcservertimeout} (a second short of it, for timer slack): the
   * cure is on the daemon's side, and the status says so.
   */
  static boolean closedByServerTimeout(TransientFailure failure, long elapsedMs) {
    return failure.kind() == TransientFailure.Kind.DISCONNECTED
        && elapsedMs >= DAEMON_SERVER_TIMEOUT_MS - 1_000;
  }

  /** Where one request stands: see {@link Attempts}. */
  enum Phase {
    /** Waiting in the work queue for a slot (bounded by the deadline). */
    WAITING_FOR_SLOT,
    /** One attempt on the wire, or two while hedged (each bounded by its timeout). */
    ON_THE_WIRE,
    /** Waiting out a backoff before the next attempt (bounded by the time left). */
    BACKING_OFF,
    /** Answered: with a result, the daemon's error, or 503; every wait still open ends. */
    ANSWERED
  }

  /**
   * One request's way through the loop, as named phases and the transitions between them:
   *
   * <pre>
   *   WAITING_FOR_SLOT --slot--&gt; ON_THE_WIRE --result, daemon error--&gt; ANSWERED
   *         ^                      |    (hedge: a second attempt, same phase)
   *         |                      |--transient failure, another URL at once--+
   *         |                      '--transient failure--&gt; BACKING_OFF        |
   *         +---------------------- timer ---------------------'  &lt;---------+
   *   any phase --deadline, stop, the queue's refusal--&gt; ANSWERED
   * </pre>
   *
   * What it keeps between attempts is in two small parts: {@link Course} (where and when the
   * next attempt goes) and {@link Excuse} (what a 503 will say).
   */
  private final class Attempts<T> {
    final Promise<T> promise = Promise.promise();
    final Exchange<T> exchange;
    final Deadline deadline;
    final boolean hedgeable;
    final AttemptCount count;
    final Course course = new Course();
    final Excuse excuse = new Excuse();
    /** The live phase; {@link #phase()} says ANSWERED once the request is. */
    Phase phase = Phase.WAITING_FOR_SLOT;
    /** Whether the work queue took this request once: waits after that are never refused. */
    boolean admitted;
    /** The BACKING_OFF phase's timer; -1 in any other phase. */
    long backoffTimer = -1;
    /** The hedge's timer while ON_THE_WIRE with one attempt; -1 otherwise. */
    long hedgeTimer = -1;
    /** Attempts on the wire (2 while hedged); each completes its own cancel when it ends. */
    final List<Promise<Void>> onTheWire = new ArrayList<>(2);

    Attempts(Exchange<T> exchange, Deadline deadline, boolean hedgeable, AttemptCount count) {
      this.exchange = exchange;
      this.deadline = deadline;
      this.hedgeable = hedgeable;
      this.count = count;
      // Once answered (or stopped), nothing else of this request may go on: no hedge, and an
      // attempt still on the wire is reset, which frees its slot and its connection.
      promise.future().onComplete(ar -> {
        cancelHedge();
        for (Promise<Void> cancel : new ArrayList<>(onTheWire)) {
          cancel.tryComplete();
        }
      });
    }

    /**
     * ANSWERED once the promise is complete, by whichever path completed it (a result, the
     * deadline, a stop, the queue's refusal): derived, so that no path can complete the
     * promise and forget the phase. Every path runs on the verticle's event loop (a reply
     * worked on a worker thread comes back to it through the attempt's future).
     */
    Phase phase() {
      return promise.future().isComplete() ? Phase.ANSWERED : phase;
    }

    boolean done() {
      return phase() == Phase.ANSWERED;
    }

    void stop(DaemonException stopping) {
      if (phase() == Phase.BACKING_OFF) {
        time.cancelTimer(backoffTimer);
      }
      promise.tryFail(stopping);
    }

    /** Into WAITING_FOR_SLOT (from the start, a backoff, or a failure retried at once). */
    void next() {
      backoffTimer = -1;
      if (done()) {
        return;
      }
      if (deadline.passed()) {
        giveUp();
        return;
      }
      phase = Phase.WAITING_FOR_SLOT;
      workQueue.acquire(deadline, !admitted).onComplete(slot -> {
        if (slot.failed()) {
          if (slot.cause() instanceof DaemonException de
              && de.code() == DaemonException.UNAVAILABLE && !stopped) {
            // A 503 from the wait in our queue is a 503 like any other: counted, and when it
            // was a retry, saying why.
            counters.recordUnavailable();
            promise.tryFail(excuse.orElse(de));
          } else {
            promise.tryFail(slot.cause());
          }
          return;
        }
        admitted = true;
        send(slot.result());
      });
    }

    /** WAITING_FOR_SLOT to ON_THE_WIRE: the slot is in, the attempt goes out. */
    void send(WorkQueue.Slot slot) {
      long timeoutMs = Math.min(settings.attemptTimeoutMs(), deadline.remainingMs());
      if (done() || timeoutMs <= 0) {
        slot.release();
        giveUp();
        return;
      }
      if (endpoints.allQuarantined()) {
        slot.release();
        quarantined();
        return;
      }
      phase = Phase.ON_THE_WIRE;
      int index = course.target(endpoints);
      attempt(index, slot, timeoutMs);
      long hedgeAfterMs = settings.hedgeAfterMs();
      if (hedgeable && hedgeAfterMs > 0 && hedgeAfterMs < timeoutMs && endpoints.size() > 1) {
        hedgeTimer = time.setTimer(hedgeAfterMs, id -> hedge(index));
      }
    }

    /** One HTTP attempt at the URL at {@code index}, holding {@code slot} until it ends. */
    void attempt(int index, WorkQueue.Slot slot, long timeoutMs) {
      Endpoint endpoint = endpoints.get(index);
      Promise<Void> cancel = Promise.promise();
      onTheWire.add(cancel);
      count.sent();
      long started = time.nanoTime();
      // The reply is read and processed inside the attempt: a reply that cannot be used
      // fails this attempt like any transport failure of the URL. A URL not yet checked is
      // checked first, within the attempt's time.
      endpoint.<T>execute(() -> endpoint.admission(timeoutMs).compose(v ->
              exchange.attempt(endpoint.url(),
                  Math.max(1, timeoutMs - (time.nanoTime() - started) / 1_000_000L),
                  cancel.future())))
          .onComplete(ar -> {
            // Given less than a whole attempt's time: its timeout is the request's deadline
            // (the timer may fire a millisecond before the deadline reads as passed).
            excuse.cutShort = timeoutMs < settings.attemptTimeoutMs();
            if (ar.failed() && closedByServerTimeout(TransientFailure.from(ar.cause(),
                endpoint.url()), (time.nanoTime() - started) / 1_000_000L)) {
              endpoint.standing().closedByServerTimeout();
            }
            onTheWire.remove(cancel);
            cancel.tryComplete();
            slot.release();
            if (done()) {
              return;
            }
            if (ar.succeeded()) {
              failureLog.answered();
              count.answeredAt(index);
              promise.tryComplete(ar.result());
            } else if (ar.cause() instanceof NotHere notHere) {
              failureLog.answered();
              notHere(index, notHere);
            } else if (ar.cause() instanceof DaemonException de) {
              failureLog.answered();
              counters.recordDaemonError();
              promise.tryFail(de);
            } else if (!onTheWire.isEmpty()) {
              // The other attempt of a hedged pair is still out: it answers, or it fails
              // and retries. Only this failure is noted.
              noteFailure(index, ar.cause());
            } else {
              cancelHedge();
              failed(index, ar.cause());
            }
          });
    }

    /**
     * ON_THE_WIRE, an attempt answered that its URL does not have what was asked (a pruned
     * block): not a failure of the URL. The request goes at once to a URL that has not said so
     * and whose circuit is not open, each once; when none is left it is answered with the
     * daemon's error. While the other attempt of a hedged pair is out, that one answers.
     */
    void notHere(int index, NotHere notHere) {
      course.notHere(index, notHere);
      if (!onTheWire.isEmpty()) {
        return;
      }
      cancelHedge();
      if (course.elsewhere(endpoints) < 0) {
        counters.recordDaemonError();
        promise.tryFail(notHere.answer());
        return;
      }
      next();
    }

    /**
     * Hedged read: the attempt at {@code primary} has had {@code hedgeAfterMs} without an
     * answer, so the same read goes to the next URL whose circuit is not open as well (not
     * when that URL said it has not the block asked for). Only with a slot free now, never ahead of requests waiting for one: under load a hedge
     * would only add to it. Bounded like any attempt; the first answer cancels the other.
     */
    void hedge(int primary) {
      hedgeTimer = -1;
      if (done() || onTheWire.isEmpty()) {
        return;
      }
      int other = endpoints.alternative(primary);
      long timeoutMs = Math.min(settings.attemptTimeoutMs(), deadline.remainingMs());
      if (other < 0 || course.saidNotHere.get(other) || timeoutMs <= 0) {
        // Nowhere else to go, or only to a URL that said it has not the block.
        return;
      }
      WorkQueue.Slot slot = workQueue.tryAcquire();
      if (slot == null) {
        return;
      }
      counters.recordHedge();
      attempt(other, slot, timeoutMs);
    }

    void cancelHedge() {
      if (hedgeTimer >= 0) {
        time.cancelTimer(hedgeTimer);
        hedgeTimer = -1;
      }
    }

    /**
     * ON_THE_WIRE, its last attempt failed transiently: to another URL at once
     * (WAITING_FOR_SLOT), or to BACKING_OFF, or answered 503 when no time is left.
     */
    void failed(int index, Throwable cause) {
      if (course.notHere != null && course.elsewhere(endpoints) < 0) {
        // The URLs that may have it are gone (their circuits opened): the answer we had.
        noteFailure(index, cause);
        counters.recordDaemonError();
        promise.tryFail(course.notHere.answer());
        return;
      }
      Endpoint endpoint = endpoints.get(index);
      noteFailure(index, cause);
      if (endpoints.allQuarantined()) {
        quarantined();
        return;
      }
      counters.recordRetry();
      boolean moved = endpoint.standing().quarantined() ? endpoints.reconsider()
          : endpoint.circuitState() == CircuitBreakerState.OPEN && endpoints.failover(index);
      if (moved) {
        // The new current URL may allow more requests at once than the one left.
        workQueue.limitChanged();
      }
      if (course.retryElsewhereNow(moved, endpoints)) {
        next();
        return;
      }
      long remaining = deadline.remainingMs();
      if (remaining <= 0) {
        giveUp();
        return;
      }
      phase = Phase.BACKING_OFF;
      long delay = Math.min(course.nextBackoffMs(settings, jitter), remaining);
      backoffTimer = time.setTimer(Math.max(1, delay), id -> next());
    }

    /** Keeps what this failure at the URL at {@code index} says, for the log and the 503. */
    void noteFailure(int index, Throwable cause) {
      Endpoint endpoint = endpoints.get(index);
      if (cause instanceof OpenCircuitException) {
        // Nothing was sent: the URL's own last failure says more than "circuit open".
        excuse.circuitOpen(endpoint);
        return;
      }
      TransientFailure failure = TransientFailure.from(cause, endpoint.url());
      endpoint.lastFailure(failure);
      counters.recordTransientFailure();
      if (failure.kind() == TransientFailure.Kind.BACK_PRESSURE) {
        // Not a dead URL (its circuit stays closed): its limit was cut, and this request
        // comes back after the backoff to wait for a slot under that limit.
        counters.recordBackPressure();
      }
      failureLog.failed(failure, endpoint.url());
      course.attemptFailed(index, failure);
      excuse.note(failure);
    }

    /** To ANSWERED with 503 at once: every URL is on another chain, waiting cannot help. */
    void quarantined() {
      counters.recordUnavailable();
      promise.tryFail(DaemonException.unavailable("every daemon URL is quarantined: "
          + endpoints.quarantineSummary()));
    }

    /** Any phase to ANSWERED with 503: the deadline passed. */
    void giveUp() {
      if (done()) {
        return;
      }
      counters.recordUnavailable();
      promise.tryFail(excuse.unavailable());
    }
  }

  /**
   * Where and when a request's next attempt goes: after a timeout or wrong bytes at a URL,
   * another URL whose circuit is not open at once (the time is spent already, or that URL's
   * bytes are not to be trusted; at most once per URL in a row); after a URL said it does not
   * have what was asked, a URL that has not said so; otherwise the current URL after a backoff
   * that grows with each one taken.
   */
  static final class Course {
    /** Backoffs taken so far: the next one's ceiling doubles with each. */
    int backoffs;
    /** Retries in a row sent to another URL without a backoff. */
    int immediateRetries;
    /**
     * The URL this request's last attempt timed out at or got wrong bytes from (-1: none): try
     * another one next.
     */
    int timedOutAt = -1;
    /** The URLs that answered they do not have it (a pruned block), by index. */
    final BitSet saidNotHere = new BitSet();
    /** The last such answer: the request's answer when no URL has it; null before one. */
    NotHere notHere;

    /**
     * The current URL, unless this request's last attempt timed out there (or got wrong bytes)
     * and another URL's circuit is not open: a URL that accepts connections and never answers
     * then costs a request at most one attempt timeout, while its failures add up to open its
     * circuit. Never a URL that said it does not have it while another may.
     */
    int target(Endpoints endpoints) {
      int current = endpoints.currentIndex();
      if (saidNotHere.get(current)) {
        int other = elsewhere(endpoints);
        if (other >= 0) {
          return other;
        }
      }
      if (current == timedOutAt) {
        int other = endpoints.alternative(current);
        if (other >= 0 && !saidNotHere.get(other)) {
          return other;
        }
      }
      return current;
    }

    void attemptFailed(int index, TransientFailure failure) {
      timedOutAt = failure.kind() == TransientFailure.Kind.TIMEOUT
          || failure.kind() == TransientFailure.Kind.WRONG_BYTES ? index : -1;
    }

    void notHere(int index, NotHere answer) {
      saidNotHere.set(index);
      notHere = answer;
    }

    /**
     * The first URL from the current one, in order, that has not said it does not have it,
     * whose circuit is not open and that is not quarantined (on another chain, its "not found"
     * says nothing of ours); -1 when none is left. A lagging URL is asked: an old block is
     * there however far behind it is.
     */
    int elsewhere(Endpoints endpoints) {
      int size = endpoints.size();
      for (int step = 0; step < size; step++) {
        int candidate = (endpoints.currentIndex() + step) % size;
        Endpoint endpoint = endpoints.get(candidate);
        if (!saidNotHere.get(candidate)
            && endpoint.circuitState() != CircuitBreakerState.OPEN
            && !endpoint.standing().quarantined()) {
          return candidate;
        }
      }
      return -1;
    }

    /**
     * Whether the next attempt goes out at once: the requests moved to another URL (its
     * circuit opened), or timed out where another URL can serve; never more often in a row
     * than there are URLs.
     */
    boolean retryElsewhereNow(boolean moved, Endpoints endpoints) {
      boolean elsewhere = moved || (timedOutAt >= 0 && endpoints.alternative(timedOutAt) >= 0);
      if (elsewhere && immediateRetries < endpoints.size()) {
        immediateRetries++;
        return true;
      }
      immediateRetries = 0;
      return false;
    }

    long nextBackoffMs(Settings settings, RandomGenerator jitter) {
      return backoffMs(settings, backoffs++, jitter);
    }
  }

  /** What a request's 503 says: its last transient failure worth telling. */
  static final class Excuse {
    TransientFailure lastFailure;
    /** The attempt that ended last was given less than attemptTimeoutMs (the deadline's). */
    boolean cutShort;

    /** An attempt refused by an open circuit: the URL's own last failure says more. */
    void circuitOpen(Endpoint endpoint) {
      if (endpoint.lastFailure() != null) {
        lastFailure = endpoint.lastFailure();
      } else if (lastFailure == null) {
        lastFailure = new TransientFailure(TransientFailure.Kind.CIRCUIT_OPEN,
            "circuit open for " + endpoint.url() + " after repeated failures");
      }
    }

    /**
     * A last attempt cut short by the request's own deadline says nothing new about the
     * daemon: the 503 keeps the reason seen before it (a reply we could not use, a refusal),
     * which tells the caller more than "no reply in time".
     */
    void note(TransientFailure failure) {
      if (lastFailure == null || failure.kind() != TransientFailure.Kind.TIMEOUT || !cutShort) {
        lastFailure = failure;
      }
    }

    DaemonException unavailable() {
      return DaemonException.unavailable(lastFailure != null ? lastFailure.getMessage()
          : "deadline passed before the daemon could be asked");
    }

    /** The work queue's own 503, saying why the request was retrying when there was a why. */
    DaemonException orElse(DaemonException queueRefusal) {
      return lastFailure == null ? queueRefusal : DaemonException.unavailable(
          queueRefusal.getMessage() + "; last failure: " + lastFailure.getMessage());
    }
  }

  /**
   * What one attempt of a request does at one URL: usually a POST (see {@link #post}); the
   * blocks' REST fetch makes several GETs. It ends within {@code timeoutMs} in total, at
   * once when {@code cancel} completes, and fails with a {@link TransientFailure} (retried)
   * or a {@link DaemonException} (the daemon's answer). The loop holds one work-queue slot
   * for it; an exchange that sends more than one request at a time takes more slots, only
   * ones that are free now.
   */
  @FunctionalInterface
  public interface Exchange<T> {
    Future<T> attempt(DaemonUrl url, long timeoutMs, Future<Void> cancel);
  }

  /**
   * The backoff and attempt settings, from the options; {@code hedgeAfterMs} 0: no hedged
   * reads.
   */
  public record Settings(long initRetryMs, long maxRetryMs, long attemptTimeoutMs,
                         long hedgeAfterMs) {
  }
}
