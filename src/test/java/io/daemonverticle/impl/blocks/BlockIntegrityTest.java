package io.daemonverticle.impl.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.impl.codec.HeaderHash;
import io.daemonverticle.impl.codec.HexSink;
import io.daemonverticle.impl.transport.TransientFailure;
import io.daemonverticle.testing.FakeChain;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The header check on the bytes as they were received: in chunks (REST) or decoded slabs. */
class BlockIntegrityTest {

  private static final BlockIntegrity SHA256D = BlockIntegrity.checkedBy(HeaderHash.SHA256D);

  private static byte[] block(int size) {
    byte[] block = new byte[size];
    new Random(size).nextBytes(block);
    return block;
  }

  /** The block as a REST reply that came in {@code chunkSize}-byte chunks. */
  private static ReceivedBytes received(byte[] block, int chunkSize) {
    ReceivedBytes received = new ReceivedBytes(n -> n);
    for (int at = 0; at < block.length; at += chunkSize) {
      received.chunk(Buffer.buffer().appendBytes(block, at,
          Math.min(chunkSize, block.length - at)));
    }
    return received;
  }

  /** The block as a JSON-RPC hex result, fed in {@code pieceSize}-digit pieces. */
  private static HexItem decoded(byte[] block, int pieceSize) {
    byte[] hex = (HexFormat.of().formatHex(block) + "\"").getBytes(StandardCharsets.US_ASCII);
    HexSink sink = new HexSink(false);
    for (int at = 0; at < hex.length; at += pieceSize) {
      if (sink.feed(hex, at, Math.min(hex.length, at + pieceSize)) >= 0) {
        break;
      }
    }
    sink.finish();
    return new HexItem(sink, null, null);
  }

  @Test
  void aHeaderSplitOverManyChunksIsHashedWhole() {
    byte[] first = block(1000);
    byte[] second = block(81);
    List<String> hashes = List.of(FakeChain.hashOf(first), FakeChain.hashOf(second));
    assertThatCode(() -> SHA256D.checkReceived(hashes,
        List.of(received(first, 7), received(second, 80)))).doesNotThrowAnyException();
    assertThatCode(() -> SHA256D.checkHex(hashes,
        new HexItem[] {decoded(first, 3), decoded(second, 1000)})).doesNotThrowAnyException();
  }

  @Test
  void aChangedHeaderByteIsWrongBytesNamingTheBlock() {
    byte[] block = block(1000);
    String hash = FakeChain.hashOf(block);
    block[40] ^= 1;
    assertThatThrownBy(() -> SHA256D.checkReceived(List.of(hash), List.of(received(block, 7))))
        .isInstanceOfSatisfying(TransientFailure.class, (TransientFailure f) ->
            assertThat(f.kind()).isEqualTo(TransientFailure.Kind.WRONG_BYTES))
        .hasMessage("block " + hash + " came as bytes whose header hashes to "
            + FakeChain.hashOf(block));
    assertThatThrownBy(() -> SHA256D.checkHex(List.of(hash), new HexItem[] {decoded(block, 64)}))
        .isInstanceOf(TransientFailure.class).hasMessageContaining(hash);
  }

  /** Each block against its own hash, in request order: two swapped blocks are wrong. */
  @Test
  void blocksInAnotherOrderAreWrongBytes() {
    byte[] first = block(300);
    byte[] second = block(400);
    List<String> hashes = List.of(FakeChain.hashOf(first), FakeChain.hashOf(second));
    assertThatThrownBy(() -> SHA256D.checkReceived(hashes,
        List.of(received(second, 50), received(first, 50))))
        .isInstanceOf(TransientFailure.class).hasMessageContaining(hashes.get(0));
  }

  @Test
  void aBlockShorterThanAHeaderIsWrongBytes() {
    byte[] header = block(80);
    String hash = FakeChain.hashOf(header);
    byte[] cut = java.util.Arrays.copyOf(header, 79);
    assertThatThrownBy(() -> SHA256D.checkReceived(List.of(hash), List.of(received(cut, 79))))
        .isInstanceOf(TransientFailure.class).hasMessageContaining("shorter than a header");
  }

  @Test
  void uncheckedPassesAnythingAndSaysWhy() {
    BlockIntegrity unchecked = BlockIntegrity.unchecked("X11 not available");
    assertThatCode(() -> unchecked.checkReceived(List.of("00".repeat(32)),
        List.of(received(block(100), 10)))).doesNotThrowAnyException();
    assertThat(unchecked.describe()).isEqualTo("unchecked (X11 not available)");
    assertThat(unchecked.checks()).isFalse();
    assertThat(SHA256D.describe()).isEqualTo("sha256d");
  }
}
