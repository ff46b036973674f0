package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecredBlockTest {

  private static final int HEADER = DecredBlock.HEADER_SIZE;

  /** Counts and tree ends worked out independently from the vectors (header vote counts, a
   * separate parser). */
  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of("decred_mainnet_100", 1, 0, 381),
        Arguments.of("decred_mainnet_120000", 2, 5, 1048),
        Arguments.of("decred_testnet_1000", 2, 10, 752),
        Arguments.of("decred_testnet_5107", 1, 9, 357));
  }

  @Test
  void everyDecredVectorIsCovered() {
    assertThat(Vectors.names("decred_"))
        .containsExactlyInAnyOrderElementsOf(vectors().map((Arguments a) -> (String) a.get()[0])
            .toList());
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void countsBothTrees(String name, int regular, int stake, int regularEnd) {
    JsonObject vector = Vectors.load(name);
    byte[] block = Vectors.block(vector);

    int[] counts = DecredBlock.countTransactions(block);

    assertThat(counts).containsExactly(regular, stake);
    // The vector's tx list holds regular then stake transactions.
    assertThat(counts[0] + counts[1]).isEqualTo(vector.getJsonArray("tx").size());
    // Every stake transaction is a vote, a ticket purchase or a revocation, which the header counts.
    ByteCursor header = new ByteCursor(block, 108);
    int voters = header.u16le();
    int freshStake = header.u8();
    int revocations = header.u8();
    assertThat(counts[1]).isEqualTo(voters + freshStake + revocations);
    assertThat(DecredBlock.regularTreeEnd(block)).isEqualTo(regularEnd);
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void stripKeepsHeaderAndStakeTreeByteForByte(String name, int regular, int stake, int regularEnd) {
    byte[] block = Vectors.block(Vectors.load(name));

    byte[] stripped = DecredBlock.stripRegularTree(block);

    assertThat(stripped).hasSize(block.length - (regularEnd - HEADER) + 1);
    assertThat(Arrays.copyOfRange(stripped, 0, HEADER)).isEqualTo(Arrays.copyOfRange(block, 0, HEADER));
    assertThat(stripped[HEADER]).isZero();
    assertThat(Arrays.copyOfRange(stripped, HEADER + 1, stripped.length))
        .isEqualTo(Arrays.copyOfRange(block, regularEnd, block.length));
    assertThat(DecredBlock.regularTreeEnd(stripped)).isEqualTo(HEADER + 1);
    assertThat(DecredBlock.countTransactions(stripped)).containsExactly(0, stake);
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void readsParentHashAndVoteBits(String name) {
    JsonObject vector = Vectors.load(name);
    byte[] block = Vectors.block(vector);

    assertThat(DecredBlock.parentHash(block)).isEqualTo(vector.getString("previousblockhash"));
    int voteBits = DecredBlock.voteBits(block);
    assertThat(voteBits).isEqualTo(new ByteCursor(block, 100).u16le()).isEqualTo(0x0001);
    assertThat(DecredBlock.parentRegularTreeValid(voteBits)).isTrue();
  }

  @Test
  void onlyVoteBitZeroApprovesTheParent() {
    assertThat(DecredBlock.parentRegularTreeValid(0x0000)).isFalse();
    assertThat(DecredBlock.parentRegularTreeValid(0xfffe)).isFalse();
    assertThat(DecredBlock.parentRegularTreeValid(0x8001)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void everyTruncationIsRejectedWithAMessage(String name) {
    byte[] block = Vectors.block(Vectors.load(name));
    for (int length = HEADER; length < block.length; length++) {
      byte[] truncated = Arrays.copyOf(block, length);
      assertThatThrownBy(() -> DecredBlock.countTransactions(truncated))
          .as("block cut to %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed Decred block");
      assertThatThrownBy(() -> DecredBlock.stripRegularTree(truncated))
          .as("block cut to %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void truncatedBlockNamesWhereItBroke() {
    byte[] block = Vectors.block(Vectors.load("decred_mainnet_120000"));
    byte[] truncated = Arrays.copyOf(block, 1000);
    assertThatThrownBy(() -> DecredBlock.regularTreeEnd(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regular tree transaction 1 (of 2)")
        .hasMessageContaining("truncated");
  }

  @Test
  void blockShorterThanItsHeaderIsRejected() {
    byte[] header = new byte[HEADER - 1];
    assertThatThrownBy(() -> DecredBlock.parentHash(header))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than its 180-byte header");
    assertThatThrownBy(() -> DecredBlock.voteBits(header)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecredBlock.countTransactions(header)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] block = Vectors.block(Vectors.load("decred_mainnet_100"));
    byte[] padded = Arrays.copyOf(block, block.length + 1);
    assertThatThrownBy(() -> DecredBlock.countTransactions(padded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 trailing bytes");
    assertThatThrownBy(() -> DecredBlock.stripRegularTree(padded))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonFullSerializationIsRejected() {
    byte[] block = Vectors.block(Vectors.load("decred_mainnet_100"));
    // The first transaction's version follows the one-byte count; its upper half is the type.
    assertThat(new ByteCursor(block, HEADER + 1).i32le()).isEqualTo(1);
    block[HEADER + 1 + 2] = 1;
    assertThatThrownBy(() -> DecredBlock.countTransactions(block))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regular tree transaction 0")
        .hasMessageContaining("serialization type 1");
  }

  @Test
  void parsesASyntheticBlockWithMultiByteLengths() {
    ByteSink sink = new ByteSink().bytes(new byte[HEADER]).varint(1);
    writeTx(sink, 2, 3, 300, 2);
    int regularEnd = sink.size();
    sink.varint(2);
    writeTx(sink, 1, 1, 0, 1);
    writeTx(sink, 0, 0, 0, 0);
    byte[] block = sink.toByteArray();

    assertThat(DecredBlock.regularTreeEnd(block)).isEqualTo(regularEnd);
    assertThat(DecredBlock.countTransactions(block)).containsExactly(1, 2);
    assertThat(DecredBlock.stripRegularTree(block)).hasSize(block.length - (regularEnd - HEADER) + 1);
  }

  @Test
  void witnessCountMustEqualInputCount() {
    ByteSink sink = new ByteSink().bytes(new byte[HEADER]).varint(1);
    writeTx(sink, 2, 1, 5, 1);
    byte[] block = sink.varint(0).toByteArray();
    assertThatThrownBy(() -> DecredBlock.countTransactions(block))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("witness count 1")
        .hasMessageContaining("input count 2");
  }

  @Test
  void impossibleTransactionCountIsRejectedAtOnce() {
    byte[] block = new ByteSink().bytes(new byte[HEADER]).u8(0xfe).u32le(0xffff_ffffL).toByteArray();
    assertThatThrownBy(() -> DecredBlock.countTransactions(block))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regular tree transaction count")
        .hasMessageContaining("cannot fit");
  }

  /** Writes a full-serialization Decred transaction; script lengths of 253+ need 3-byte varints. */
  private static void writeTx(ByteSink sink, int inputs, int outputs, int scriptLength, int witnesses) {
    sink.i32le(1).varint(inputs);
    for (int i = 0; i < inputs; i++) {
      sink.bytes(new byte[32]).u32le(i).u8(0).u32le(0xffff_ffffL);
    }
    sink.varint(outputs);
    for (int i = 0; i < outputs; i++) {
      sink.i64le(1_000L * i).u16le(0).varint(scriptLength).bytes(new byte[scriptLength]);
    }
    sink.u32le(0).u32le(0).varint(witnesses);
    for (int i = 0; i < witnesses; i++) {
      sink.i64le(5).u32le(0).u32le(0xffff_ffffL).varint(scriptLength).bytes(new byte[scriptLength]);
    }
  }
}
