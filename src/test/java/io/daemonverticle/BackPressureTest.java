package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The daemon's back-pressure ("Work queue depth exceeded") is not a dead URL: the circuit
 * stays closed, the number of requests kept in flight to the URL adapts, and a burst larger
 * than the daemon's work queue all succeeds with the default settings of the breaker and the
 * backoff. A URL that refuses even one request at a time still opens its circuit.
 */
@ExtendWith(VertxExtension.class)
class BackPressureTest {

  private static final int TIP = 50;

  /** The contract's defaults for what the test config of Deployments makes fast. */
  private static JsonObject untuned(JsonObject config) {
    return config
        .put("initRetryMs", DaemonOptions.DEFAULT_INIT_RETRY_MS)
        .put("maxRetryMs", DaemonOptions.DEFAULT_MAX_RETRY_MS)
        .put("breakerResetMs", DaemonOptions.DEFAULT_BREAKER_RESET_MS)
        .put("attemptTimeoutMs", DaemonOptions.DEFAULT_ATTEMPT_TIMEOUT_MS);
  }

  @Test
  void burstLargerThanTheDaemonQueueAllSucceedsAndTheCircuitStaysClosed(Vertx vertx,
                                                                       VertxTestContext ctx) {
    int burst = 300;
    Set<String> circuitsSeen = ConcurrentHashMap.newKeySet();
    long[] poll = {-1};
    Service.start(vertx, TIP, (JsonObject c) -> untuned(c).put("maxWorkqueue", 32)
        .put("requestTimeoutMs", 20_000)).compose((Service s) -> {
      s.fake.setLatency(20).setWorkQueue(4);
      poll[0] = vertx.setPeriodic(20, (Long id) -> s.client.status()
          .onSuccess((JsonObject st) -> circuitsSeen.add(url(st).getString("circuit"))));
      List<Future<Integer>> heights = new ArrayList<>();
      IntStream.range(0, burst).forEach((int i) -> heights.add(s.client.height()));
      return Future.join(new ArrayList<>(heights)).transform((AsyncResult<CompositeFuture> ar) -> {
        vertx.cancelTimer(poll[0]);
        List<String> failed = IntStream.range(0, burst).filter((int i) -> heights.get(i).failed())
            .mapToObj((int i) -> i + ": " + heights.get(i).cause().getMessage()).toList();
        assertThat(failed).as("requests of the burst that failed").isEmpty();
        assertThat(heights).allSatisfy((Future<Integer> h) -> assertThat(h.result())
            .isEqualTo(TIP));
        assertThat(s.fake.workQueueRefusals()).as("the daemon did push back").isPositive();
        return s.client.status();
      }).map((JsonObject status) -> {
        assertThat(circuitsSeen).containsOnly("CLOSED");
        JsonObject url = url(status);
        assertThat(url.getString("circuit")).isEqualTo("CLOSED");
        assertThat(url.getInteger("limit")).isBetween(1, 32);
        JsonObject counters = status.getJsonObject("counters");
        assertThat(counters.getLong("backPressure")).isEqualTo(s.fake.workQueueRefusals());
        assertThat(counters.getLong("failovers")).isZero();
        assertThat(counters.getLong("unavailable")).isZero();
        return status;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theLimitIsCutByBackPressureAndGrowsBackOnAnswers(Vertx vertx, VertxTestContext ctx) {
    int max = 16;
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", max).put("requestTimeoutMs",
        20_000))
        .compose((Service s) -> {
          s.fake.setLatency(10);
          return s.client.status().compose((JsonObject before) -> {
            assertThat(url(before).getInteger("limit")).as("starts at maxWorkqueue")
                .isEqualTo(max);
            s.fake.setWorkQueue(2);
            return burst(s, 60);
          }).compose((Void v) -> s.client.status()).compose((JsonObject cut) -> {
            assertThat(s.fake.workQueueRefusals()).isPositive();
            assertThat(url(cut).getInteger("limit")).as("cut near the daemon's queue of 2")
                .isBetween(1, 4);
            assertThat(s.fake.maxConcurrent()).isLessThan(max);
            s.fake.setWorkQueue(-1);
            // Growing by one per `limit` answers, from at most 4 to 16 takes < 150 answers.
            return burst(s, 200);
          }).compose((Void v) -> s.client.status()).map((JsonObject grown) -> {
            assertThat(url(grown).getInteger("limit")).as("grown back, never above the max")
                .isEqualTo(max);
            assertThat(url(grown).getInteger("inFlight")).isZero();
            return grown;
          });
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRequestOverTheLimitWaitsInTheWorkQueueUntilItsDeadline(Vertx vertx,
                                                               VertxTestContext ctx) {
    Promise<Object> release = Promise.promise();
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", 8)).compose((Service s) -> {
      s.fake.setWorkQueue(1).handle("getrawmempool", (JsonArray p) -> release.future());
      Future<Object> held = s.ask(Actions.MEMPOOL_HASHES, null);
      // The daemon is full with the held one: this is refused, the limit drops to 1, and
      // the retry waits in our work queue, not at the daemon, until its deadline.
      return until(vertx, () -> s.fake.inFlight() == 1)
          .compose((Void v) -> s.failure(Actions.MEMPOOL_HASHES, null, "600"))
          .compose((DaemonException e) -> {
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.getMessage()).contains("deadline passed while waiting in the work "
                + "queue").contains("1 allowed now").contains("Work queue depth exceeded");
            assertThat(s.fake.workQueueRefusals()).as("refused once, then waited here")
                .isEqualTo(1);
            release.complete(new JsonArray());
            return held;
          }).compose((Object v) -> s.client.status()).map((JsonObject status) -> {
            assertThat(url(status).getString("circuit")).isEqualTo("CLOSED");
            return status;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aUrlRefusingEvenOneRequestAtATimeOpensItsCircuit(Vertx vertx, VertxTestContext ctx) {
    // A proxy answering 503 for a dead daemon behind it: no load of ours explains that.
    FakeDaemon.bitcoinLike(vertx, TIP + 1).compose((FakeDaemon refusing) -> {
      refusing.setWorkQueue(0);
      return FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon healthy) -> {
        String urls = refusing.url("u", "p") + "," + healthy.url("u", "p");
        return Service.deploy(vertx, healthy, (JsonObject c) -> c.put("daemonUrl", urls)
                .put("breakerResetMs", 60_000))
            .compose((Service s) -> s.client.height().compose((Integer h) -> {
              assertThat(h).as("answered by the second URL").isEqualTo(TIP);
              assertThat(refusing.workQueueRefusals()).isEqualTo(3);
              return s.client.status();
            })).map((JsonObject status) -> {
              JsonArray all = status.getJsonArray("urls");
              assertThat(all.getJsonObject(0).getString("circuit")).isEqualTo("OPEN");
              assertThat(all.getJsonObject(1).getBoolean("current")).isTrue();
              assertThat(status.getJsonObject("counters").getLong("failovers")).isEqualTo(1);
              return status;
            });
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDeadUrlStillOpensItsCircuit(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, TIP + 1).compose((FakeDaemon dead) -> dead.setDown(true)
        .map(dead))
        .compose((FakeDaemon dead) -> FakeDaemon.bitcoinLike(vertx, TIP)
            .compose((FakeDaemon healthy) -> {
          String urls = dead.url("u", "p") + "," + healthy.url("u", "p");
          return Service.deploy(vertx, healthy, (JsonObject c) -> c.put("daemonUrl", urls)
                .put("breakerResetMs", 60_000))
              .compose((Service s) -> s.client.height().compose((Integer h) -> {
                assertThat(h).isEqualTo(TIP);
                return s.client.status();
              })).map((JsonObject status) -> {
                JsonObject first = status.getJsonArray("urls").getJsonObject(0);
                assertThat(first.getString("circuit")).isEqualTo("OPEN");
                assertThat(first.getInteger("limit")).as("no back-pressure, no cut")
                    .isEqualTo(DaemonOptions.DEFAULT_MAX_WORKQUEUE);
                return status;
              });
        })).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> burst(Service s, int n) {
    List<Future<Integer>> heights = new ArrayList<>();
    IntStream.range(0, n).forEach((int i) -> heights.add(s.client.height()));
    return Future.all(heights).mapEmpty();
  }

  /** Completes once the condition holds (checked every 10 ms), or fails after 5 s. */
  private static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> met = Promise.promise();
    long start = System.nanoTime();
    vertx.setPeriodic(10, (Long id) -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        met.tryComplete();
      } else if (System.nanoTime() - start > 5_000_000_000L) {
        vertx.cancelTimer(id);
        met.tryFail(new AssertionError("condition not met in 5 s"));
      }
    });
    return met.future();
  }

  private static JsonObject url(JsonObject status) {
    return status.getJsonArray("urls").getJsonObject(0);
  }
}
