package io.daemonverticle.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An AsyncMap in front of a real one whose operations a test can hold: {@link #hang()} makes
 * every later operation wait (never to complete unless {@link #resume()} runs them),
 * {@link #pauseAfter(int)} lets a few more through first. As a cluster's map does when a
 * member stalls or a partition migrates, and to interleave two instances' operations.
 */
public final class ControlledMap implements AsyncMap<String, Object> {

  private final AsyncMap<String, Object> real;
  private final List<Runnable> held = new ArrayList<>();
  private final AtomicInteger operations = new AtomicInteger();
  private boolean holding;
  private int passBeforeHolding = -1;
  private int passBeforeLosing = -1;
  private boolean failingReplaces;
  private boolean losingReplaces;
  private boolean failingReads;

  public ControlledMap(AsyncMap<String, Object> real) {
    this.real = real;
  }

  /** From now on operations wait. */
  public synchronized ControlledMap hang() {
    holding = true;
    passBeforeHolding = -1;
    return this;
  }

  /** The next {@code count} operations go through, those after them wait. */
  public synchronized ControlledMap pauseAfter(int count) {
    holding = false;
    passBeforeHolding = count;
    return this;
  }

  /**
   * The next {@code count} operations go through; those after them are done in the real map
   * but never answered: as for a member that dies after its write landed, before it heard so.
   */
  public synchronized ControlledMap loseRepliesAfter(int count) {
    passBeforeLosing = count;
    return this;
  }

  /**
   * Every compare-and-set ({@code replaceIfPresent}) fails at once, undone; reads and other
   * writes go through: a map whose writes time out while its reads answer.
   */
  public synchronized ControlledMap failReplaces() {
    failingReplaces = true;
    return this;
  }

  /**
   * Every compare-and-set ({@code replaceIfPresent}) answers false at once, undone, as when
   * another writer's value came first each time; reads and other writes go through.
   */
  public synchronized ControlledMap loseReplaces() {
    losingReplaces = true;
    return this;
  }

  /** Every read ({@code get}) fails at once; writes go through. */
  public synchronized ControlledMap failReads() {
    failingReads = true;
    return this;
  }

  /** Runs the first operation that waited (if any); the others, and later ones, still wait. */
  public ControlledMap resumeOne() {
    Runnable first;
    synchronized (this) {
      first = held.isEmpty() ? null : held.remove(0);
    }
    if (first != null) {
      first.run();
    }
    return this;
  }

  /** Operations go through again; those that waited never complete. */
  public synchronized ControlledMap heal() {
    holding = false;
    passBeforeHolding = -1;
    passBeforeLosing = -1;
    failingReplaces = false;
    losingReplaces = false;
    failingReads = false;
    held.clear();
    return this;
  }

  /** Operations go through again, those that waited first, in order. */
  public ControlledMap resume() {
    List<Runnable> waiting;
    synchronized (this) {
      holding = false;
      passBeforeHolding = -1;
      waiting = new ArrayList<>(held);
      held.clear();
    }
    waiting.forEach(Runnable::run);
    return this;
  }

  private synchronized boolean failingReplaces() {
    return failingReplaces;
  }

  private synchronized boolean failingReads() {
    return failingReads;
  }

  private synchronized boolean losingReplaces() {
    return losingReplaces;
  }

  public synchronized int heldOperations() {
    return held.size();
  }

  public int operations() {
    return operations.get();
  }

  private <T> Future<T> gate(Supplier<Future<T>> operation) {
    operations.incrementAndGet();
    Promise<T> promise = Promise.promise();
    synchronized (this) {
      if (passBeforeHolding == 0) {
        holding = true;
        passBeforeHolding = -1;
      } else if (passBeforeHolding > 0) {
        passBeforeHolding--;
      }
      if (holding) {
        held.add(() -> operation.get().onComplete(promise::tryComplete, promise::tryFail));
        return promise.future();
      }
      if (passBeforeLosing == 0) {
        operation.get();
        return promise.future();
      }
      if (passBeforeLosing > 0) {
        passBeforeLosing--;
      }
    }
    return operation.get();
  }

  @Override
  public Future<Object> get(String k) {
    if (failingReads()) {
      return Future.failedFuture("the map failed (ControlledMap.failReads)");
    }
    return gate(() -> real.get(k));
  }

  @Override
  public Future<Void> put(String k, Object v) {
    return gate(() -> real.put(k, v));
  }

  @Override
  public Future<Void> put(String k, Object v, long ttl) {
    return gate(() -> real.put(k, v, ttl));
  }

  @Override
  public Future<Object> putIfAbsent(String k, Object v) {
    return gate(() -> real.putIfAbsent(k, v));
  }

  @Override
  public Future<Object> putIfAbsent(String k, Object v, long ttl) {
    return gate(() -> real.putIfAbsent(k, v, ttl));
  }

  @Override
  public Future<Object> remove(String k) {
    return gate(() -> real.remove(k));
  }

  @Override
  public Future<Boolean> removeIfPresent(String k, Object v) {
    return gate(() -> real.removeIfPresent(k, v));
  }

  @Override
  public Future<Object> replace(String k, Object v) {
    return gate(() -> real.replace(k, v));
  }

  @Override
  public Future<Object> replace(String k, Object v, long ttl) {
    return gate(() -> real.replace(k, v, ttl));
  }

  @Override
  public Future<Boolean> replaceIfPresent(String k, Object oldValue, Object newValue) {
    if (failingReplaces()) {
      return Future.failedFuture("the map failed (ControlledMap.failReplaces)");
    }
    if (losingReplaces()) {
      return gate(() -> Future.succeededFuture(false));
    }
    return gate(() -> real.replaceIfPresent(k, oldValue, newValue));
  }

  @Override
  public Future<Boolean> replaceIfPresent(String k, Object oldValue, Object newValue, long ttl) {
    if (failingReplaces()) {
      return Future.failedFuture("the map failed (ControlledMap.failReplaces)");
    }
    return gate(() -> real.replaceIfPresent(k, oldValue, newValue, ttl));
  }

  @Override
  public Future<Void> clear() {
    return gate(real::clear);
  }

  @Override
  public Future<Integer> size() {
    return gate(real::size);
  }

  @Override
  public Future<Set<String>> keys() {
    return gate(real::keys);
  }

  @Override
  public Future<List<Object>> values() {
    return gate(real::values);
  }

  @Override
  public Future<Map<String, Object>> entries() {
    return gate(real::entries);
  }
}
