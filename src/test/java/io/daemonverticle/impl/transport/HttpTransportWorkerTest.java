package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.transport.ScriptedServer.Recorder;
import io.daemonverticle.testing.Transports;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asked from a worker context (an embedder's worker verticle), the reply's chunks reach the
 * transport through a queue that Vert.x drains on the worker: the chunks read before the
 * transport reset the exchange are still handed on after it (Vert.x 5.0.7 drops only the
 * chunks it reads after a reset, in {@code Http1xClientConnection.handleResponseChunk}; the
 * stream's queue is not cleared). The transport must hand none of them to a reader it has
 * abandoned. On an event loop the queue is drained as each chunk is read, so there the reset
 * itself stops them.
 */
@ExtendWith(VertxExtension.class)
class HttpTransportWorkerTest {

  /**
   * A reply of two chunks and its end in one write: read in one go, decoded into both chunks
   * on the event loop before the worker has handled the first.
   */
  private static final String TWO_CHUNKS = "HTTP/1.1 200 OK\r\n"
      + "Content-Type: application/json\r\n"
      + "Transfer-Encoding: chunked\r\n"
      + "\r\n"
      + "5\r\n{\"res\r\n"
      + "8\r\nult\":7}\n\r\n"
      + "0\r\n\r\n";

  @Test
  void aReaderThatRefusesTheFirstChunkGetsNoneAfterOnAWorker(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    NetServer server = vertx.createNetServer()
        .connectHandler((NetSocket socket) -> socket.handler((Buffer request) ->
            socket.write(TWO_CHUNKS)))
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    HttpTransport transport = Transports.plain(vertx, 1);
    DaemonUrl url = Transports.url(server.actualPort());
    Recorder reader = new Recorder();
    reader.refuse = new IllegalStateException("not this one");
    boolean[] onWorker = new boolean[1];
    vertx.exceptionHandler(ctx::failNow);
    vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start() {
        onWorker[0] = Context.isOnWorkerThread();
        transport.post(url, OneLoop.PAYLOAD, 10_000, reader, Promise.<Void>promise().future())
            // The second chunk is handed on after this failure, on the same worker.
            .onComplete(ctx.failing((Throwable failure) -> afterTheRead(context, () ->
                ctx.verify(() -> {
                  assertThat(onWorker[0]).as("asked from a worker").isTrue();
                  assertThat(failure).isInstanceOf(TransientFailure.class)
                      .hasMessageContaining("not this one");
                  assertThat(reader.abandoned).isTrue();
                  assertThat(reader.touchedAfterAbandon)
                      .as("a chunk handed to the reader after it was abandoned").isFalse();
                  ctx.completeNow();
                }))));
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Runs {@code check} on the worker {@code context} once the event loop under it has finished
   * the read in progress (its next task) and the worker the tasks queued by then: the
   * chunks of that read among them.
   */
  private static void afterTheRead(Context context, Runnable check) {
    ((ContextInternal) context).nettyEventLoop().execute(() ->
        context.runOnContext((Void v) -> check.run()));
  }
}
