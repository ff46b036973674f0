package io.daemonverticle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bench's check of the service's answers against what the fake daemon serves: a block
 * with one wrong byte anywhere, a wrong transaction or a wrong height fails its pass, also
 * when the block comes as a composite of received chunks.
 */
class ExpectedTest {

  private static final int HEADER = 80;
  private static final int BLOCK_BYTES = 64 * 1024 + 7;

  /** The fake's body: every block's bytes after its header. */
  private static final byte[] BODY = body();

  private static byte[] body() {
    byte[] body = new byte[BLOCK_BYTES - HEADER];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31 + 7);
    }
    return body;
  }

  private static byte[] block(int height) {
    byte[] block = new byte[BLOCK_BYTES];
    block[76] = (byte) height;
    System.arraycopy(BODY, 0, block, HEADER, BODY.length);
    return block;
  }

  private static String hash(byte[] block) {
    return Expected.headerHash(Buffer.buffer(block));
  }

  /** A block as the service hands it over: a composite of 1000-byte chunks. */
  private static Buffer chunked(byte[] block) {
    CompositeByteBuf frames = Unpooled.compositeBuffer(BLOCK_BYTES / 1000 + 1);
    for (int from = 0; from < block.length; from += 1000) {
      frames.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(block, from,
          Math.min(block.length, from + 1000))));
    }
    return BufferInternal.buffer(frames);
  }

  private static Expected expected() {
    Map<String, String> txs = new LinkedHashMap<>();
    txs.put("aa".repeat(32), "0200000000000000cdcd");
    txs.put("bb".repeat(32), "0200000001000000cdcd");
    return new Expected(1_000_000, BODY, txs);
  }

  @Test
  void theFakesBlocksPassAsTheyCome() {
    Expected expected = expected();
    byte[] first = block(1);
    byte[] second = block(2);
    assertThat(expected.blocks(List.of(hash(first), hash(second)),
        List.of(chunked(first), Buffer.buffer(second)), true)).isEqualTo(2L * BLOCK_BYTES);
  }

  @Test
  void oneWrongByteAnywhereInABlockFailsTheEveryByteCheck() {
    Expected expected = expected();
    for (int at : new int[] {HEADER, HEADER + 999, HEADER + 1000, 33_333, BLOCK_BYTES - 1}) {
      byte[] block = block(1);
      String hash = hash(block);
      block[at] ^= 1;
      assertThatThrownBy(() -> expected.blocks(List.of(hash), List.of(chunked(block)), true))
          .as("a wrong byte at %d", at).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("wrong byte at " + at);
    }
  }

  @Test
  void aWrongHeaderOrLengthOrBlockOrderFails() {
    Expected expected = expected();
    byte[] first = block(1);
    byte[] second = block(2);
    byte[] header = block(1);
    header[0] ^= 1;
    assertThatThrownBy(() -> expected.blocks(List.of(hash(first)), List.of(chunked(header)),
        false)).hasMessageContaining("hashes to");
    assertThatThrownBy(() -> expected.blocks(List.of(hash(first), hash(second)),
        List.of(Buffer.buffer(second), Buffer.buffer(first)), false))
        .as("the blocks swapped").hasMessageContaining("hashes to");
    assertThatThrownBy(() -> expected.blocks(List.of(hash(first)),
        List.of(Buffer.buffer(Arrays.copyOf(first, BLOCK_BYTES - 1))), false))
        .hasMessageContaining((BLOCK_BYTES - 1) + " bytes");
    assertThatThrownBy(() -> expected.blocks(List.of(hash(first), hash(second)),
        List.of(Buffer.buffer(first)), false)).hasMessageContaining("1 blocks for 2 hashes");
  }

  /**
   * A timed pass compares a stripe of each block, the next stripe for the next block: a byte
   * wrong in every block is found within {@link Expected#STRIPES} blocks, wherever it is.
   */
  @Test
  void theStripesOfATimedPassFindAWrongByteWithinOneTurn() {
    for (int at : new int[] {HEADER, BLOCK_BYTES / 2, BLOCK_BYTES - 1}) {
      Expected expected = expected();
      byte[] block = block(1);
      String hash = hash(block);
      block[at] ^= 1;
      List<Integer> passed = new ArrayList<>();
      for (int n = 0; n < Expected.STRIPES; n++) {
        try {
          expected.blocks(List.of(hash), List.of(chunked(block)), false);
          passed.add(n);
        } catch (IllegalStateException wrong) {
          assertThat(wrong).hasMessageContaining("wrong byte at " + at);
          break;
        }
      }
      assertThat(passed).as("a wrong byte at %d", at).hasSizeLessThan(Expected.STRIPES);
    }
  }

  @Test
  void aTransactionMustBeTheFakesHexForItsTxid() {
    Expected expected = expected();
    String a = "aa".repeat(32);
    String b = "bb".repeat(32);
    assertThat(expected.txids()).containsExactly(a, b);
    assertThat(expected.transactions(List.of(a, b, a),
        List.of("0200000000000000cdcd", "0200000001000000cdcd", "0200000000000000cdcd")))
        .isEqualTo(3);
    assertThatThrownBy(() -> expected.transactions(List.of(a, b),
        List.of("0200000000000000cdcd", "0200000001000000cdce")))
        .hasMessageContaining("wrong transaction for " + b);
    assertThatThrownBy(() -> expected.transactions(List.of(a, b),
        List.of("0200000001000000cdcd", "0200000000000000cdcd")))
        .as("the answers swapped").hasMessageContaining("wrong transaction for " + a);
    assertThatThrownBy(() -> expected.transactions(List.of(a, b),
        List.of("0200000000000000cdcd"))).hasMessageContaining("1 answers for 2 txids");
  }

  @Test
  void theHeightMustBeTheFakesTip() {
    Expected expected = expected();
    assertThatCode(() -> expected.height(1_000_000)).doesNotThrowAnyException();
    assertThatThrownBy(() -> expected.height(999_999)).hasMessageContaining("tip is 1000000");
  }
}
