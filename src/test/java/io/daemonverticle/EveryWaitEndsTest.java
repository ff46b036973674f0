package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.daemonverticle.testing.ChainProbes;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Nothing wedged, nothing lost": every request is answered by the retry path itself (a
 * result, or 503 with the reason), never by the dispatcher's safety net; every attempt ends
 * in bounded time and gives back its work-queue slot and its connection.
 */
@ExtendWith(VertxExtension.class)
class EveryWaitEndsTest {

  private static final int TIP = 77;

  /** What one request ended with, and when. */
  private record Outcome(Object result, DaemonException failure, long tookMs) {
  }

  private static Future<Outcome> timed(Future<Object> request) {
    long started = System.nanoTime();
    return request.transform((AsyncResult<Object> ar) -> {
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      return Future.succeededFuture(ar.succeeded() ? new Outcome(ar.result(), null, tookMs)
          : new Outcome(null, DaemonException.fromReply(ar.cause()), tookMs));
    });
  }

  @Test
  void aBurstAgainstADaemonThatComesBackIsAnsweredByTheRetryLoop(Vertx vertx,
                                                                  VertxTestContext ctx) {
    // The circuit opens while the daemon is down, so waiters handed a slot fail at once and
    // give it back from inside the hand-over: that re-entry used to break the work queue.
    int requests = 200;
    long deadlineMs = 4_000;
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", 10))
        .compose((Service s) -> s.fake.setDown(true)
        .compose((Void v) -> {
          List<Future<Outcome>> outcomes = new ArrayList<>();
          for (int i = 0; i < requests; i++) {
            outcomes.add(timed(s.ask(Actions.HEIGHT, null, String.valueOf(deadlineMs))));
          }
          vertx.setTimer(1_500, (Long t) -> s.fake.setDown(false));
          return Future.all(outcomes).map((CompositeFuture all) -> all.<Outcome>list());
        })
        .compose((List<Outcome> outcomes) -> {
          List<Outcome> failed = outcomes.stream().filter((Outcome o) -> o.failure() != null)
              .toList();
          assertThat(failed).allSatisfy((Outcome o) -> {
            assertThat(o.failure().code()).isEqualTo(503);
            assertThat(o.failure().getMessage()).doesNotContain(Answered.SAFETY_NET);
          });
          assertThat(outcomes).filteredOn((Outcome o) -> o.failure() == null)
              .allSatisfy((Outcome o) -> assertThat(o.result()).isEqualTo(TIP))
              .as("most succeed once the daemon is back; failures: %s", failed)
              .hasSizeGreaterThan(requests * 3 / 4);
          // Answered by the retry loop at the deadline at the latest, not by the safety net
          // 2 s after it (the margin is for 200 requests on a loaded 2-core machine).
          assertThat(outcomes).allSatisfy((Outcome o) ->
              assertThat(o.tookMs()).isLessThan(deadlineMs + 2_000));
          return s.client.status();
        })
        .map((JsonObject status) -> {
          assertThat(status.getInteger("inFlight")).isZero();
          assertThat(status.getInteger("queued")).isZero();
          return status;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTricklingDaemonCannotHoldSlotsPastTheAttemptTimeout(Vertx vertx,
                                                           VertxTestContext ctx) {
    AtomicInteger openConnections = new AtomicInteger();
    Future.all(trickler(vertx, openConnections), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture both) -> {
          HttpServer trickle = both.resultAt(0);
          FakeDaemon healthy = both.resultAt(1);
          JsonObject config = Deployments.config("http://" + Deployments.USER + ":"
                  + Deployments.PASSWORD + "@127.0.0.1:" + trickle.actualPort() + "/,"
                  + healthy.url(Deployments.USER, Deployments.PASSWORD))
              .put("maxWorkqueue", 3)
              .put("attemptTimeoutMs", 1_000)
              .put("breakerMaxFailures", 3);
          DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
          return Deployments.deploy(vertx, config).compose((String id) -> {
            // Three requests fill the work queue, each on the trickling URL; a byte every
            // 300 ms never trips an idle timeout, only a bound on the whole attempt does.
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
              outcomes.add(timed(ask(vertx, config, Actions.HEIGHT, "1000")));
            }
            return Future.all(outcomes).map((CompositeFuture all) -> all.<Outcome>list());
          }).compose((List<Outcome> outcomes) -> {
            for (Outcome o : outcomes) {
              assertThat(o.failure()).as("the trickle never completes a reply").isNotNull();
              assertThat(o.failure().code()).isEqualTo(503);
              assertThat(o.failure().getMessage()).contains("timeout")
                  .doesNotContain(Answered.SAFETY_NET);
              // The retry loop's own answer at the deadline; the safety net would be 2 s later.
              assertThat(o.tookMs()).isLessThan(1_000 + 1_500);
            }
            return client.status();
          }).compose((JsonObject status) -> {
            assertThat(status.getInteger("inFlight")).as("every slot given back").isZero();
            return waitFor(vertx, () -> openConnections.get() == 0, 2_000);
          }).compose((Void v) -> {
            assertThat(openConnections.get()).as("every trickling connection closed")
                .isZero();
            return client.height();
          }).map((Integer height) -> {
            assertThat(height).as("the healthy second URL answers").isEqualTo(TIP);
            return height;
          });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBlackHoleUrlCostsARequestAtMostOneAttemptTimeout(Vertx vertx, VertxTestContext ctx) {
    long attemptMs = 800;
    // Both at the same height: a URL behind would be left for its lag, not for its circuit.
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture both) -> {
          FakeDaemon blackHole = both.resultAt(0);
          FakeDaemon healthy = both.resultAt(1);
          // Accepts the connection and the request, never answers.
          blackHole.handle("getblockcount", (JsonArray p) -> Promise.promise().future());
          JsonObject config = Deployments.config(
                  blackHole.url(Deployments.USER, Deployments.PASSWORD) + ","
                      + healthy.url(Deployments.USER, Deployments.PASSWORD))
              .put("attemptTimeoutMs", attemptMs)
              .put("breakerMaxFailures", 2)
              .put("breakerResetMs", 60_000);
          DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
          List<Long> took = new ArrayList<>();
          return Deployments.deploy(vertx, config).compose((String id) -> {
            Future<Void> oneAtATime = Future.succeededFuture();
            for (int i = 0; i < 4; i++) {
              oneAtATime = oneAtATime.compose((Void v) -> timed(ask(vertx, config, Actions.HEIGHT,
                  null)).map((Outcome o) -> {
                    assertThat(o.failure()).isNull();
                    assertThat(o.result()).isEqualTo(TIP);
                    took.add(o.tookMs());
                    return null;
                  }));
            }
            return oneAtATime;
          }).compose((Void v) -> client.status()).map((JsonObject status) -> {
            assertThat(took).as("each request waits at most one attempt timeout")
                .allSatisfy((Long ms) -> assertThat(ms).isLessThan(2 * attemptMs - 150));
            // The black hole's first hung request is the service's own chain check (a URL is
            // checked before it serves; the period's look and the first request share it).
            assertThat(blackHole.httpRequests() + blackHole.probes())
                .as("hung attempts before the circuit opens").isBetween(1, 3);
            assertThat(status.getJsonObject("counters").getLong("failovers"))
                .isGreaterThanOrEqualTo(1);
            assertThat(status.getString("currentUrl"))
                .isEqualTo("127.0.0.1:" + healthy.port() + "/");
            assertThat(status.getJsonArray("urls").getJsonObject(0).getString("circuit"))
                .isEqualTo("OPEN");
            return status;
          });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void undeployAnswersRequestsInFlightAndWaitingAtOnce(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", 1).put("requestTimeoutMs",
        20_000)
            .put("attemptTimeoutMs", 15_000))
        .compose((Service s) -> {
          s.fake.handle("getblockcount", (JsonArray p) -> Promise.promise().future());
          Future<Outcome> inFlight = timed(s.ask(Actions.HEIGHT, null));
          Future<Outcome> waiting = timed(s.ask(Actions.HEIGHT, null));
          return waitFor(vertx, () -> s.fake.httpRequests() == 1, 5_000)
              .compose((Void v) -> s.client.status())
              .compose((JsonObject status) -> {
                assertThat(status.getInteger("inFlight")).isEqualTo(1);
                assertThat(status.getInteger("queued")).isEqualTo(1);
                long undeployAt = System.nanoTime();
                return vertx.undeploy(s.deploymentId)
                    .compose((Void v) -> Future.all(inFlight, waiting))
                    .map((CompositeFuture all) -> {
                      long sinceUndeployMs = TimeUnit.NANOSECONDS.toMillis(
                          System.nanoTime() - undeployAt);
                      for (Outcome o : List.<Outcome>of(all.resultAt(0), all.resultAt(1))) {
                        assertThat(o.failure()).isNotNull();
                        assertThat(o.failure().code()).isEqualTo(503);
                        assertThat(o.failure().getMessage()).contains("stopping");
                      }
                      assertThat(sinceUndeployMs).isLessThan(1_500);
                      assertThat(s.fake.httpRequests()).as("no attempt after stop")
                          .isEqualTo(1);
                      return all;
                    });
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** A raw event-bus request, with an optional timeout-ms header. */
  private static Future<Object> ask(Vertx vertx, JsonObject config, String action,
                                    String timeoutMs) {
    io.vertx.core.eventbus.DeliveryOptions delivery =
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(Actions.HEADER, action)
            .setSendTimeout(20_000);
    if (timeoutMs != null) {
      delivery.addHeader(Actions.TIMEOUT_HEADER, timeoutMs);
    }
    return vertx.eventBus().request(config.getString("address"), null, delivery)
        .map((Message<Object> reply) -> reply.body());
  }

  /**
   * A daemon that answers 200 with JSON headers, then one byte every 300 ms and never the
   * end; counts the connections it has open.
   */
  private static Future<HttpServer> trickler(Vertx vertx, AtomicInteger open) {
    return vertx.createHttpServer()
        .connectionHandler((HttpConnection conn) -> {
          open.incrementAndGet();
          conn.closeHandler((Void v) -> open.decrementAndGet());
        })
        .requestHandler((HttpServerRequest req) -> req.body().onSuccess((Buffer body) -> {
          Object request = Json.decodeValue(body);
          if (ChainProbes.isProbe(request)) {
            // The service's own chain check is answered: the trickle is for its requests.
            req.response().putHeader("Content-Type", "application/json")
                .end(ChainProbes.answer((JsonArray) request).encode());
            return;
          }
          HttpServerResponse response = req.response().setChunked(true)
              .putHeader("Content-Type", "application/json");
          response.write("{");
          long timer = vertx.setPeriodic(300, (Long id) -> {
            if (!response.closed()) {
              response.write(" ");
            }
          });
          response.closeHandler((Void v) -> vertx.cancelTimer(timer));
        }))
        .listen(0, "127.0.0.1");
  }

  private static Future<Void> waitFor(Vertx vertx, java.util.function.BooleanSupplier done,
                                      long withinMs) {
    Promise<Void> promise = Promise.promise();
    long until = System.nanoTime() + withinMs * 1_000_000;
    vertx.setPeriodic(20, (Long id) -> {
      if (done.getAsBoolean() || System.nanoTime() - until > 0) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      }
    });
    return promise.future();
  }
}
