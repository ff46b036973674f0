package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.JsonReplyReader;
import io.daemonverticle.impl.transport.ReplyReader;
import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.LoopToFakes;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retry loop's public entry points, each once over HTTP to fake daemons: every one sends
 * the payload and answers with the processed reply; {@code once} asks the URL it is given,
 * outside the work queue and the request count, and nothing after {@link RetryLoop#stop}.
 * What the loop does between attempts is {@link RetryLoopCourseTest}'s.
 */
@ExtendWith(VertxExtension.class)
class RetryLoopEntryPointsTest {

  private static final Buffer PAYLOAD = new JsonObject().put("method", "getblockcount")
      .put("id", 0).toBuffer();
  private static final Function<Object, Object> RESULT = (Object reply) ->
      ((JsonObject) reply).getValue("result");

  private final List<FakeDaemon> fakes = new ArrayList<>();
  private LoopToFakes to;

  @AfterEach
  void close() {
    if (to != null) {
      to.close();
    }
    fakes.forEach(FakeDaemon::close);
  }

  @Test
  void everyEntryPointSendsThePayloadAndAnswersWithTheProcessedReply(Vertx vertx,
      VertxTestContext ctx) {
    FakeDaemon fake = start(vertx, 120);
    RetryLoop loop = to.loop;
    Function<DaemonUrl, ReplyReader<Object>> readers = (DaemonUrl url) ->
        new JsonReplyReader<>(to.transport.offloader(), RESULT, url.toString());
    AttemptCount count = new AttemptCount();
    DaemonUrl url = to.endpoints.get(0).url();
    Future<Object>[] once = new Future[1];
    Future<CompositeFuture> answers = to.onContext(() -> {
      once[0] = loop.once(url, PAYLOAD, RESULT, 5_000);
      return Future.all(List.of(
          loop.send(PAYLOAD, RESULT, to.deadline(10_000)),
          loop.send(PAYLOAD, RESULT, to.deadline(10_000), true),
          loop.send(PAYLOAD, RESULT, to.deadline(10_000), false, count),
          loop.sendReading(PAYLOAD, readers, to.deadline(10_000)),
          loop.sendReading(PAYLOAD, readers, to.deadline(10_000), true),
          loop.exchange(loop.post(PAYLOAD, readers), to.deadline(10_000), false),
          once[0]));
    });
    to.drive(answers, () -> once[0] != null && once[0].isComplete())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.list()).containsOnly(120).hasSize(7);
          assertThat(count.get()).isEqualTo(1);
          assertThat(count.answeredAt()).isZero();
          assertThat(fake.httpRequests()).isEqualTo(7);
          assertThat(to.counters.requests()).as("once is no request of a caller").isEqualTo(6);
          ctx.completeNow();
        })));
  }

  @Test
  void onceAsksTheUrlItIsGivenOutsideTheWorkQueue(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon first = start(vertx, 120, 130);
    FakeDaemon second = fakes.get(1);
    to.onContext(() -> to.loop.once(to.endpoints.get(1).url(), PAYLOAD, RESULT, 5_000)
        .map(result -> List.of(result, to.workQueue.highWater())))
        .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
          assertThat(seen).containsExactly(130, 0);
          assertThat(first.httpRequests()).isZero();
          assertThat(second.httpRequests()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void afterStopNothingIsSentNotEvenOnce(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon fake = start(vertx, 120);
    to.onContext(() -> {
      to.loop.stop();
      return Future.join(to.loop.once(to.endpoints.get(0).url(), PAYLOAD, RESULT, 5_000),
          to.loop.send(PAYLOAD, RESULT, to.deadline(10_000)));
    }).onComplete(ctx.failing(e -> ctx.verify(() -> {
      Answered.byTheRetryLoop(e, RetryLoop.STOPPING);
      assertThat(fake.httpRequests()).isZero();
      assertThat(to.counters.requests()).isZero();
      ctx.completeNow();
    })));
  }

  /** Fake daemons at these heights, and a loop to them. */
  private FakeDaemon start(Vertx vertx, int... heights) {
    for (int height : heights) {
      fakes.add(FakeDaemon.bitcoinLike(vertx, height).toCompletionStage().toCompletableFuture()
          .join());
    }
    to = new LoopToFakes(vertx, fakes);
    return fakes.get(0);
  }
}
