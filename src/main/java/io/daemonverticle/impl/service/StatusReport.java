package io.daemonverticle.impl.service;

import io.daemonverticle.impl.bus.RequestDispatcher;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.rpc.Endpoints;
import io.daemonverticle.impl.rpc.RpcCounters;
import io.daemonverticle.impl.rpc.WorkQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The status reply: which instance answered, what it serves, and what every part of it has
 * counted. The parts keep their own counts; this only reads them. The one thing read from the
 * cluster, the cached height, is waited for {@link #CLUSTER_READ_MS} at most: a status must
 * answer when the cluster does not, the more so then, saying what it could not read.
 */
public final class StatusReport {

  /** Longest the status waits for the cluster's map. */
  static final long CLUSTER_READ_MS = 800;

  private final JsonObject identity;
  private final Endpoints endpoints;
  private final WorkQueue workQueue;
  private final RpcCounters counters;
  private final SharedState shared;
  private final HeightPoller poller;
  private final RequestDispatcher dispatcher;

  /**
   * @param identity what does not change: node, kind, coin, net, address
   */
  public StatusReport(JsonObject identity, Endpoints endpoints, WorkQueue workQueue,
                      RpcCounters counters, SharedState shared, HeightPoller poller,
                      RequestDispatcher dispatcher) {
    this.identity = identity;
    this.endpoints = endpoints;
    this.workQueue = workQueue;
    this.counters = counters;
    this.shared = shared;
    this.poller = poller;
    this.dispatcher = dispatcher;
  }

  public Future<JsonObject> get() {
    return shared.cachedHeight(CLUSTER_READ_MS).transform(ar -> Future.succeededFuture(
        report(ar.succeeded() ? ar.result() : null,
            ar.succeeded() ? null : ar.cause().getMessage())));
  }

  private JsonObject report(Integer cachedHeight, String clusterError) {
    JsonArray urls = new JsonArray();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoints.Endpoint e = endpoints.get(i);
      urls.add(new JsonObject()
          .put("url", e.url().toString())
          .put("current", i == endpoints.currentIndex())
          .put("circuit", e.circuitState().name())
          .put("failures", e.failureCount())
          .put("limit", e.limit().current())
          .put("inFlight", e.limit().inFlight()));
    }
    return new JsonObject()
        .put("urls", urls)
        .put("currentUrl", endpoints.current().url().toString())
        .put("inFlight", workQueue.inFlight())
        .put("queued", workQueue.queued())
        .put("counters", new JsonObject()
            .put("requests", counters.requests())
            .put("retries", counters.retries())
            .put("failovers", counters.failovers())
            .put("transientFailures", counters.transientFailures())
            .put("daemonErrors", counters.daemonErrors())
            .put("unavailable", counters.unavailable())
            .put("backPressure", counters.backPressure())
            .put("hedges", counters.hedges())
            .put("offloaded", counters.offloaded())
            .put("restBlocks", counters.restBlocks())
            .put("restFallbacks", counters.restFallbacks())
            .put("maxInFlightSeen", workQueue.highWater()))
        .mergeIn(identity)
        .put("cachedHeight", cachedHeight)
        .put("clusterError", clusterError)
        .put("heightPublications", shared.publications())
        .put("heightPolls", poller.polls())
        .put("cacheLoads", shared.cacheLoads())
        .put("answered", dispatcher.answered())
        .put("failed", dispatcher.failed());
  }
}
