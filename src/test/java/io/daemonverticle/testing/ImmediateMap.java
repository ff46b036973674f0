package io.daemonverticle.testing;

import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An AsyncMap whose every operation is answered before it returns, with no Vert.x instance:
 * code on it completes its futures on the test's own thread, so a test asserts an outcome the
 * moment the call returns, and a future the code leaves incomplete fails the test at once
 * instead of making it wait for a timeout (which the mutation gate does not count as a kill).
 * Time-to-live arguments are ignored: the code under test must not rely on them.
 */
public final class ImmediateMap implements AsyncMap<String, Object> {

  private final Map<String, Object> entries = new HashMap<>();

  @Override
  public synchronized Future<Object> get(String k) {
    return Future.succeededFuture(entries.get(k));
  }

  @Override
  public synchronized Future<Void> put(String k, Object v) {
    entries.put(k, v);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> put(String k, Object v, long ttl) {
    return put(k, v);
  }

  @Override
  public synchronized Future<Object> putIfAbsent(String k, Object v) {
    return Future.succeededFuture(entries.putIfAbsent(k, v));
  }

  @Override
  public Future<Object> putIfAbsent(String k, Object v, long ttl) {
    return putIfAbsent(k, v);
  }

  @Override
  public synchronized Future<Object> remove(String k) {
    return Future.succeededFuture(entries.remove(k));
  }

  @Override
  public synchronized Future<Boolean> removeIfPresent(String k, Object v) {
    return Future.succeededFuture(entries.remove(k, v));
  }

  @Override
  public synchronized Future<Object> replace(String k, Object v) {
    return Future.succeededFuture(entries.replace(k, v));
  }

  @Override
  public Future<Object> replace(String k, Object v, long ttl) {
    return replace(k, v);
  }

  @Override
  public synchronized Future<Boolean> replaceIfPresent(String k, Object oldValue,
                                                       Object newValue) {
    return Future.succeededFuture(entries.replace(k, oldValue, newValue));
  }

  @Override
  public Future<Boolean> replaceIfPresent(String k, Object oldValue, Object newValue, long ttl) {
    return replaceIfPresent(k, oldValue, newValue);
  }

  @Override
  public synchronized Future<Void> clear() {
    entries.clear();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Integer> size() {
    return Future.succeededFuture(entries.size());
  }

  @Override
  public synchronized Future<Set<String>> keys() {
    return Future.succeededFuture(new HashSet<>(entries.keySet()));
  }

  @Override
  public synchronized Future<List<Object>> values() {
    return Future.succeededFuture(new ArrayList<>(entries.values()));
  }

  @Override
  public synchronized Future<Map<String, Object>> entries() {
    return Future.succeededFuture(new HashMap<>(entries));
  }
}
