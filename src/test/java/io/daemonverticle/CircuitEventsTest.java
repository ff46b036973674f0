package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each change of a URL's circuit is published on {@code <address>.circuit} (to every
 * subscriber) and logged once, naming the URL's last failure, never its credentials.
 */
@ExtendWith(VertxExtension.class)
class CircuitEventsTest {

  private static final int TIP = 12;

  @Test
  void openHalfOpenAndClosedArePublishedAndLoggedOnceEach(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    List<JsonObject> seenToo = new CopyOnWriteArrayList<>();
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> {
      // breakerMaxFailures 3 and breakerResetMs 300 (the test config): three failures open
      // the circuit, the first probe fails (open again), the second answers (closed).
      JsonObject config = Deployments.config(fake).put("breakerMaxFailures", 3)
          .put("requestTimeoutMs", 10_000);
      String address = config.getString("address");
      String url = "127.0.0.1:" + fake.port() + "/";
      MessageConsumer<JsonObject> one = vertx.eventBus().consumer(address + ".circuit",
          (Message<JsonObject> m) -> seen.add(m.body()));
      MessageConsumer<JsonObject> two = vertx.eventBus().consumer(address + ".circuit",
          (Message<JsonObject> m) -> seenToo.add(m.body()));
      return Future.all(one.completion(), two.completion())
          .compose((CompositeFuture v) -> Deployments.deploy(vertx, config))
          .compose((String id) -> {
            fake.failNext(Fault.HTML_500, Fault.HTML_500, Fault.HTML_500, Fault.HTML_500);
            return DaemonClient.create(vertx, address).height();
          })
          .compose((Integer h) -> {
            assertThat(h).isEqualTo(TIP);
            return waitFor(vertx, () -> seen.size() >= 5 && seenToo.size() >= 5);
          })
          .map((Void v) -> {
            assertThat(seen).extracting((JsonObject j) -> j.getString("state"))
                .containsExactly("OPEN", "HALF_OPEN", "OPEN", "HALF_OPEN", "CLOSED");
            assertThat(seenToo).as("published, not sent: every subscriber sees each")
                .isEqualTo(seen);
            for (JsonObject event : seen) {
              assertThat(event.fieldNames()).containsExactlyInAnyOrder("url", "state", "reason");
              assertThat(event.getString("url")).isEqualTo(url);
              assertThat(event.getString("reason")).contains("500");
              assertThat(event.encode()).doesNotContain(Deployments.USER)
                  .doesNotContain(Deployments.PASSWORD);
            }
            List<String> lines = logs.linesWith("circuit of ");
            assertThat(lines).as("one line per change").hasSize(5);
            assertThat(lines.get(0)).startsWith("WARN").contains("circuit of " + url + " opened")
                .contains("500");
            assertThat(lines.get(1)).startsWith("DEBUG").contains("half-open");
            assertThat(lines.get(2)).startsWith("DEBUG").contains("open again");
            assertThat(lines.get(3)).startsWith("DEBUG").contains("half-open");
            assertThat(lines.get(4)).startsWith("INFO").contains("circuit of " + url + " closed");
            assertThat(logs.lines()).noneMatch((String l) -> l.contains(Deployments.PASSWORD));
            return v;
          });
    }).andThen((AsyncResult<Void> ar) -> logs.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void nothingIsPublishedWhileTheCircuitStaysClosed(Vertx vertx, VertxTestContext ctx) {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config(fake).put("breakerMaxFailures", 3);
      String address = config.getString("address");
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address + ".circuit",
          (Message<JsonObject> m) -> seen.add(m.body()));
      return consumer.completion()
          .compose((Void v) -> Deployments.deploy(vertx, config))
          .compose((String id) -> {
            // Two failures in a row: one short of opening.
            fake.failNext(Fault.HTML_500, Fault.HTML_500);
            return DaemonClient.create(vertx, address).height();
          })
          .compose((Integer h) -> delay(vertx, 500))
          .map((Void v) -> {
            assertThat(seen).isEmpty();
            return v;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> waitFor(Vertx vertx, java.util.function.BooleanSupplier done) {
    Promise<Void> promise = Promise.promise();
    long start = System.nanoTime();
    vertx.setPeriodic(20, (Long id) -> {
      if (done.getAsBoolean()) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      } else if (System.nanoTime() - start > 5_000_000_000L) {
        vertx.cancelTimer(id);
        promise.tryFail("not seen within 5 s");
      }
    });
    return promise.future();
  }

  private static Future<Void> delay(Vertx vertx, long ms) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(ms, (Long id) -> promise.complete());
    return promise.future();
  }
}
