package io.daemonverticle.impl.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.resilience.ChainCheck;
import io.daemonverticle.impl.resilience.CircuitEvents;
import io.daemonverticle.impl.resilience.Endpoints;
import io.daemonverticle.impl.resilience.RpcCounters;
import io.daemonverticle.impl.resilience.UrlPoll;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One line of advice per URL: the worst thing seen first, none when nothing calls for it. */
@ExtendWith(VertxExtension.class)
class UrlAdviceTest {

  private static ChainCheck.Outcome poll(int height, boolean syncing, Integer pruneHeight) {
    return new ChainCheck.Outcome(null, "regtest", new UrlPoll(height, height + 5, syncing,
        pruneHeight), true, null);
  }

  @Test
  void theWorstThingSeenComesFirst(Vertx vertx) {
    Endpoints e = new Endpoints(vertx, List.of(
        DaemonUrl.parse("http://u:p@127.0.0.1:3001/", null, false),
        DaemonUrl.parse("http://u:p@127.0.0.1:3002/", null, false)),
        new Endpoints.BreakerSettings(3, 60_000, 8), new RpcCounters(),
        new CircuitEvents(vertx, null),
        new Endpoints.FleetSettings(ChainCheck.NONE, 2, 1_000, null));
    try {
      String url = "127.0.0.1:3001/";
      assertThat(UrlAdvice.of(e, 0, "regtest", null)).as("nothing seen").isNull();
      assertThat(UrlAdvice.of(e, 0, "regtest", true)).isNull();
      assertThat(UrlAdvice.of(e, 0, "regtest", false)).isEqualTo(url + " does not serve REST "
          + "(404): start it with -rest=1 for blocks at the wire's speed (JSON-RPC hex is used "
          + "meanwhile)");
      e.judged(0, poll(100, false, 40));
      e.judged(1, poll(100, false, null));
      assertThat(UrlAdvice.of(e, 0, "regtest", false)).isEqualTo(url + " is pruned below "
          + "height 40: add an unpruned URL for older blocks");
      e.get(0).standing().closedByServerTimeout();
      assertThat(UrlAdvice.of(e, 0, "regtest", false)).isEqualTo(url + " closed a connection "
          + "under a request after about 30 s: raise its -rpcservertimeout above "
          + "attemptTimeoutMs");
      e.judged(1, poll(110, false, null));
      assertThat(UrlAdvice.of(e, 0, "regtest", false)).isEqualTo(url + " is 10 blocks behind "
          + "the best URL: check its peers and its disk; it serves only while no URL that is "
          + "not behind can");
      e.judged(0, poll(110, true, null));
      assertThat(UrlAdvice.of(e, 0, "regtest", false)).isEqualTo(url + " is still syncing "
          + "(blocks 110, headers 115): it serves only while no synced URL can");
      e.judged(0, new ChainCheck.Outcome(url + " is on chain \"main\", not on the configured "
          + "net regtest", "main", null, true, null));
      assertThat(UrlAdvice.of(e, 0, "regtest", false)).isEqualTo("point " + url + " at a "
          + "regtest node, or remove it: " + url + " is on chain \"main\", not on the "
          + "configured net regtest");
      assertThat(UrlAdvice.of(e, 1, "regtest", null)).as("the other URL").isNull();
    } finally {
      e.close();
    }
  }
}
