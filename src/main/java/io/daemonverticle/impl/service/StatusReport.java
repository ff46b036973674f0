package io.daemonverticle.impl.service;

import io.daemonverticle.impl.config.Secrets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The status reply: which instance answered, what it serves, and what it has counted, read
 * from one {@link ServiceSnapshot}. The one thing read from the cluster, the cached height, is
 * waited for {@link #CLUSTER_READ_MS} at most: a status must answer when the cluster does not,
 * the more so then, saying what it could not read.
 */
public final class StatusReport {

  /** Longest the status waits for the cluster's map. */
  static final long CLUSTER_READ_MS = 800;

  private final JsonObject identity;
  private final LiveInstance live;

  /**
   * @param identity what does not change: node, kind, coin, net, address
   */
  public StatusReport(JsonObject identity, LiveInstance live) {
    this.identity = identity;
    this.live = live;
  }

  public Future<JsonObject> get() {
    return live.cachedHeight(CLUSTER_READ_MS).transform(ar -> Future.succeededFuture(
        report(live.snapshot(), ar.succeeded() ? ar.result() : null,
            ar.succeeded() ? null : Secrets.mask(ar.cause().getMessage()))));
  }

  private JsonObject report(ServiceSnapshot now, Integer cachedHeight, String clusterError) {
    JsonArray urls = new JsonArray();
    for (int i = 0; i < now.urls().size(); i++) {
      ServiceSnapshot.Url url = now.urls().get(i);
      urls.add(new JsonObject()
          .put("url", url.url())
          .put("current", i == now.currentIndex())
          .put("circuit", url.circuit().name())
          .put("failures", url.failures())
          .put("limit", url.limit())
          .put("inFlight", url.inFlight())
          .put("chainCheck", url.verdict())
          .put("quarantined", url.quarantined())
          .put("chain", url.chain())
          .put("height", url.height())
          .put("behind", url.behind())
          .put("syncing", url.syncing())
          .put("lagging", url.lagging())
          .put("pruneHeight", url.pruneHeight())
          .put("advice", url.advice()));
    }
    ServiceSnapshot.Counts counts = now.counts();
    return new JsonObject()
        .put("urls", urls)
        .put("currentUrl", now.currentUrl().url())
        .put("inFlight", now.inFlight())
        .put("queued", now.queued())
        .put("counters", new JsonObject()
            .put("requests", counts.requests())
            .put("retries", counts.retries())
            .put("failovers", counts.failovers())
            .put("transientFailures", counts.transientFailures())
            .put("daemonErrors", counts.daemonErrors())
            .put("unavailable", counts.unavailable())
            .put("backPressure", counts.backPressure())
            .put("hedges", counts.hedges())
            .put("offloaded", counts.offloaded())
            .put("restBlocks", counts.restBlocks())
            .put("restFallbacks", counts.restFallbacks())
            .put("maxInFlightSeen", now.maxInFlightSeen()))
        .mergeIn(identity)
        .put("cachedHeight", cachedHeight)
        .put("clusterError", clusterError)
        .put("heightPublications", now.heightPublications())
        .put("heightPolls", now.heightPolls())
        .put("tip", new JsonObject()
            .put("height", now.tip().height())
            .put("hash", now.tip().hash())
            .put("publications", now.tip().publications())
            .put("republications", now.tip().republications()))
        .put("cacheLoads", now.cacheLoads())
        .put("answered", now.answered())
        .put("failed", now.failed());
  }
}
