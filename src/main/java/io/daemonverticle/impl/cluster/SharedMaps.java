package io.daemonverticle.impl.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

/** Where the shared state's map comes from: Vert.x's shared data, or a test's stand-in. */
@FunctionalInterface
public interface SharedMaps {

  /** The cluster's map when Vert.x is clustered, this JVM's otherwise. */
  SharedMaps VERTX = (vertx, name) -> vertx.sharedData().getAsyncMap(name);

  Future<AsyncMap<String, Object>> get(Vertx vertx, String name);
}
