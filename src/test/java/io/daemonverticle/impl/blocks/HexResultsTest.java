package io.daemonverticle.impl.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.BlockFrames;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Framing decoded blocks: byte for byte, and without copying them. */
class HexResultsTest {

  @Test
  void decodedBlocksAreFramedAsTheyLieNotCopied() {
    Random random = new Random(7);
    byte[][] blocks = {new byte[3_000_000], new byte[0], new byte[80], new byte[200_001]};
    StringBuilder reply = new StringBuilder("[");
    for (int i = 0; i < blocks.length; i++) {
      random.nextBytes(blocks[i]);
      reply.append(i == 0 ? "" : ",").append("{\"result\":\"")
          .append(HexFormat.of().formatHex(blocks[i])).append("\",\"error\":null,\"id\":")
          .append(10 + i).append('}');
    }
    HexBatchScanner scanner = new HexBatchScanner(10, blocks.length, false, "test");
    scanner.feed(Buffer.buffer(reply.append(']').toString().getBytes(StandardCharsets.US_ASCII)));
    HexItem[] items = scanner.end();

    Buffer framed = HexResults.framedBlocks(items, null, Long.MAX_VALUE);

    List<Buffer> got = BlockFrames.read(framed);
    assertThat(got).hasSize(blocks.length);
    for (int i = 0; i < blocks.length; i++) {
      assertThat(got.get(i).getBytes()).as("block %d", i).isEqualTo(blocks[i]);
    }
    assertThat(underneath(((BufferInternal) framed).getByteBuf()))
        .as("the decoded slabs, not a copy").isInstanceOf(CompositeByteBuf.class);
  }

  /** The buffer under Vert.x's wrappers (unreleasable, sliced). */
  private static ByteBuf underneath(ByteBuf buf) {
    ByteBuf inner = buf;
    while (inner.unwrap() != null) {
      inner = inner.unwrap();
    }
    return inner;
  }
}
