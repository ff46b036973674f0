package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashHexTest {

  private static final String DISPLAYED =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final String SERIALIZED =
      "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

  @Test
  void reversesBetweenDisplayAndSerializedOrder() {
    assertThat(Vectors.hex(HashHex.hexToHash(DISPLAYED, "hash"))).isEqualTo(SERIALIZED);
    assertThat(HashHex.hashToHex(Vectors.hex("ee" + SERIALIZED), 1)).isEqualTo(DISPLAYED);
  }

  @Test
  void rejectsWrongLengthsAndNonHex() {
    assertThatThrownBy(() -> HashHex.hexToHash("00", "merkleroot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("merkleroot must be 64 hex digits");
    assertThatThrownBy(() -> HashHex.hexToHash("zz" + DISPLAYED.substring(2), "merkleroot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("merkleroot is not valid hex");
    assertThatThrownBy(() -> HashHex.hashToHex(new byte[40], 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 9");
  }
}
