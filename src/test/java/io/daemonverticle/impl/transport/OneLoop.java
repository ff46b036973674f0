package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.transport.ScriptedServer.Recorder;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Vert.x of one event loop, a context on it and a virtual time for the transports' bounds:
 * what {@link ScriptedServer}'s exchanges need (see there why one loop), and how the tests of
 * the transport await and judge them.
 */
final class OneLoop {

  /** A JSON-RPC call, as the transport posts it. */
  static final Buffer PAYLOAD = Buffer.buffer("{\"method\":\"getblockcount\",\"id\":0}");

  final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  final Context context = vertx.getOrCreateContext();
  final VirtualTime time = new VirtualTime(context);

  /** The exchange's outcome, once {@link ScriptedServer#exchange} has one. */
  <T> AsyncResult<T> exchange(ScriptedServer server, HttpTransport transport,
                              Function<Future<Void>, Future<T>> exchange) throws Exception {
    return settled(server.exchange(context, transport, exchange));
  }

  /** A POST of {@link #PAYLOAD} to {@code url}, within 5 s, read by {@code reader}. */
  AsyncResult<Buffer> post(ScriptedServer server, HttpTransport transport, DaemonUrl url,
                           Recorder reader) throws Exception {
    return exchange(server, transport,
        cancel -> transport.post(url, PAYLOAD, 5_000, reader, cancel));
  }

  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static <T> AsyncResult<T> settled(Future<T> future) throws Exception {
    return future.transform(Future::succeededFuture).await(10, TimeUnit.SECONDS);
  }

  static void answered(AsyncResult<?> outcome) {
    assertThat(outcome.succeeded()).as("%s", outcome.cause()).isTrue();
  }

  /** Asserts that {@code outcome} failed with a {@link TransientFailure} of {@code kind}. */
  static TransientFailure failedAs(AsyncResult<?> outcome, TransientFailure.Kind kind) {
    assertThat(outcome.failed()).as("failed, not answered").isTrue();
    assertThat(outcome.cause()).isInstanceOf(TransientFailure.class);
    TransientFailure failure = (TransientFailure) outcome.cause();
    assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(kind);
    return failure;
  }
}
