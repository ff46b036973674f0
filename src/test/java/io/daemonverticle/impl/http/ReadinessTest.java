package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.service.LiveInstance;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.service.ServiceSnapshot;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness's age of the cached height, on the front's clock in virtual time
 * ({@link VirtualTime}): UP while the height was confirmed at most 3 x heightPollMs ago, DOWN
 * a millisecond later, saying how old it is; and the states before the age is read.
 */
@ExtendWith(VertxExtension.class)
class ReadinessTest {

  private static final long POLL_MS = 100;

  /** One instance with one URL; the confirmation time as the cluster gives it. */
  private record Instance(Future<Long> confirmedAt, CircuitBreakerState circuit, String quarantined,
                          long pollMs) implements LiveInstance {

    @Override
    public ServiceSnapshot snapshot() {
      ServiceSnapshot.Url url = new ServiceSnapshot.Url("http://127.0.0.1:1/", circuit, 0, 1,
          0, "GOOD", quarantined, null, null, null, false, false, null, null);
      return new ServiceSnapshot(List.of(url), 0, 0, 0, 0,
          new ServiceSnapshot.Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 30, 0, 0, 0, 0, 0,
          new ServiceSnapshot.TipSeen(null, null, 0, 0));
    }

    @Override
    public long heightPollMs() {
      return pollMs;
    }

    @Override
    public Future<Integer> cachedHeight(long timeoutMs) {
      return Future.succeededFuture(30);
    }

    @Override
    public Future<Long> heightConfirmedAt(long timeoutMs) {
      return confirmedAt;
    }
  }

  private static Readiness readiness(Vertx vertx, VirtualTime time, LiveInstance instance) {
    ServiceGroup group = ServiceGroup.of(vertx, "readiness-" + System.nanoTime(),
        (ServiceGroup g) -> { });
    if (instance != null) {
      group.join(instance);
    }
    return new Readiness(group, time);
  }

  private static Future<Long> at(Long epochMs) {
    return Future.succeededFuture(epochMs);
  }

  private static JsonObject data(Status status) {
    return status.getData();
  }

  @Test
  void upWhileTheHeightIsThreePeriodsOldAndDownAMillisecondLater(Vertx vertx,
                                                                 VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Readiness readiness = readiness(vertx, time, new Instance(at(time.currentTimeMillis()),
        CircuitBreakerState.CLOSED, null, POLL_MS));
    long stale = Readiness.STALE_PERIODS * POLL_MS;
    time.advance(stale)
        .compose((Void v) -> readiness.check())
        .compose((Status up) -> {
          ctx.verify(() -> {
            assertThat(up.isOk()).as(up.getData().encode()).isTrue();
            assertThat(data(up).getLong("heightAgeMs")).isEqualTo(stale);
            assertThat(data(up).getInteger("cachedHeight")).isEqualTo(30);
          });
          return time.advance(1);
        })
        .compose((Void v) -> readiness.check())
        .onComplete(ctx.succeeding((Status down) -> ctx.verify(() -> {
          assertThat(down.isOk()).isFalse();
          assertThat(data(down).getLong("heightAgeMs")).isEqualTo(stale + 1);
          assertThat(data(down).getString("reason")).isEqualTo("the cached height was last "
              + "confirmed 301 ms ago, more than 3 x heightPollMs (300 ms)");
          ctx.completeNow();
        })));
  }

  @Test
  void aConfirmationAheadOfThisClockIsAgeZero(Vertx vertx, VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    // Another node's wall clock, a second ahead of this one's.
    readiness(vertx, time, new Instance(at(time.currentTimeMillis() + 1_000),
        CircuitBreakerState.CLOSED, null, POLL_MS)).check()
        .onComplete(ctx.succeeding((Status up) -> ctx.verify(() -> {
          assertThat(up.isOk()).isTrue();
          assertThat(data(up).getLong("heightAgeMs")).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void downWithTheReasonBeforeTheAgeIsRead(Vertx vertx, VertxTestContext ctx) {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    Future<Long> now = at(time.currentTimeMillis());
    Future<Long> unanswered = Future.failedFuture("the cluster did not answer in "
        + Readiness.CLUSTER_READ_MS + " ms");
    Future.all(List.of(
            readiness(vertx, time, null).check(),
            readiness(vertx, time, new Instance(now, CircuitBreakerState.CLOSED,
                "on another chain", POLL_MS)).check(),
            readiness(vertx, time, new Instance(now, CircuitBreakerState.OPEN, null, POLL_MS))
                .check(),
            readiness(vertx, time, new Instance(unanswered, CircuitBreakerState.CLOSED, null,
                POLL_MS)).check(),
            readiness(vertx, time, new Instance(at(null), CircuitBreakerState.CLOSED, null,
                POLL_MS)).check(),
            readiness(vertx, time, new Instance(unanswered, CircuitBreakerState.CLOSED, null,
                0)).check()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Status> states = all.list();
          assertThat(data(states.get(0)).getString("reason"))
              .isEqualTo("no service instance is running");
          assertThat(data(states.get(1)).getString("reason"))
              .isEqualTo("every daemon URL is quarantined (on another chain)");
          assertThat(data(states.get(2)).getString("reason"))
              .isEqualTo("no daemon URL's circuit is closed");
          assertThat(data(states.get(2)).getJsonArray("circuits").getJsonObject(0)
              .getString("circuit")).isEqualTo("OPEN");
          assertThat(data(states.get(3)).getString("reason"))
              .startsWith("the age of the cached height is unknown: the cluster did not "
                  + "answer in " + Readiness.CLUSTER_READ_MS + " ms");
          assertThat(data(states.get(4)).getString("reason"))
              .isEqualTo("no daemon has confirmed the height yet");
          assertThat(states.subList(0, 5)).noneMatch(Status::isOk);
          assertThat(states.get(5).isOk()).as("not polled: nothing to be stale").isTrue();
          assertThat(data(states.get(5)).getString("height"))
              .isEqualTo("not polled (heightPollMs 0)");
          ctx.completeNow();
        })));
  }
}
