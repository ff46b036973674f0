package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.transport.ScriptedServer.Recorder;
import io.daemonverticle.testing.Transports;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How an exchange ends without its answer, in virtual time, with one connection to a server
 * that never answers the first request: its time running out or its cancel, on the wire or
 * while it waits for the connection. Either way the connection is given back: closed under
 * the request on the wire, unused by the request that got it too late. That is seen by the
 * exchange after: it gets a connection, where it would wait for the held one and run into its
 * own bound (in real time: Vert.x's wait for a pooled connection).
 */
class HttpTransportBoundsTest {

  private static final Buffer PAYLOAD = OneLoop.PAYLOAD;
  private static final Consumer<HttpServerResponse> NEVER = response -> { };

  private final OneLoop loop = new OneLoop();
  private final Context context = loop.context;
  private final VirtualTime time = loop.time;
  private ScriptedServer server;
  private HttpTransport transport;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedServer.start(loop.vertx).await(10, TimeUnit.SECONDS);
    transport = Transports.plain(loop.vertx, time, 1);
  }

  @AfterEach
  void stop() throws Exception {
    loop.close();
  }

  private <T> Future<T> on(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  private static <T> AsyncResult<T> settled(Future<T> future) throws Exception {
    return OneLoop.settled(future);
  }

  private static void failedAs(AsyncResult<?> outcome, TransientFailure.Kind kind) {
    OneLoop.failedAs(outcome, kind);
  }

  /** An exchange after the others is answered on the connection they gave back. */
  private void theConnectionIsFreeAgain(int requestsSeen) throws Exception {
    AsyncResult<Buffer> next = loop.exchange(server, transport,
        cancel -> transport.post(server.url(), PAYLOAD, 1_000, new Recorder(), cancel));
    assertThat(next.succeeded()).as("%s", next.cause()).isTrue();
    assertThat(server.seen()).as("requests the server saw").hasSize(requestsSeen);
    assertThat(server.uncaught()).as("thrown where nothing catches it").isEmpty();
  }

  @Test
  void timeRunsOutOnTheWire() throws Exception {
    server.then(NEVER);
    Recorder onWire = new Recorder();
    Future<Buffer> held = on(() -> transport.post(server.url(), PAYLOAD, 5_000, onWire,
        Promise.<Void>promise().future()));
    time.once(() -> server.seen().size() == 1).await(10, TimeUnit.SECONDS);

    time.advance(4_999).await(10, TimeUnit.SECONDS);
    assertThat(held.isComplete()).as("within its 5 s").isFalse();
    time.advance(1).await(10, TimeUnit.SECONDS);

    failedAs(settled(held), TransientFailure.Kind.TIMEOUT);
    assertThat(onWire.abandoned).isTrue();
    theConnectionIsFreeAgain(2);
  }

  @Test
  void aCancelEndsTheExchangeOnTheWire() throws Exception {
    server.then(NEVER);
    Promise<Void> cancel = Promise.promise();
    Recorder onWire = new Recorder();
    Future<Buffer> held = on(() -> transport.post(server.url(), PAYLOAD, 5_000, onWire,
        cancel.future()));
    time.once(() -> server.seen().size() == 1).await(10, TimeUnit.SECONDS);

    on(() -> {
      cancel.complete();
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);

    failedAs(settled(held), TransientFailure.Kind.CANCELLED);
    assertThat(onWire.abandoned).isTrue();
    assertThat(time.pending()).as("its bound's timer cancelled").isZero();
    theConnectionIsFreeAgain(2);
  }

  /**
   * The first request holds the connection until the test answers it, after the second's
   * time ran out or it was cancelled while it waited: the connection it then gets is given
   * back unused.
   */
  @Test
  void anExchangeThatEndsWhileWaitingForTheConnectionNeverSendsItsRequest() throws Exception {
    Promise<HttpServerResponse> answer = Promise.promise();
    server.then(answer::complete);
    Future<Buffer> first = on(() -> transport.post(server.url(), PAYLOAD, 60_000,
        new Recorder(), Promise.<Void>promise().future()));
    time.once(() -> server.seen().size() == 1).await(10, TimeUnit.SECONDS);
    Recorder timedOut = new Recorder();
    Future<Buffer> second = on(() -> transport.post(server.url(), PAYLOAD, 2_000, timedOut,
        Promise.<Void>promise().future()));
    Promise<Void> cancel = Promise.promise();
    Future<Buffer> third = on(() -> transport.post(server.url(), PAYLOAD, 5_000,
        new Recorder(), cancel.future()));
    // Both wait for the connection, their bounds' timers set.
    time.once(() -> time.pending() == 3).await(10, TimeUnit.SECONDS);

    time.advance(2_000).await(10, TimeUnit.SECONDS);
    on(() -> {
      cancel.complete();
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    failedAs(settled(second), TransientFailure.Kind.TIMEOUT);
    failedAs(settled(third), TransientFailure.Kind.CANCELLED);
    assertThat(timedOut.abandoned).isTrue();
    answer.future().await(10, TimeUnit.SECONDS).putHeader("Content-Type", "application/json")
        .end("{\"result\":1}");

    assertThat(settled(first).succeeded()).isTrue();
    theConnectionIsFreeAgain(2);
  }
}
