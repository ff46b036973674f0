package io.daemonverticle.impl.resilience;

import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The URL choice on its own: a circuit opens after exactly breakerMaxFailures transport
 * failures in a row (never for an answer, a JSON-RPC error, back-pressure among others, or a
 * cancelled hedge), fail-over goes to the next URL whose circuit is not open, and a URL that
 * timed out has an alternative only when another circuit is not open. Each change of a
 * circuit is published once, naming the URL's last transport failure.
 */
@ExtendWith(VertxExtension.class)
class EndpointsTest {

  private final List<Endpoints> made = new ArrayList<>();

  @AfterEach
  void close() {
    made.forEach(Endpoints::close);
  }

  private Endpoints endpoints(Vertx vertx, int urls, int maxFailures, RpcCounters counters) {
    List<DaemonUrl> list = new ArrayList<>();
    for (int i = 0; i < urls; i++) {
      list.add(DaemonUrl.parse("http://u:p@127.0.0.1:" + (1000 + i) + "/", null, false));
    }
    Endpoints e = new Endpoints(vertx, list, new Endpoints.BreakerSettings(maxFailures, 60_000,
        8), counters);
    made.add(e);
    return e;
  }

  private static void fail(Endpoints.Endpoint url, TransientFailure.Kind kind) {
    fail(url, kind, "test " + kind);
  }

  private static void fail(Endpoints.Endpoint url, TransientFailure.Kind kind, String message) {
    settle(url.execute(() -> Future.failedFuture(new TransientFailure(kind, message))));
  }

  private static void rpcError(Endpoints.Endpoint url) {
    settle(url.execute(() -> Future.failedFuture(
        DaemonException.unavailable("the daemon said no"))));
  }

