package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteCursorTest {

  @Test
  void readsLittleEndianFieldsAndTracksPosition() {
    ByteCursor cursor = new ByteCursor(Vectors.hex(
        "ff" + "3412" + "feffffff" + "ffffffff" + "0100000000000080" + "aabb"));
    assertThat(cursor.u8()).isEqualTo(0xff);
    assertThat(cursor.position()).isEqualTo(1);
    assertThat(cursor.u16le()).isEqualTo(0x1234);
    assertThat(cursor.i32le()).isEqualTo(-2);
    assertThat(cursor.u32le()).isEqualTo(0xffff_ffffL);
    assertThat(cursor.i64le()).isEqualTo(0x8000_0000_0000_0001L);
    assertThat(cursor.position()).isEqualTo(19);
    assertThat(cursor.remaining()).isEqualTo(2);
    assertThat(cursor.bytes(2)).containsExactly(0xaa, 0xbb);
    assertThat(cursor.atEnd()).isTrue();
  }

  @Test
  void startsAtAGivenOffset() {
    ByteCursor cursor = new ByteCursor(Vectors.hex("0001020304"), 3);
    assertThat(cursor.position()).isEqualTo(3);
    assertThat(cursor.u8()).isEqualTo(3);
    assertThatThrownBy(() -> new ByteCursor(new byte[2], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start offset 3");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 0xfc, 0xfd, 0xfe, 0xff, 0x100, 0xffff, 0x10000, 0xffff_ffffL,
      0x1_0000_0000L, Long.MAX_VALUE})
  void varintRoundTripsAtEveryWidthBoundary(long value) {
    byte[] encoded = ByteSink.encodeVarint(value);
    ByteCursor cursor = new ByteCursor(encoded);
    assertThat(cursor.varint()).isEqualTo(value);
    assertThat(cursor.atEnd()).as("whole encoding consumed").isTrue();
  }

  @Test
  void varintAcceptsNonCanonicalEncodings() {
    assertThat(new ByteCursor(Vectors.hex("fd0100")).varint()).isEqualTo(1);
    assertThat(new ByteCursor(Vectors.hex("fe00010000")).varint()).isEqualTo(0x100);
  }

  @Test
  void varintRejectsValuesThatWouldTurnNegative() {
    assertThatThrownBy(() -> new ByteCursor(Vectors.hex("ff0000000000000080")).varint())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9223372036854775808");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "fd", "fd01", "fe010000", "ff01000000000000"})
  void truncatedVarintIsRejected(String hex) {
    assertThatThrownBy(() -> new ByteCursor(Vectors.hex(hex)).varint())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void countMustFitTheRemainingBytes() {
    assertThat(new ByteCursor(Vectors.hex("03aabbcc")).count()).isEqualTo(3);
    assertThatThrownBy(() -> new ByteCursor(Vectors.hex("04aabbcc")).count())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count 4 at offset 0 cannot fit");
    // Two elements of at least two bytes need four bytes, three remain.
    assertThatThrownBy(() -> new ByteCursor(Vectors.hex("02aabbcc")).count(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot fit");
    assertThatThrownBy(() -> new ByteCursor(Vectors.hex("feffffffff")).count())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4294967295");
  }

  @Test
  void skipVarBytesChecksTheDeclaredLength() {
    ByteCursor cursor = new ByteCursor(Vectors.hex("02aabbcc"));
    assertThat(cursor.skipVarBytes()).isEqualTo(2);
    assertThat(cursor.position()).isEqualTo(3);
    assertThatThrownBy(() -> new ByteCursor(Vectors.hex("03aabb")).skipVarBytes())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truncated input: length-prefixed bytes at offset 0 claim 3 bytes but only 2 remain");
  }

  @Test
  void everyFixedWidthReadRejectsTruncationWithItsOffset() {
    byte[] three = new byte[3];
    assertThatThrownBy(() -> new ByteCursor(three).u32le())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truncated input: u32le at offset 0 needs 4 bytes but only 3 remain");
    assertThatThrownBy(() -> new ByteCursor(three).i32le()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteCursor(three).i64le()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteCursor(three, 2).u16le()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteCursor(three, 3).u8()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteCursor(three).bytes(4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteCursor(three).skip(4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteCursor(three).skip(-1)).isInstanceOf(IllegalArgumentException.class);
    ByteCursor cursor = new ByteCursor(three);
    cursor.skip(3);
    assertThat(cursor.atEnd()).isTrue();
  }
}
