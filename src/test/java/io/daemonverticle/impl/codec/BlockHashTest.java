package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BlockHashTest {

  static final String BITCOIN_GENESIS_HEADER =
      "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e"
          + "67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
  static final String BITCOIN_GENESIS_HASH =
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

  @Test
  void bitcoinGenesis() {
    assertThat(BlockHash.hexHash(Vectors.hex(BITCOIN_GENESIS_HEADER))).isEqualTo(BITCOIN_GENESIS_HASH);
  }

  @Test
  void onlyTheFirst80BytesCount() {
    assertThat(BlockHash.hexHash(Vectors.hex(BITCOIN_GENESIS_HEADER + "01ff"))).isEqualTo(BITCOIN_GENESIS_HASH);
  }

  @Test
  void zcoinBlockHashIsSha256d() {
    // Zcoin identifies blocks by sha256d of the header; Lyra2Z/MTP is only its proof of work.
    JsonObject vector = Vectors.load("zcoin_mainnet_100000");
    assertThat(BlockHash.hexHash(Vectors.block(vector))).isEqualTo(vector.getString("hash"));
  }

  @Test
  void dashBlockHashIsNotSha256d() {
    // Dash hashes headers with X11: a match here would mean the vector or the test is wrong.
    JsonObject vector = Vectors.load("dash_mainnet_844898");
    assertThat(BlockHash.hexHash(Vectors.block(vector))).isNotEqualTo(vector.getString("hash"));
  }

  @Test
  void shortHeaderIsRejected() {
    assertThatThrownBy(() -> BlockHash.hexHash(new byte[79]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("79");
  }
}
