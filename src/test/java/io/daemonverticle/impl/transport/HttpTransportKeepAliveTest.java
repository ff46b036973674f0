package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.testing.Transports;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle daemon connection is closed by us, before bitcoind's {@code -rpcservertimeout} would
 * close it under a request on its way; the next request opens a new one and is answered.
 */
@ExtendWith(VertxExtension.class)
class HttpTransportKeepAliveTest {

  @Test
  void theDefaultIsBelowBitcoindsIdleTimeout() {
    assertThat(new HttpTransport.TransportOptions(null, null, false, 1, 1).keepAliveSeconds())
        .isEqualTo(HttpTransport.KEEP_ALIVE_SECONDS)
        .as("bitcoind's default -rpcservertimeout, 30 s").isLessThan(30);
  }

  @Test
  void anIdleConnectionIsClosedByTheClientAfterItsKeepAlive(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    AtomicInteger opened = new AtomicInteger();
    AtomicLong lastAnsweredNanos = new AtomicLong();
    Promise<Long> firstClosedAfterNanos = Promise.promise();
    HttpServer server = vertx.createHttpServer()
        .connectionHandler(connection -> {
          opened.incrementAndGet();
          connection.closeHandler(v -> firstClosedAfterNanos.tryComplete(
              System.nanoTime() - lastAnsweredNanos.get()));
        })
        .requestHandler(request -> request.body().onSuccess(body -> {
          lastAnsweredNanos.set(System.nanoTime());
          request.response().putHeader("Content-Type", "application/json")
              .end("{\"result\":7,\"error\":null,\"id\":0}");
        }))
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    HttpTransport transport = Transports.of(vertx, TimeSource.of(vertx),
        Transports.options(1, DaemonOptions.DEFAULT_MAX_REPLY_BYTES, 1), null);
    DaemonUrl url = Transports.url(server.actualPort());
    Buffer call = Buffer.buffer("{\"method\":\"getblockcount\",\"params\":[],\"id\":0}");
    Offloader offloader = transport.offloader();
    vertx.runOnContext(v -> transport.post(url, call, 5_000, reader(offloader))
        .compose(first -> firstClosedAfterNanos.future())
        .compose(closedAfterNanos -> {
          ctx.verify(() -> assertThat(closedAfterNanos)
              .as("the idle connection closed by the client after its keep-alive of 1 s")
              .isBetween(TimeUnit.MILLISECONDS.toNanos(900), TimeUnit.SECONDS.toNanos(4)));
          return transport.post(url, call, 5_000, reader(offloader));
        })
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          assertThat(second).isNotNull();
          assertThat(opened.get()).as("a new connection for the request after it").isEqualTo(2);
          ctx.completeNow();
        }))));
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
  }

  private static JsonReplyReader<Object> reader(Offloader offloader) {
    return new JsonReplyReader<>(offloader, (Object reply) -> reply, "the fake daemon");
  }
}
