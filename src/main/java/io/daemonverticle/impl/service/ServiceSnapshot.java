package io.daemonverticle.impl.service;

import io.daemonverticle.impl.blocks.RestBlocks;
import io.daemonverticle.impl.resilience.Endpoints;
import io.daemonverticle.impl.resilience.RpcCounters;
import io.daemonverticle.impl.resilience.UrlStanding;
import io.daemonverticle.impl.resilience.WorkQueue;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.ArrayList;
import java.util.List;

/**
 * What one service instance is doing at one moment: its URLs and their circuits, its work
 * queue and its counts. Immutable, so the status reply, the health probe and the meters read
 * it from any thread without reaching into the parts that keep the counts.
 *
 * @param urls            each daemon URL in configured order (without credentials)
 * @param currentIndex    the URL requests go to now
 * @param inFlight        requests in flight to the daemon
 * @param queued          requests waiting for a work-queue slot
 * @param maxInFlightSeen the most requests ever in flight at once
 * @param counts          what the retry path has counted
 * @param lastKnownHeight the last height this instance saw (null: none yet)
 * @param heightPublications height changes this instance published
 * @param heightPolls     polls of the daemon's height this instance made
 * @param cacheLoads      shared-cache entries this instance loaded from the daemon
 * @param answered        requests answered
 * @param failed          requests failed
 * @param tip             the tip as this instance last saw it published, and its counts
 */
public record ServiceSnapshot(List<Url> urls, int currentIndex, int inFlight, int queued,
                              long maxInFlightSeen, Counts counts, Integer lastKnownHeight,
                              long heightPublications, long heightPolls, long cacheLoads,
                              long answered, long failed, TipSeen tip) {

  public ServiceSnapshot {
    urls = List.copyOf(urls);
  }

  /**
   * One daemon URL as its circuit, its share of the work queue and its chain stand.
   *
   * @param verdict     its chain check: UNCHECKED, UNVERIFIED, GOOD or QUARANTINED
   * @param quarantined why it is quarantined (null: it is not)
   * @param chain       the chain it says it is on (null: unknown)
   * @param height      its last polled height (null: unknown)
   * @param behind      blocks behind the best height any URL gave in the last minute
   * @param syncing     still syncing (initial download, headers ahead of blocks)
   * @param lagging     behind by maxLagBlocks or more, or syncing: the last choice
   * @param pruneHeight its lowest block where it prunes (null: not pruned, or unknown)
   * @param advice      what would cure what was seen there (null: nothing known)
   */
  public record Url(String url, CircuitBreakerState circuit, long failures, int limit,
                    int inFlight, String verdict, String quarantined, String chain,
                    Integer height, Integer behind, boolean syncing, boolean lagging,
                    Integer pruneHeight, String advice) {
  }

  /**
   * The tip as this instance last read or wrote it in the shared map.
   *
   * @param height          the tip's height (null: none published or read yet)
   * @param hash            its hash (null: none)
   * @param publications    tip publications this instance made
   * @param republications  of those, publications a poller before it had left unconfirmed
   */
  public record TipSeen(Integer height, String hash, long publications, long republications) {
  }

  /** The retry path's counts (see {@code RpcCounters}). */
  public record Counts(long requests, long retries, long failovers, long transientFailures,
                       long daemonErrors, long unavailable, long backPressure, long hedges,
                       long offloaded, long restBlocks, long restFallbacks) {

    static Counts of(RpcCounters c) {
      return new Counts(c.requests(), c.retries(), c.failovers(), c.transientFailures(),
          c.daemonErrors(), c.unavailable(), c.backPressure(), c.hedges(), c.offloaded(),
          c.restBlocks(), c.restFallbacks());
    }
  }

  /** True when every URL is quarantined: nothing can be served. */
  public boolean allQuarantined() {
    return urls.stream().allMatch(u -> u.quarantined() != null);
  }

  /** The URL requests go to now. */
  public Url currentUrl() {
    return urls.get(currentIndex);
  }

  static List<Url> urlsOf(Endpoints endpoints, String net, RestBlocks rest) {
    List<Url> urls = new ArrayList<>(endpoints.size());
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoints.Endpoint e = endpoints.get(i);
      UrlStanding s = e.standing();
      urls.add(new Url(e.url().toString(), e.circuitState(), e.failureCount(),
          e.limit().current(), e.limit().inFlight(), s.verdict().name(),
          s.quarantineReason(), s.chain(), s.height(), endpoints.behind(i), s.syncing(),
          endpoints.lagging(i), s.pruneHeight(), UrlAdvice.of(endpoints, i, net,
          rest == null ? null : rest.servesRest(e.url()))));
    }
    return urls;
  }

  static ServiceSnapshot of(Endpoints endpoints, String net, RestBlocks rest,
                            WorkQueue workQueue,
                            RpcCounters counters,
                            Integer lastKnownHeight, long heightPublications, long heightPolls,
                            long cacheLoads, long answered, long failed, TipSeen tip) {
    return new ServiceSnapshot(urlsOf(endpoints, net, rest), endpoints.currentIndex(),
        workQueue.inFlight(), workQueue.queued(), workQueue.highWater(), Counts.of(counters),
        lastKnownHeight, heightPublications, heightPolls, cacheLoads, answered, failed, tip);
  }
}
