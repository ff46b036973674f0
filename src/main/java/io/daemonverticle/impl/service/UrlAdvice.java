package io.daemonverticle.impl.service;

import io.daemonverticle.impl.resilience.Endpoints;
import io.daemonverticle.impl.resilience.UrlStanding;

/**
 * One line of advice per daemon URL, where what was seen there has a known cure: for the
 * status reply and the readiness body, so that an operator reads what to change, not only
 * what went wrong. The worst thing seen comes first; one line each.
 */
final class UrlAdvice {

  private UrlAdvice() {
  }

  /**
   * The advice for the URL at {@code index}, or null when nothing calls for any.
   *
   * @param servesRest what the URL said to the REST probe (null: not asked, or restBlocks off)
   */
  static String of(Endpoints endpoints, int index, String net, Boolean servesRest) {
    Endpoints.Endpoint e = endpoints.get(index);
    UrlStanding s = e.standing();
    String url = e.url().toString();
    if (s.quarantined()) {
      return "point " + url + " at a " + net + " node, or remove it: " + s.quarantineReason();
    }
    if (s.syncing()) {
      return url + " is still syncing (blocks " + s.height() + ", headers " + s.headers()
          + "): it serves only while no synced URL can";
    }
    if (endpoints.lagging(index)) {
      return url + " is " + endpoints.behind(index) + " blocks behind the best URL: check its "
          + "peers and its disk; it serves only while no URL that is not behind can";
    }
    if (s.wasClosedByServerTimeout()) {
      return url + " closed a connection under a request after about 30 s: raise its "
          + "-rpcservertimeout above attemptTimeoutMs";
    }
    if (e.limit().current() < e.limit().max()) {
      return url + " refused requests for a full work queue: raise its -rpcworkqueue (or "
          + "lower maxWorkqueue to " + e.limit().current() + ")";
    }
    if (s.pruneHeight() != null) {
      return url + " is pruned below height " + s.pruneHeight() + ": add an unpruned URL for "
          + "older blocks";
    }
    if (Boolean.FALSE.equals(servesRest)) {
      return url + " does not serve REST (404): start it with -rest=1 for blocks at the wire's "
          + "speed (JSON-RPC hex is used meanwhile)";
    }
    return null;
  }
}
