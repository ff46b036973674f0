package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cookie auth against a real Litecoin Core node: the service reads the daemon's cookie file,
 * and when the daemon restarts (a new cookie, then -28 while it loads) a burst of requests
 * sent while it was down is served in full once it is back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class CoreCookieRestartIT {

  private static final Logger LOG = LoggerFactory.getLogger(CoreCookieRestartIT.class);

  private static final int HEIGHT = 3;
  private static final int BURST = 50;
  /** Each request of the burst may wait this long: far longer than the restart takes. */
  private static final long DEADLINE_MS = 60_000;
  /** How long the node stays down with the burst waiting. */
  private static final long DOWN_MS = 1_000;

  @RegisterExtension
  static final OneCoreNode CORE = new OneCoreNode(CoreNode.Settings.cookieAuth(), HEIGHT);

  /** The node's URL without credentials: the cookie file is the only source of them. */
  private static String bareUrl() {
    return "http://127.0.0.1:" + CORE.node().port() + "/";
  }

  @Test
  void burstAcrossARestartIsServed(Vertx vertx, VertxTestContext ctx) {
    // The default maxWorkqueue (10): most of the burst waits for a work-queue slot while the
    // node is down and again while it answers -28, and is served from that line.
    JsonObject config = Deployments.litecoinConfig(bareUrl())
        .put("cookieFile", CORE.node().cookieFile().toString());
    String address = config.getString("address");
    DaemonClient client = DaemonClient.create(vertx, address);
    DaemonClient patient = DaemonClient.create(vertx, address, DEADLINE_MS);
    String cookieBefore = CORE.node().cookie();
    List<Future<Integer>> burst = new ArrayList<>();
    long[] sent = new long[1];
    Deployments.deploy(vertx, config)
        .compose((String id) -> client.height())
        .compose((Integer h) -> {
          ctx.verify(() -> assertThat(h).isEqualTo(HEIGHT));
          return RegtestNode.blocking(vertx, () -> {
            long start = System.nanoTime();
            CORE.node().stop();
            LOG.info("node stopped in {} ms", millisSince(start));
            return null;
          });
        })
        .compose((Object stopped) -> {
          sent[0] = System.nanoTime();
          IntStream.range(0, BURST).forEach((int i) -> burst.add(patient.height()));
          return vertx.timer(DOWN_MS);
        })
        .compose((Void t) -> RegtestNode.blocking(vertx, () -> {
          long start = System.nanoTime();
          CORE.node().restart();
          LOG.info("node restarted in {} ms", millisSince(start));
          return null;
        }))
        .compose((Object restarted) -> Future.join(new ArrayList<>(burst))
            .transform((AsyncResult<CompositeFuture> ar) -> {
          LOG.info("burst of {} answered {} ms after it was sent", BURST, millisSince(sent[0]));
          ctx.verify(() -> {
            assertThat(CORE.node().cookie()).as("a new cookie").isNotEqualTo(cookieBefore);
            List<String> failed = IntStream.range(0, BURST)
                .filter((int i) -> burst.get(i).failed())
                .mapToObj((int i) -> i + ": " + burst.get(i).cause())
                .toList();
            assertThat(failed).as("requests of the burst that failed").isEmpty();
            // The chain is on disk: the node comes back at the same height.
            assertThat(burst).allSatisfy((Future<Integer> f) -> assertThat(f.result())
                .isEqualTo(HEIGHT));
          });
          return client.status();
        }))
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            JsonObject counters = status.getJsonObject("counters");
            assertThat(counters.getLong("unavailable")).isZero();
            // The burst did meet the node down: it was retried, not served at once.
            assertThat(counters.getLong("retries")).isPositive();
            assertThat(status.encode()).doesNotContain(CORE.node().cookie().split(":", 2)[1])
                .doesNotContain(cookieBefore.split(":", 2)[1]);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  @Test
  void cookieFileFromTheEnvironment(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = Deployments.litecoinConfig(bareUrl());
    DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
    vertx.deployVerticle(
            new DaemonVerticle(Map.of("DAEMON_COOKIE_FILE", CORE.node().cookieFile().toString())),
            new DeploymentOptions().setConfig(config))
        .compose((String id) -> client.height())
        .map((Integer h) -> {
          ctx.verify(() -> assertThat(h).isEqualTo(HEIGHT));
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
