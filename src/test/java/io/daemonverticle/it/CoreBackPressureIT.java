package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 11 item 13 against a real Bitcoin Core-family daemon: Litecoin Core with one RPC
 * thread and a work queue of 4 refuses most of a burst of 300 requests sent 32 at a time
 * ("Work queue depth exceeded", HTTP 500). Every request still succeeds, with the defaults of
 * the backoff and the breaker: the refusals cut the URL's limit, they do not open its circuit,
 * which stays closed all along.
 *
 * <p>The node's one RPC thread is held by a {@code waitfornewblock} call of its own for the
 * start of each burst: a node that answers each getblockcount in a few microseconds otherwise
 * drains its queue as fast as the requests come, and a fast machine saw five bursts of 300
 * without one refusal (2026-11-27 13:37 UTC).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class CoreBackPressureIT {

  private static final Logger LOG = LoggerFactory.getLogger(CoreBackPressureIT.class);

  private static final int HEIGHT = 2;
  private static final int BURST = 300;
  private static final int MAX_WORKQUEUE = 32;
  private static final long DEADLINE_MS = 20_000;
  private static final int MAX_BURSTS = 5;
  /** How long the node's RPC thread is held at the start of a burst (waitfornewblock). */
  private static final long HOLD_MS = 1_000;
  /** How long the hold has to reach the node before the burst is sent. */
  private static final long HOLD_HEAD_START_MS = 150;

  @RegisterExtension
  static final OneCoreNode CORE = new OneCoreNode(
      new CoreNode.Settings(false, 4, 1, CoreNode.Settings.TEST_SERVER_TIMEOUT_S), HEIGHT);

  @Test
  void burstLargerThanTheDaemonWorkQueueAllSucceeds(Vertx vertx, VertxTestContext ctx) {
    // No tuning: the contract's defaults for everything but the burst's own numbers.
    JsonObject config = Deployments.litecoinConfig(CORE.node().url())
        .put("maxWorkqueue", MAX_WORKQUEUE)
        .put("requestTimeoutMs", DEADLINE_MS)
        .put("initRetryMs", DaemonOptions.DEFAULT_INIT_RETRY_MS)
        .put("maxRetryMs", DaemonOptions.DEFAULT_MAX_RETRY_MS)
        .put("breakerResetMs", DaemonOptions.DEFAULT_BREAKER_RESET_MS)
        .put("attemptTimeoutMs", DaemonOptions.DEFAULT_ATTEMPT_TIMEOUT_MS);
    DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
    Set<String> circuitsSeen = ConcurrentHashMap.newKeySet();
    long[] poll = {-1};
    Deployments.deploy(vertx, config)
        .compose((String id) -> {
          // The circuit must stay closed all along, not only be closed again at the end.
          poll[0] = vertx.setPeriodic(20, (Long t) -> client.status()
              .onSuccess((JsonObject st) -> circuitsSeen.add(
              st.getJsonArray("urls").getJsonObject(0).getString("circuit"))));
          return bursts(vertx, WebClient.create(vertx), client, 1);
        })
        .andThen((AsyncResult<JsonObject> ar) -> vertx.cancelTimer(poll[0]))
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            JsonObject counters = status.getJsonObject("counters");
            assertThat(counters.getLong("backPressure")).as("the node did push back")
                .isPositive();
            assertThat(counters.getLong("unavailable")).isZero();
            assertThat(circuitsSeen).as("circuit states during the bursts")
                .containsOnly("CLOSED");
            JsonObject url = status.getJsonArray("urls").getJsonObject(0);
            assertThat(url.getString("circuit")).isEqualTo("CLOSED");
            assertThat(url.getInteger("limit")).isBetween(1, MAX_WORKQUEUE);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Bursts until the node has pushed back (on a loaded machine one burst may reach it too
   * slowly to fill its queue), at most {@link #MAX_BURSTS}; every request of each must
   * succeed. Answers the status after the last.
   */
  private static Future<JsonObject> bursts(Vertx vertx, WebClient web, DaemonClient client,
                                           int round) {
    List<Future<Integer>> burst = new ArrayList<>();
    // Its outcome does not matter (no block comes: it times out and answers the tip).
    Future<Object> hold = CORE.node().rpc(web, "waitfornewblock", HOLD_MS)
        .onFailure((Throwable t) -> LOG.info("waitfornewblock: {}", t.getMessage()));
    long[] sent = new long[1];
    return vertx.timer(HOLD_HEAD_START_MS).compose((Void t) -> {
      sent[0] = System.nanoTime();
      IntStream.range(0, BURST).forEach((int i) -> burst.add(client.height()));
      List<Future<?>> all = new ArrayList<>(burst);
      all.add(hold);
      return Future.join(all);
    }).transform((AsyncResult<CompositeFuture> ar) -> {
      LOG.info("burst {} of {} answered in {} ms", round, BURST,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent[0]));
      List<String> failed = IntStream.range(0, BURST)
          .filter((int i) -> burst.get(i).failed())
          .mapToObj((int i) -> i + ": " + burst.get(i).cause())
          .toList();
      assertThat(failed).as("requests of burst " + round + " that failed").isEmpty();
      assertThat(burst).allSatisfy((Future<Integer> f) -> assertThat(f.result()).isEqualTo(HEIGHT));
      return client.status();
    }).compose((JsonObject status) -> {
      LOG.info("status after burst {}: {}", round, status.getJsonObject("counters").encode());
      if (status.getJsonObject("counters").getLong("backPressure") > 0 || round >= MAX_BURSTS) {
        return Future.succeededFuture(status);
      }
      return bursts(vertx, web, client, round + 1);
    });
  }
}
