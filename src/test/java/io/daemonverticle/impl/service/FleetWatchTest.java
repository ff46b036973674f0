package io.daemonverticle.impl.service;

import static io.daemonverticle.testing.VirtualTime.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.resilience.ChainCheck;
import io.daemonverticle.impl.resilience.CircuitEvents;
import io.daemonverticle.impl.resilience.Endpoints;
import io.daemonverticle.impl.resilience.RpcCounters;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fleet watch's ticks in virtual time ({@link VirtualTime}): the next look at the URLs a
 * whole period after every URL of the last one answered (ticks never overlap), none after a
 * stop. The URLs answer no block 0 (unverified), so that each look is the whole check.
 */
@ExtendWith(VertxExtension.class)
class FleetWatchTest {

  private static final long PERIOD_MS = 1_000;
  private static final DaemonUrl FAST = DaemonUrl.parse("http://u:p@127.0.0.1:1", 8332, false);
  private static final DaemonUrl SLOW = DaemonUrl.parse("http://u:p@127.0.0.1:2", 8332, false);
  /** Answered: the URL's chain cannot be told, it is looked at again each period. */
  private static final ChainCheck.Outcome UNVERIFIED =
      new ChainCheck.Outcome(null, null, null, true, "no block 0");

  @Test
  void eachLookBeginsAPeriodAfterEveryUrlAnsweredTheLast(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    Map<DaemonUrl, List<Long>> checkedAtMs = new ConcurrentHashMap<>();
    Map<DaemonUrl, Long> takesMs = Map.of(FAST, 40L, SLOW, 300L);
    ChainCheck check = (DaemonUrl url, long timeoutMs) -> {
      checkedAtMs.computeIfAbsent(url, (DaemonUrl u) -> new ArrayList<>()).add(time.nowMs());
      Promise<ChainCheck.Outcome> outcome = Promise.promise();
      time.setTimer(takesMs.get(url), (Long id) -> outcome.complete(UNVERIFIED));
      return outcome.future();
    };
    // The check's own bound is far beyond anything here.
    Endpoints endpoints = new Endpoints(vertx, List.of(FAST, SLOW),
        new Endpoints.BreakerSettings(3, 60_000, 10), new RpcCounters(),
        new CircuitEvents(vertx, null),
        new Endpoints.FleetSettings(check, 0, 600_000, time));
    FleetWatch watch = new FleetWatch(time, endpoints, null, PERIOD_MS, 5_000);
    on(context, watch::start)
        .compose((Void v) -> time.advance(2_600))
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(checkedAtMs.get(FAST)).as("the slow URL ends each look at +300 ms")
                .containsExactly(1L, 1_301L);
            assertThat(checkedAtMs.get(SLOW)).containsExactly(1L, 1_301L);
            assertThat(watch.ticks()).as("ended at 301 and 1,601 ms").isEqualTo(2);
          });
          return time.advance(1);
        })
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(checkedAtMs.get(FAST)).containsExactly(1L, 1_301L, 2_601L);
            assertThat(watch.ticks()).as("the third is under way").isEqualTo(2);
          });
          return time.advance(300);
        })
        .compose((Void v) -> on(context, watch::stop))
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(watch.ticks()).isEqualTo(3);
            assertThat(time.pending()).as("the next tick cancelled by the stop").isZero();
          });
          return time.advance(10 * PERIOD_MS);
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(checkedAtMs.get(FAST)).containsExactly(1L, 1_301L, 2_601L);
          assertThat(checkedAtMs.get(SLOW)).containsExactly(1L, 1_301L, 2_601L);
          endpoints.close();
          ctx.completeNow();
        })));
  }
}