  /** Polls (the breaker's reset timer and the publications run on the event loop). */
  private static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Endpoints whose circuit changes are published at svc.circuit, collected in the list. */
  private Endpoints published(Vertx vertx, int urls, int maxFailures, long resetMs,
                              List<JsonObject> seen) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(
        CircuitEvents.address("svc"), (Message<JsonObject> m) -> seen.add(m.body()));
    settle(consumer.completion());
    List<DaemonUrl> list = new ArrayList<>();
    for (int i = 0; i < urls; i++) {
      list.add(DaemonUrl.parse("http://u:p@127.0.0.1:" + (1000 + i) + "/", null, false));
    }
    Endpoints e = new Endpoints(vertx, list, new Endpoints.BreakerSettings(maxFailures, resetMs,
        8), new RpcCounters(), new CircuitEvents(vertx, "svc"));
    made.add(e);
    return e;
  }

  private static List<String> states(List<JsonObject> seen) {
    return seen.stream().map((JsonObject j) -> j.getString("state")).toList();
  }

  /** Waits until the attempt has been counted (the breaker completes it asynchronously). */
  private static void settle(Future<?> attempt) {
    try {
      attempt.otherwiseEmpty().toCompletionStage().toCompletableFuture()
          .get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theCircuitOpensAtExactlyMaxFailuresInARowAndAnAnswerStartsTheRunAgain(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 3, new RpcCounters());
    Endpoints.Endpoint url = e.get(0);
    fail(url, TransientFailure.Kind.TIMEOUT);
    fail(url, TransientFailure.Kind.TIMEOUT);
    assertThat(url.failureCount()).isEqualTo(2);
    settle(url.execute(() -> Future.succeededFuture("answer")));
    assertThat(url.failureCount()).as("an answer ends the run").isZero();
    fail(url, TransientFailure.Kind.TIMEOUT);
    fail(url, TransientFailure.Kind.TIMEOUT);
    assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(url, TransientFailure.Kind.TIMEOUT);
    assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aJsonRpcErrorIsAnAnswerAndACancelledHedgeIsNoFailure(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 1, new RpcCounters());
    Endpoints.Endpoint url = e.get(0);
    settle(url.execute(() -> Future.failedFuture(
        DaemonException.unavailable("the daemon said no"))));
    fail(url, TransientFailure.Kind.CANCELLED);
    assertThat(url.failureCount()).isZero();
    assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void theFirstRefusalOfABurstSaysTheNewLimitAtDebug(Vertx vertx) {
    try (LogCapture logs = LogCapture.start()) {
      Endpoints e = endpoints(vertx, 1, 5, new RpcCounters());
      Endpoints.Endpoint url = e.get(0);
      io.vertx.core.Promise<Object> other = io.vertx.core.Promise.promise();
      Future<Object> inFlight = url.execute(other::future);
      // Both sent with the first in flight: the first refusal cuts the limit, the second not.
      io.vertx.core.Promise<Object> first = io.vertx.core.Promise.promise();
      io.vertx.core.Promise<Object> second = io.vertx.core.Promise.promise();
      Future<Object> a = url.execute(first::future);
      Future<Object> b = url.execute(second::future);
      first.fail(new TransientFailure(TransientFailure.Kind.BACK_PRESSURE, "busy"));
      second.fail(new TransientFailure(TransientFailure.Kind.BACK_PRESSURE, "busy"));
      settle(a);
      settle(b);
      other.complete("answer");
      settle(inFlight);
      assertThat(logs.linesWith("is busy")).containsExactly("DEBUG " + Endpoints.class.getName()
          + " - 127.0.0.1:1000/ is busy: at most 1 requests in flight to it now");
    }
  }

  @Test
  void backPressureAloneInFlightCountsButAmongOthersDoesNot(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 2, new RpcCounters());
    Endpoints.Endpoint url = e.get(0);
    io.vertx.core.Promise<Object> other = io.vertx.core.Promise.promise();
    Future<Object> inFlight = url.execute(other::future);
    fail(url, TransientFailure.Kind.BACK_PRESSURE);
    fail(url, TransientFailure.Kind.BACK_PRESSURE);
    assertThat(url.failureCount()).as("refused while another request was in flight").isZero();
    other.complete("answer");
    settle(inFlight);
    fail(url, TransientFailure.Kind.BACK_PRESSURE);
    assertThat(url.failureCount()).as("refused while alone: not serving").isEqualTo(1);
  }

  @Test
  void failoverMovesToTheNextUrlWhoseCircuitIsNotOpen(Vertx vertx) {
    RpcCounters counters = new RpcCounters();
    Endpoints e = endpoints(vertx, 3, 1, counters);
    fail(e.get(0), TransientFailure.Kind.TIMEOUT);
    fail(e.get(1), TransientFailure.Kind.TIMEOUT);
    assertThat(e.failover(0)).isTrue();
    assertThat(e.currentIndex()).as("#2 is open too: #3").isEqualTo(2);
    assertThat(counters.failovers()).isEqualTo(1);
    // A request that failed at #1 after another had moved on follows, without skipping.
    assertThat(e.failover(0)).isTrue();
    assertThat(e.currentIndex()).isEqualTo(2);
    assertThat(counters.failovers()).isEqualTo(1);
    fail(e.get(2), TransientFailure.Kind.TIMEOUT);
    assertThat(e.failover(2)).as("every circuit open: nowhere to go").isFalse();
    assertThat(e.currentIndex()).isEqualTo(2);
  }

  @Test
  void aSingleUrlHasNoFailoverAndNoAlternative(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 1, new RpcCounters());
    assertThat(e.size()).isEqualTo(1);
    assertThat(e.failover(0)).isFalse();
    assertThat(e.alternative(0)).isEqualTo(-1);
  }

  @Test
  void theAlternativeIsTheNextUrlWhoseCircuitIsNotOpenWrappingAround(Vertx vertx) {
    Endpoints e = endpoints(vertx, 3, 1, new RpcCounters());
    assertThat(e.alternative(0)).isEqualTo(1);
    assertThat(e.alternative(2)).isEqualTo(0);
    fail(e.get(0), TransientFailure.Kind.TIMEOUT);
    assertThat(e.alternative(2)).isEqualTo(1);
    fail(e.get(1), TransientFailure.Kind.TIMEOUT);
    assertThat(e.alternative(2)).isEqualTo(-1);
  }

  @Test
  void eachCircuitChangeIsPublishedOnceNamingTheLastTransportFailure(Vertx vertx) {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    Endpoints e = published(vertx, 1, 2, 150, seen);
    Endpoints.Endpoint url = e.get(0);
    fail(url, TransientFailure.Kind.TIMEOUT, "first failure");
    fail(url, TransientFailure.Kind.TIMEOUT, "second failure");
    assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.OPEN);
    // The breaker's state reads once its change and the handlers it calls have run (both are
    // synchronized on it): what a change publishes is published by then, and a marker
    // published after it is delivered after it. A change that publishes nothing fails the
    // test at the marker, not after a wait.
    await("half-open", () -> url.circuitState() == CircuitBreakerState.HALF_OPEN);
    // The probe fails: open again, with no "closed" in between.
    fail(url, TransientFailure.Kind.CONNECTION, "the probe failed");
    assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.OPEN);
    await("half-open again", () -> url.circuitState() == CircuitBreakerState.HALF_OPEN);
    // The probe gets the daemon's own JSON-RPC error: it answered, so the circuit closes.
    rpcError(url);
    assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
    JsonObject marker = new JsonObject().put("state", "marker");
    vertx.eventBus().publish(CircuitEvents.address("svc"), marker);
    await("the marker", () -> seen.contains(marker));
    List<JsonObject> changes = seen.subList(0, seen.indexOf(marker));
    assertThat(states(changes)).containsExactly("OPEN", "HALF_OPEN", "OPEN", "HALF_OPEN",
        "CLOSED");
    assertThat(changes).extracting((JsonObject j) -> j.getString("reason")).containsExactly(
        "second failure", "second failure", "the probe failed", "the probe failed",
        "the probe failed");
    for (JsonObject event : changes) {
      assertThat(event.getString("url")).isEqualTo("127.0.0.1:1000/");
      assertThat(event.encode()).doesNotContain("u:p");
    }
  }

  @Test
  void afterCloseACircuitChangeIsNeitherPublishedNorCounted(Vertx vertx) throws Exception {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    Endpoints e = published(vertx, 1, 1, 100, seen);
    e.close();
    fail(e.get(0), TransientFailure.Kind.TIMEOUT);
    assertThat(e.get(0).circuitState()).isEqualTo(CircuitBreakerState.OPEN);
    // The breaker's state reads once its change and the handlers it calls have run (both
    // are synchronized on it): half-open, the open and the half-open would have been
    // published by now. A marker published after them is delivered after them.
    await("half-open", () -> e.get(0).circuitState() == CircuitBreakerState.HALF_OPEN);
    JsonObject marker = new JsonObject().put("marker", true);
    vertx.eventBus().publish(CircuitEvents.address("svc"), marker);
    await("the marker", () -> !seen.isEmpty());
    assertThat(seen).containsExactly(marker);
  }

  @Test
  void theLastFailureIsTheLastTransportFailureNotAnAnswerNorACancelledHedge(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 5, new RpcCounters());
    Endpoints.Endpoint url = e.get(0);
    assertThat(url.lastFailure()).isNull();
    fail(url, TransientFailure.Kind.TIMEOUT, "no reply in time");
    rpcError(url);
    fail(url, TransientFailure.Kind.CANCELLED, "answered elsewhere");
    settle(url.execute(() -> Future.succeededFuture("answer")));
    assertThat(url.lastFailure()).isNotNull();
    assertThat(url.lastFailure().getMessage()).isEqualTo("no reply in time");
  }

  @Test
  void everyAttemptGivesItsPlaceInFlightBackAndARefusedOneTakesNone(Vertx vertx) {
    Endpoints e = endpoints(vertx, 1, 2, new RpcCounters());
    Endpoints.Endpoint url = e.get(0);
    fail(url, TransientFailure.Kind.CANCELLED);
    assertThat(url.limit().inFlight()).as("after a cancelled hedge").isZero();
    fail(url, TransientFailure.Kind.TIMEOUT);
    assertThat(url.limit().inFlight()).as("after a timeout").isZero();
    fail(url, TransientFailure.Kind.CONNECTION);
    assertThat(url.circuitState()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(url.failureCount()).isEqualTo(2);
    boolean[] sent = {false};
    Future<Object> refused = url.execute(() -> {
      sent[0] = true;
      return Future.succeededFuture("answer");
    });
    settle(refused);
    assertThat(refused.failed()).isTrue();
    assertThat(sent[0]).as("the open circuit sent nothing").isFalse();
    assertThat(url.failureCount()).as("a refused attempt is no failure of the URL")
        .isEqualTo(2);
    assertThat(url.limit().inFlight()).isZero();
  }

  @Test
  void withTwoUrlsFailoverGoesToTheOtherAndItsCapacityApplies(Vertx vertx) {
    RpcCounters counters = new RpcCounters();
    Endpoints e = endpoints(vertx, 2, 1, counters);
    assertThat(e.current().url().toString()).isEqualTo("127.0.0.1:1000/");
    assertThat(e.capacity()).isEqualTo(8);
    fail(e.get(0), TransientFailure.Kind.TIMEOUT);
    assertThat(e.failover(0)).isTrue();
    assertThat(e.currentIndex()).isEqualTo(1);
    assertThat(e.current().url().toString()).isEqualTo("127.0.0.1:1001/");
    assertThat(counters.failovers()).isEqualTo(1);
  }

  @Test
  void failoverNeverMovesToTheFailedUrlItself(Vertx vertx) {
    RpcCounters counters = new RpcCounters();
    Endpoints e = endpoints(vertx, 2, 2, counters);
    // #2 is open; #1 failed once (its circuit still closed): nowhere else to go.
    fail(e.get(1), TransientFailure.Kind.TIMEOUT);
    fail(e.get(1), TransientFailure.Kind.TIMEOUT);
    fail(e.get(0), TransientFailure.Kind.TIMEOUT);
    assertThat(e.failover(0)).isFalse();
    assertThat(e.currentIndex()).isZero();
    assertThat(counters.failovers()).isZero();
  }
}
