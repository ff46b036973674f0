package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hedged reads ({@code hedgeAfterMs}): a read the current URL has not answered in that time
 * is also sent to the next URL, the first answer wins and the other attempt is reset, its
 * slot freed and nothing counted against its URL. Off by default; never for a broadcast.
 */
@ExtendWith(VertxExtension.class)
class HedgedReadTest {

  /** The slow URL's chain is one block longer: an answer says which URL gave it. */
  private static final int SLOW_TIP = 61;
  private static final int FAST_TIP = 60;
  private static final long SLOW_MS = 2500;

  /** The service and its slow URL #1; its fake is URL #2, which answers at once. */
  private record TwoUrls(Service s, FakeDaemon slow) {
  }

  /** URL #1 answers after SLOW_MS, URL #2 at once; attempts may take longer than that. */
  private static Future<TwoUrls> twoUrls(Vertx vertx, Consumer<JsonObject> tweak) {
    return FakeDaemon.bitcoinLike(vertx, SLOW_TIP).compose((FakeDaemon slow) -> {
      slow.setLatency(SLOW_MS);
      return FakeDaemon.bitcoinLike(vertx, FAST_TIP)
          .compose((FakeDaemon fast) -> Service.deploy(vertx, fast,
          (JsonObject c) -> {
            c.put("daemonUrl", slow.url("u", "p") + "," + fast.url("u", "p"))
                .put("attemptTimeoutMs", 5000).put("requestTimeoutMs", 8000);
            tweak.accept(c);
          })).map((Service s) -> new TwoUrls(s, slow));
    });
  }

  @Test
  void aSlowReadIsAnsweredByTheNextUrlAndTheSlowAttemptIsReset(Vertx vertx,
                                                              VertxTestContext ctx) {
    long[] start = new long[1];
    twoUrls(vertx, (JsonObject c) -> c.put("hedgeAfterMs", 100)).compose((TwoUrls two) -> {
      Service s = two.s();
      FakeDaemon slow = two.slow();
      start[0] = System.nanoTime();
      return s.client.height().compose((Integer h) -> {
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start[0]);
        assertThat(h).as("the fast URL's answer").isEqualTo(FAST_TIP);
        assertThat(tookMs).as("answered long before the slow URL would")
            .isLessThan(SLOW_MS - 500);
        assertThat(s.fake.methods()).containsExactly("getblockcount");
        assertThat(slow.httpRequests()).isEqualTo(1);
        // The loser is reset: the slow daemon sees its connection go, long before it answers.
        return until(vertx, () -> slow.inFlight() == 0);
      }).compose((Void v) -> {
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start[0]);
        assertThat(tookMs).as("slow attempt reset, not waited for").isLessThan(SLOW_MS - 500);
        return s.client.status();
      }).map((JsonObject status) -> {
        JsonObject counters = status.getJsonObject("counters");
        assertThat(counters.getLong("hedges")).isEqualTo(1);
        assertThat(counters.getLong("transientFailures")).as("the reset is no failure").isZero();
        JsonObject first = status.getJsonArray("urls").getJsonObject(0);
        assertThat(first.getBoolean("current")).as("no fail-over: it only was slow").isTrue();
        assertThat(first.getString("circuit")).isEqualTo("CLOSED");
        assertThat(first.getLong("failures")).isZero();
        assertThat(first.getInteger("inFlight")).isZero();
        assertThat(status.getInteger("inFlight")).as("both slots released").isZero();
        return status;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void offByDefault(Vertx vertx, VertxTestContext ctx) {
    twoUrls(vertx, (JsonObject c) -> { }).map(TwoUrls::s).compose((Service s) -> s.client.height()
        .compose((Integer h) -> {
      assertThat(h).as("the slow URL's answer").isEqualTo(SLOW_TIP);
      assertThat(s.fake.httpRequests()).isZero();
      return s.client.status();
    }).map((JsonObject status) -> {
      assertThat(status.getJsonObject("counters").getLong("hedges")).isZero();
      return status;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBroadcastIsNeverSentTwice(Vertx vertx, VertxTestContext ctx) {
    twoUrls(vertx, (JsonObject c) -> c.put("hedgeAfterMs", 100)).compose((TwoUrls two) -> {
      Service s = two.s();
      FakeDaemon slow = two.slow();
      return s.client.broadcastTransaction("00").compose((String txid) -> {
        assertThat(slow.methods()).containsExactly("sendrawtransaction");
        assertThat(s.fake.httpRequests()).as("nothing sent to the second URL").isZero();
        return s.client.status();
      }).map((JsonObject status) -> {
        assertThat(status.getJsonObject("counters").getLong("hedges")).isZero();
        return status;
      });
    }).onComplete(ctx.succeedingThenComplete());
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
}
