package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.JsonReplyReader;
import io.daemonverticle.impl.transport.Offloader;
import io.daemonverticle.impl.transport.ReplyReader;
import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
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
  private RpcCounters counters;
  private WorkQueue workQueue;
  private Endpoints endpoints;
  private HttpTransport transport;
  private RetryLoop loop;
  /** The loop's time; the transport's is real. */
  private VirtualTime virtual;
  private Context context;

  @AfterEach
  void close() {
    if (endpoints != null) {
      endpoints.close();
      transport.close();
    }
    fakes.forEach(FakeDaemon::close);
  }

  @Test
  void everyEntryPointSendsThePayloadAndAnswersWithTheProcessedReply(Vertx vertx,
      VertxTestContext ctx) {
    FakeDaemon fake = start(vertx, 120);
    Function<DaemonUrl, ReplyReader<Object>> readers = (DaemonUrl url) ->
        new JsonReplyReader<>(transport.offloader(), RESULT, url.toString());
    AttemptCount count = new AttemptCount();
    DaemonUrl url = endpoints.get(0).url();
    Future<Object>[] once = new Future[1];
    // The loop's backoffs and deadlines are virtual, the HTTP exchanges real: a request that
    // does not get its answer backs off to its deadline at once, and fails the test then.
    Future<CompositeFuture> answers = onContext(vertx, () -> {
      once[0] = loop.once(url, PAYLOAD, RESULT, 5_000);
      return Future.all(List.of(
          loop.send(PAYLOAD, RESULT, deadline()),
          loop.send(PAYLOAD, RESULT, deadline(), true),
          loop.send(PAYLOAD, RESULT, deadline(), false, count),
          loop.sendReading(PAYLOAD, readers, deadline()),
          loop.sendReading(PAYLOAD, readers, deadline(), true),
          loop.exchange(loop.post(PAYLOAD, readers), deadline(), false),
          once[0]));
    });
    virtual.runUntil(answers, () -> workQueue.inFlight() == 0 && once[0] != null
            && once[0].isComplete())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.list()).containsOnly(120).hasSize(7);
          assertThat(count.get()).isEqualTo(1);
          assertThat(count.answeredAt()).isZero();
          assertThat(fake.httpRequests()).isEqualTo(7);
          assertThat(counters.requests()).as("once is no request of a caller").isEqualTo(6);
          ctx.completeNow();
        })));
  }

  @Test
  void onceAsksTheUrlItIsGivenOutsideTheWorkQueue(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon first = start(vertx, 120, 130);
    FakeDaemon second = fakes.get(1);
    onContext(vertx, () -> loop.once(endpoints.get(1).url(), PAYLOAD, RESULT, 5_000)
        .map(result -> List.of(result, workQueue.highWater())))
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
    onContext(vertx, () -> {
      loop.stop();
      return Future.join(loop.once(endpoints.get(0).url(), PAYLOAD, RESULT, 5_000),
          loop.send(PAYLOAD, RESULT, deadline()));
    }).onComplete(ctx.failing(e -> ctx.verify(() -> {
      Answered.byTheRetryLoop(e, RetryLoop.STOPPING);
      assertThat(fake.httpRequests()).isZero();
      assertThat(counters.requests()).isZero();
      ctx.completeNow();
    })));
  }

  /** Fake daemons at these heights, and a loop to them. */
  private FakeDaemon start(Vertx vertx, int... heights) {
    List<DaemonUrl> urls = new ArrayList<>();
    for (int height : heights) {
      FakeDaemon fake = FakeDaemon.bitcoinLike(vertx, height).toCompletionStage()
          .toCompletableFuture().join();
      fakes.add(fake);
      urls.add(DaemonUrl.parse(fake.url("user", "pass"), null, false));
    }
    counters = new RpcCounters();
    context = vertx.getOrCreateContext();
    virtual = new VirtualTime(context);
    workQueue = new WorkQueue(virtual, 4, 100);
    endpoints = new Endpoints(vertx, urls, new Endpoints.BreakerSettings(3, 60_000, 10),
        counters);
    transport = new HttpTransport(vertx, new HttpTransport.TransportOptions(null, null, false, 4,
        DaemonOptions.DEFAULT_MAX_REPLY_BYTES), null, new Offloader(vertx, Integer.MAX_VALUE));
    loop = new RetryLoop(virtual, transport, workQueue, endpoints, counters,
        new RetryLoop.Settings(100, 800, 5_000, 0));
    return fakes.get(0);
  }

  private Deadline deadline() {
    return Deadline.in(10_000, virtual);
  }

  /** Runs {@code work} on the loop's context, as the verticle calls the loop. */
  private <T> Future<T> onContext(Vertx vertx, Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.tryFail(e);
      }
    });
    return promise.future();
  }
}
