package io.daemonverticle.impl.codec;

import static io.daemonverticle.impl.codec.ZcoinMtp.MTP_HEADER_DATA_END;
import static io.daemonverticle.impl.codec.ZcoinMtp.MTP_HEADER_DATA_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ZcoinMtpTest {

  private static final long MTP_VERSION = 0x2000_1000L;

  /** A block whose bytes depend on their offset, so any misplaced cut shows up. */
  private static byte[] syntheticBlock(long version, int length) {
    byte[] block = new byte[length];
    for (int i = 0; i < length; i++) {
      block[i] = (byte) (i * 31 + i / 251);
    }
    byte[] versionBytes = new ByteSink().u32le(version).toByteArray();
    System.arraycopy(versionBytes, 0, block, 0, 4);
    return block;
  }

  @Test
  void constantsMatchElectrumX() {
    assertThat(MTP_HEADER_DATA_START).isEqualTo(180);
    assertThat(MTP_HEADER_DATA_END).isEqualTo(199_044);
  }

  @Test
  void mtpBlockLosesExactlyTheProofData() {
    int tail = 1_000;
    byte[] block = syntheticBlock(MTP_VERSION, MTP_HEADER_DATA_END + tail);

    byte[] stripped = ZcoinMtp.stripMtpData(block);

    assertThat(stripped).hasSize(180 + tail);
    assertThat(Arrays.copyOfRange(stripped, 0, 180)).isEqualTo(Arrays.copyOfRange(block, 0, 180));
    assertThat(Arrays.copyOfRange(stripped, 180, stripped.length))
        .isEqualTo(Arrays.copyOfRange(block, 199_044, block.length));
    assertThat(block).as("input left untouched").isEqualTo(syntheticBlock(MTP_VERSION, block.length));
  }

  @Test
  void mtpBlockOfExactlyTheHeaderKeepsOnlyTheFirst180Bytes() {
    byte[] block = syntheticBlock(0x1000, MTP_HEADER_DATA_END);
    assertThat(ZcoinMtp.stripMtpData(block)).isEqualTo(Arrays.copyOf(block, 180));
  }

  @Test
  void shortMtpBlockIsRejected() {
    byte[] block = syntheticBlock(MTP_VERSION, MTP_HEADER_DATA_END - 1);
    assertThatThrownBy(() -> ZcoinMtp.stripMtpData(block))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("199043 bytes")
        .hasMessageContaining("199044");
  }

  @Test
  void nonMtpBlockIsReturnedAsIs() {
    byte[] block = syntheticBlock(0x2000_0fffL, 300);
    assertThat(ZcoinMtp.isMtp(block)).isFalse();
    assertThat(ZcoinMtp.stripMtpData(block)).isSameAs(block);
  }

  @Test
  void realZcoinBlockAtHeight100000IsNotMtp() {
    JsonObject vector = Vectors.load("zcoin_mainnet_100000");
    byte[] block = Vectors.block(vector);
    assertThat(new ByteCursor(block).u32le()).isEqualTo(0x2000_0000L);
    assertThat(ZcoinMtp.isMtp(block)).isFalse();
    assertThat(ZcoinMtp.stripMtpData(block)).isSameAs(block);
  }

  @Test
  void blockTooShortForAVersionIsRejected() {
    assertThatThrownBy(() -> ZcoinMtp.stripMtpData(new byte[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bytes");
  }
}
