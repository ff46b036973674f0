package io.daemonverticle.testing;

import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@link TimeSource} whose time moves only when the test says: what is asserted about time
 * (a backoff sequence, a deadline, a lease running out) is exact, and a test of a minute of
 * backoffs takes milliseconds.
 *
 * <p>Threading is the code's own: a timer fires on the Vert.x context that set it (the clock's
 * context when set from elsewhere), through {@link Context#runOnContext}, as a Vert.x timer
 * does. The time of a firing timer reads as its due time while its handler runs. Timer ids
 * start at 0, as Vert.x 5's may: "no timer" must be -1, not 0, in the code under test.
 *
 * <p>Two ways to move time: {@link #advance(long)} (the test knows what is due) and
 * {@link #runUntil(Future, BooleanSupplier)} (the code under test mixes real work, an HTTP
 * exchange, with its timers: time jumps to the next timer only while the code waits for
 * nothing but time).
 */
public final class VirtualTime implements TimeSource {

  /** Far from 0: code that takes a reading of 0 for "never" shows itself. */
  private static final long ORIGIN_NANOS = TimeUnit.DAYS.toNanos(11);
  /** How often {@link #runUntil} looks again, in real time, while real work is going on. */
  private static final long POLL_MS = 1;

  private final Vertx vertx;
  private final Context context;
  private final PriorityQueue<Timer> pending = new PriorityQueue<>();
  private final List<Scheduled> history = new ArrayList<>();
  private long nowNanos = ORIGIN_NANOS;
  /** The wall clock's reading at the start: it moves on with the virtual time only. */
  private final long originMillis = System.currentTimeMillis();
  private long nextId;

  /** A timer set at {@code atMs} (virtual, from the start) to fire {@code delayMs} later. */
  public record Scheduled(long atMs, long delayMs) {
  }

  private record Timer(long id, long dueNanos, Handler<Long> handler, Context context)
      implements Comparable<Timer> {
    @Override
    public int compareTo(Timer other) {
      int byDue = Long.compare(dueNanos, other.dueNanos);
      return byDue != 0 ? byDue : Long.compare(id, other.id);
    }
  }

  /**
   * A virtual time that starts at 0 ms.
   *
   * @param context where timers set off any Vert.x context fire, and where
   *                {@link #runUntil} looks at the code under test: the code's own context
   */
  public VirtualTime(Context context) {
    this.vertx = context.owner();
    this.context = context;
  }

  @Override
  public synchronized long nanoTime() {
    return nowNanos;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return originMillis + nowMs();
  }

  /** Milliseconds since this time started. */
  public synchronized long nowMs() {
    return (nowNanos - ORIGIN_NANOS) / 1_000_000L;
  }

  @Override
  public long setTimer(long delayMs, Handler<Long> handler) {
    if (delayMs < 1) {
      // As Vert.x: a timer of less than 1 ms is a bug of the caller.
      throw new IllegalArgumentException("Cannot schedule a timer with delay < 1 ms");
    }
    Context here = Vertx.currentContext();
    synchronized (this) {
      long id = nextId++;
      pending.add(new Timer(id, nowNanos + delayMs * 1_000_000L, handler,
          here != null ? here : context));
      history.add(new Scheduled(nowMs(), delayMs));
      return id;
    }
  }

  @Override
  public synchronized boolean cancelTimer(long id) {
    return pending.removeIf(t -> t.id == id);
  }

  /** Every timer set so far, in order, cancelled and fired ones included. */
  public synchronized List<Scheduled> history() {
    return List.copyOf(history);
  }

  /** The delays of every timer set so far, in order. */
  public synchronized List<Long> delaysSet() {
    return history.stream().map(Scheduled::delayMs).toList();
  }

  /** Timers set and neither fired nor cancelled. */
  public synchronized int pending() {
    return pending.size();
  }

  /**
   * Runs {@code work} on {@code context}, where the code under test lives (start, stop), and
   * completes once it ran: the clock's timers then fire beside it in order. Fails with what
   * {@code work} throws (an assertion in it), which would otherwise leave the test waiting.
   */
  public static Future<Void> on(Context context, Runnable work) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.run();
        done.complete();
      } catch (RuntimeException | AssertionError e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  /**
   * Completes, on the clock's context, once {@code condition} holds there: the signal that
   * the code reached a state (a backoff set, a request waiting in line) before the test moves
   * the time or asserts that something did not happen. Looked at every millisecond of real
   * time; the test's own timeout bounds the wait.
   */
  public Future<Void> once(BooleanSupplier condition) {
    Promise<Void> met = Promise.promise();
    context.runOnContext(v -> check(condition, met));
    return met.future();
  }

  private void check(BooleanSupplier condition, Promise<Void> met) {
    if (condition.getAsBoolean()) {
      met.complete();
    } else {
      vertx.setTimer(POLL_MS, id -> context.runOnContext(v -> check(condition, met)));
    }
  }

  /**
   * Moves the time on by {@code ms}, firing each timer due by then in order, each at its own
   * due time, each on its context; a timer set by a handler fires too when due in the span.
   * Completes once the last handler and what it queued on its context have run.
   */
  public Future<Void> advance(long ms) {
    return advanceNanos(ms * 1_000_000L);
  }

  /** As {@link #advance(long)}, by {@code nanos}: for a clock compared to the nanosecond. */
  public Future<Void> advanceNanos(long nanos) {
    long target;
    synchronized (this) {
      target = nowNanos + nanos;
    }
    return fireUntil(target);
  }

  /** Moves the time to the earliest pending timer and fires it (and any due with it). */
  public Future<Void> advanceToNextTimer() {
    Timer next;
    synchronized (this) {
      next = pending.peek();
    }
    return next == null ? Future.failedFuture(new AssertionError("no timer is pending"))
        : fireUntil(next.dueNanos);
  }

  /**
   * Completes as {@code outcome} does. Meanwhile, whenever {@code idle} holds and a timer is
   * pending, moves the time to it and fires it: {@code idle} says the code under test waits
   * for nothing but time (no request on the wire), read on the clock's context, where the
   * code runs, so it never sees a state half changed. Time stands still while the code does
   * real work: an HTTP exchange takes no virtual time. Fails when the code waits for nothing
   * and no timer is pending, look after look ({@code STALLED_LOOKS}), without
   * {@code outcome}: nothing can complete it any more (a request left unanswered), and
   * failing at once says so where waiting would only run into the test's time limit.
   */
  public <T> Future<T> runUntil(Future<T> outcome, BooleanSupplier idle) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> step(outcome, idle, done, 0));
    return done.future();
  }

  /**
   * How many looks in a row may find the code idle with no timer pending before
   * {@link #runUntil} gives up: more than the few hops on the context that a step of the
   * code under test takes between a slot given back and the next attempt or timer.
   */
  private static final int STALLED_LOOKS = 100;

  private <T> void step(Future<T> outcome, BooleanSupplier idle, Promise<T> done,
                        int stalledLooks) {
    if (outcome.isComplete()) {
      outcome.onComplete(done);
      return;
    }
    boolean timerDue;
    synchronized (this) {
      timerDue = !pending.isEmpty();
    }
    boolean waitsForNothingElse = idle.getAsBoolean();
    if (timerDue && waitsForNothingElse) {
      advanceToNextTimer().onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
        } else {
          step(outcome, idle, done, 0);
        }
      });
    } else if (waitsForNothingElse && stalledLooks >= STALLED_LOOKS) {
      done.tryFail(new AssertionError("stalled at " + nowMs() + " ms: no answer, no timer "
          + "pending, and the code waits for nothing else"));
    } else {
      int stalled = waitsForNothingElse ? stalledLooks + 1 : 0;
      vertx.setTimer(POLL_MS,
          id -> context.runOnContext(v -> step(outcome, idle, done, stalled)));
    }
  }

  private Future<Void> fireUntil(long targetNanos) {
    Timer next;
    synchronized (this) {
      next = pending.peek();
      if (next == null || next.dueNanos - targetNanos > 0) {
        nowNanos = Math.max(nowNanos, targetNanos);
        next = null;
      } else {
        pending.poll();
        nowNanos = Math.max(nowNanos, next.dueNanos);
      }
    }
    if (next == null) {
      return settled(context);
    }
    Timer firing = next;
    Promise<Void> ran = Promise.promise();
    firing.context.runOnContext(v -> {
      try {
        firing.handler.handle(firing.id);
      } finally {
        settled(firing.context).onComplete(ran);
      }
    });
    return ran.future().compose(v -> fireUntil(targetNanos));
  }

  /**
   * Completes once what was queued on {@code on} by now has run, and what that queued in turn
   * (futures completing one after another on the context): a few rounds through it.
   */
  private static Future<Void> settled(Context on) {
    Future<Void> rounds = Future.succeededFuture();
    for (int i = 0; i < 3; i++) {
      rounds = rounds.compose(v -> {
        Promise<Void> round = Promise.promise();
        on.runOnContext(w -> round.complete());
        return round.future();
      });
    }
    return rounds;
  }
}
