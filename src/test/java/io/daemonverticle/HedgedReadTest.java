package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hedged reads ({@code hedgeAfterMs}) wired through the service: a read the current URL has not
 * answered in that time is also sent to the next URL, the first answer wins and the other
 * attempt is reset, its slot freed and nothing counted against its URL. Off by default; never
 * for a broadcast.
 *
 * <p>What is about time (the hedge sent at {@code hedgeAfterMs} to the millisecond, the loser
 * cancelled) is asserted exactly in virtual time by {@code RetryLoopTest}, where hedging lives.
 * Here nothing is measured on the wall clock: the slow URL answers long after the test would
 * have failed, so an answer at all is the hedge's, and the reset is told from the attempt's
 * timeout by what the status counts, not by how long it took.
 */
@ExtendWith(VertxExtension.class)
class HedgedReadTest {

  /** The slow URL's chain is one block longer: an answer says which URL gave it. */
  private static final int SLOW_TIP = 61;
  private static final int FAST_TIP = 60;
  /** Beyond the test's own timeout (30 s): what the slow URL would answer never comes. */
  private static final long NEVER_MS = 120_000;
  /**
   * Far beyond a hedge of 100 ms (whose timer starts before the slow URL's delay does), so
   * that what a hedge would have sent is sent before this answer: its absence then is a fact.
   */
  private static final long SLOW_MS = 600;

  /** The service and its slow URL #1; its fake is URL #2, which answers at once. */
  private record TwoUrls(Service s, FakeDaemon slow) {
  }

  /** URL #1 answers after {@code slowMs}, URL #2 at once. */
  private static Future<TwoUrls> twoUrls(Vertx vertx, long slowMs, Consumer<JsonObject> tweak) {
    return FakeDaemon.bitcoinLike(vertx, SLOW_TIP).compose((FakeDaemon slow) -> {
      slow.setLatency(slowMs);
      return FakeDaemon.bitcoinLike(vertx, FAST_TIP)
          .compose((FakeDaemon fast) -> Service.deploy(vertx, fast,
          (JsonObject c) -> {
            // An attempt's timeout far beyond the test's: a slow attempt that ends was reset.
            c.put("daemonUrl", slow.url("u", "p") + "," + fast.url("u", "p"))
                .put("attemptTimeoutMs", 60_000).put("requestTimeoutMs", 60_000);
            tweak.accept(c);
          })).map((Service s) -> new TwoUrls(s, slow));
    });
  }

  @Test
  void aSlowReadIsAnsweredByTheNextUrlAndTheSlowAttemptIsReset(Vertx vertx,
                                                              VertxTestContext ctx) {
    twoUrls(vertx, NEVER_MS, (JsonObject c) -> c.put("hedgeAfterMs", 100))
        .compose((TwoUrls two) -> {
      Service s = two.s();
      FakeDaemon slow = two.slow();
      return s.client.height().compose((Integer h) -> {
        assertThat(h).as("the fast URL's answer: the slow one never comes").isEqualTo(FAST_TIP);
        assertThat(s.fake.methods()).containsExactly("getblockcount");
        assertThat(slow.httpRequests()).isEqualTo(1);
        // The loser is reset: the slow daemon sees its connection go, which neither its
        // answer nor the attempt's timeout would do before the test's own timeout.
        return until(vertx, () -> slow.inFlight() == 0);
      }).compose((Void v) -> s.client.status()).map((JsonObject status) -> {
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
    twoUrls(vertx, SLOW_MS, (JsonObject c) -> { }).map(TwoUrls::s).compose((Service s) -> s.client.height()
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
    twoUrls(vertx, SLOW_MS, (JsonObject c) -> c.put("hedgeAfterMs", 100))
        .compose((TwoUrls two) -> {
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

  /** Completes once the condition holds (checked every 10 ms); the test's timeout bounds it. */
  private static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> met = Promise.promise();
    vertx.setPeriodic(10, (Long id) -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        met.tryComplete();
      }
    });
    return met.future();
  }
}
