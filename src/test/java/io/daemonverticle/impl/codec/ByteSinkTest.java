package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSinkTest {

  @ParameterizedTest
  @CsvSource({
      "0, 00",
      "252, fc",
      "253, fdfd00",
      "65535, fdffff",
      "65536, fe00000100",
      "4294967295, feffffffff",
      "4294967296, ff0000000001000000",
  })
  void varintUsesTheShortestForm(long value, String hex) {
    assertThat(Vectors.hex(ByteSink.encodeVarint(value))).isEqualTo(hex);
  }

  @Test
  void writesLittleEndianFields() {
    byte[] bytes = new ByteSink()
        .u8(0xab)
        .u16le(0x1234)
        .i32le(-2)
        .u32le(0xffff_fffeL)
        .i64le(0x0102_0304_0506_0708L)
        .bytes(new byte[] {9})
        .toByteArray();
    assertThat(Vectors.hex(bytes)).isEqualTo("ab" + "3412" + "feffffff" + "feffffff" + "0807060504030201" + "09");
  }

  @Test
  void rejectsValuesOutsideTheFieldRange() {
    assertThatThrownBy(() -> new ByteSink().u32le(0x1_0000_0000L)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteSink().u32le(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteSink().u16le(0x10000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteSink().u8(256)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteSink.encodeVarint(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
