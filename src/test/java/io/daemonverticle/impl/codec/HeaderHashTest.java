package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeaderHashTest {

  private static byte[] wanted(String displayHex) {
    return HashHex.hexToHash(displayHex, "hash");
  }

  @Test
  void bitcoinGenesisHeaderHashesToItsHash() {
    byte[] block = Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER + "01ff");
    assertThat(HeaderHash.SHA256D.hashes(block, block.length,
        wanted(BlockHashTest.BITCOIN_GENESIS_HASH))).isTrue();
    assertThat(HeaderHash.SHA256D.hexHash(block, block.length))
        .isEqualTo(BlockHashTest.BITCOIN_GENESIS_HASH);
  }

  @Test
  void oneChangedHeaderByteIsAnotherHash() {
    byte[] block = Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER);
    block[79] ^= 1;
    assertThat(HeaderHash.SHA256D.hashes(block, block.length,
        wanted(BlockHashTest.BITCOIN_GENESIS_HASH))).isFalse();
  }

  @Test
  void bytesAfterTheHeaderAreNotHashed() {
    byte[] block = Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER + "01ff");
    block[80] ^= 1;
    assertThat(HeaderHash.SHA256D.hashes(block, block.length,
        wanted(BlockHashTest.BITCOIN_GENESIS_HASH))).isTrue();
  }

  @Test
  void aBlockShorterThanItsHeaderHasNoHash() {
    byte[] block = Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER);
    assertThat(HeaderHash.SHA256D.hashes(block, 79,
        wanted(BlockHashTest.BITCOIN_GENESIS_HASH))).isFalse();
    assertThat(HeaderHash.SHA256D.hexHash(block, 79)).startsWith("nothing");
  }

  @Test
  void zcoinBlockBeforeMtpHashesItsFirst80Bytes() {
    JsonObject vector = Vectors.load("zcoin_mainnet_100000");
    byte[] block = Vectors.block(vector);
    assertThat(HeaderHash.ZCOIN_MTP.headerSize(block, block.length)).isEqualTo(80);
    assertThat(HeaderHash.ZCOIN_MTP.hashes(block, HeaderHash.MAX_HEADER_SIZE,
        wanted(vector.getString("hash")))).isTrue();
  }

  @Test
  void zcoinMtpBlockHashesItsFirst180BytesAndNotItsProof() throws Exception {
    byte[] block = new byte[ZcoinMtp.MTP_HEADER_DATA_START + 64];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (i * 13 + 7);
    }
    block[0] = 0x00;
    block[1] = 0x10; // version 0x1000: an MTP block
    block[2] = 0;
    block[3] = 0x20;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] of180 = sha.digest(sha.digest(Arrays.copyOf(block, 180)));
    byte[] of80 = sha.digest(sha.digest(Arrays.copyOf(block, 80)));

    assertThat(HeaderHash.ZCOIN_MTP.headerSize(block, block.length)).isEqualTo(180);
    assertThat(HeaderHash.ZCOIN_MTP.hashes(block, block.length, of180)).isTrue();
    assertThat(HeaderHash.ZCOIN_MTP.hashes(block, block.length, of80)).isFalse();
    assertThat(HeaderHash.SHA256D.hashes(block, block.length, of80)).isTrue();
    block[181] ^= 1;
    assertThat(HeaderHash.ZCOIN_MTP.hashes(block, block.length, of180))
        .as("the proof after the 180 bytes is not hashed").isTrue();
    block[179] ^= 1;
    assertThat(HeaderHash.ZCOIN_MTP.hashes(block, block.length, of180)).isFalse();
  }

  @Test
  void dashSmartCashAndDecredHeadersAreNotSha256d() {
    // Their hashes (X11, Keccak, BLAKE-256) are not in the JDK: the service leaves their
    // blocks unchecked. A match here would mean sha256d could check them after all.
    for (String name : new String[] {"dash_mainnet_844898", "smartcash_mainnet_200000",
        "decred_mainnet_100"}) {
      JsonObject vector = Vectors.load(name);
      byte[] block = Vectors.block(vector);
      assertThat(HeaderHash.SHA256D.hashes(block, block.length,
          wanted(vector.getString("hash")))).as(name).isFalse();
    }
  }
}
