package io.daemonverticle.impl.transport;

import io.daemonverticle.impl.blocks.RestBlocks;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.daemonverticle.testing.Transports;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a large reply reaches a reader: in chunks as large as the socket's reads, not cut to
 * Vert.x's default of 8 KiB (each chunk pays the whole way through the decoder and the
 * reader, which held REST blocks at half the wire's speed), and byte for byte.
 */
@ExtendWith(VertxExtension.class)
class HttpTransportChunkTest {

  /** Keeps every chunk's length and the bytes. */
  private static final class Chunks implements ReplyReader<Buffer> {
    final List<Integer> lengths = new ArrayList<>();
    final Buffer bytes = Buffer.buffer();

    @Override
    public void chunk(Buffer chunk) {
      lengths.add(chunk.length());
      bytes.appendBuffer(chunk);
    }

    @Override
    public Future<Buffer> end() {
      return Future.succeededFuture(bytes);
    }

    @Override
    public void abandon() {
      lengths.clear();
    }
  }

  @Test
  void aLargeReplyComesInChunksOfWholeReadsByteForByte(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    byte[] block = new byte[4 * 1024 * 1024];
    new Random(13).nextBytes(block);
    HttpServer server = vertx.createHttpServer()
        .requestHandler(request -> request.response()
            .putHeader("Content-Type", RestBlocks.BINARY)
            .end(Buffer.buffer(block)))
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    HttpTransport transport = Transports.plain(vertx, 1);
    DaemonUrl url = Transports.url(server.actualPort());
    Chunks chunks = new Chunks();
    vertx.runOnContext(v -> transport.get(url, "/rest/block/00.bin", RestBlocks.BINARY, 10_000,
            chunks, Promise.<Void>promise().future())
        .onComplete(ctx.succeeding(bytes -> ctx.verify(() -> {
          assertThat(bytes.getBytes()).as("the reply's bytes").isEqualTo(block);
          assertThat(chunks.lengths.stream().mapToInt(Integer::intValue).max().orElse(0))
              .as("the largest chunk of %s, against Vert.x's default cut of 8192 bytes",
                  chunks.lengths.size())
              .isGreaterThan(8192)
              .isLessThanOrEqualTo(HttpTransport.MAX_CHUNK_BYTES);
          ctx.completeNow();
        }))));
  }
}
