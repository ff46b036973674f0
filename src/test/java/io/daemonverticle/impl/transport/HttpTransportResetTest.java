package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.Transports;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A daemon that resets the connection under a request (a TCP reset, as a closed socket
 * answers a request sent on it) fails that request as the daemon's trouble; the connection's
 * own failure is no ERROR line (Vert.x logs it at ERROR on a connection without a handler:
 * RestBlocksTest caught it under load, issue 33).
 */
@ExtendWith(VertxExtension.class)
class HttpTransportResetTest {

  @Test
  void aResetConnectionFailsItsRequestAndLogsNoError(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    // Lingering 0 s, a close sends a reset instead of the usual end of stream.
    NetServer server = vertx.createNetServer(new NetServerOptions().setSoLinger(0))
        .connectHandler((NetSocket socket) -> socket.handler((Buffer request) -> socket.close()))
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    HttpTransport transport = Transports.plain(vertx, 1);
    DaemonUrl url = Transports.url(server.actualPort());
    Buffer call = Buffer.buffer("{\"method\":\"getblockcount\",\"params\":[],\"id\":0}");
    LogCapture log = LogCapture.start();
    // A handler that throws (a mutant's null) fails the test at once instead of hanging it.
    vertx.exceptionHandler(ctx::failNow);
    vertx.runOnContext((Void v) -> transport.post(url, call, 5_000,
            new JsonReplyReader<>(transport.offloader(), (Object reply) -> reply, "the daemon"))
        .onComplete(ctx.failing((Throwable failure) -> ctx.verify(() -> {
          // The connection's failure is handled before the requests on it are failed.
          log.close();
          assertThat(failure).isInstanceOf(TransientFailure.class);
          assertThat(log.lines()).filteredOn((String l) -> l.startsWith("ERROR")).isEmpty();
          assertThat(log.linesWith("daemon connection"))
              .singleElement().asString().startsWith("DEBUG").contains("reset");
          ctx.completeNow();
        }))));
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
  }
}
