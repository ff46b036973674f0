package io.daemonverticle.impl.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The URL choice on its own: a circuit opens after exactly breakerMaxFailures transport
 * failures in a row (never for an answer, a JSON-RPC error, back-pressure among others, or a
 * cancelled hedge), fail-over goes to the next URL whose circuit is not open, and a URL that
 * timed out has an alternative only when another circuit is not open.
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
    settle(url.execute(() -> Future.failedFuture(new TransientFailure(kind, "test " + kind))));
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
}
