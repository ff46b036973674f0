package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import org.junit.jupiter.api.Test;

/**
 * Each kind of parameter adds its own room to a body's bounds, to the byte and the token: an
 * action's limit is what its declaration allows and not a byte more (a limit too small
 * refuses good requests, one too large lets the front read more than it should).
 */
class BodyLimitsTest {

  /** A parameter's name, quotes, colon, comma and blanks: 8 bytes around its value. */
  private static long named(String name, long valueBytes) {
    return name.length() + 8 + valueBytes;
  }

  @Test
  void anUndeclaredActionHasTheBaseOnly() {
    assertThat(BodyLimits.bytes(null, 1000)).isEqualTo(1024);
    assertThat(BodyLimits.tokens(null, 1000)).isEqualTo(64);
  }

  @Test
  void numbersFlagsHashesAndModesTakeAFewBytesEach() {
    assertThat(BodyLimits.bytes(Actions.spec(Actions.BLOCK_HEX_HASHES), 1000))
        .isEqualTo(1024 + named("first", 24) + named("count", 24));
    assertThat(BodyLimits.bytes(Actions.spec(Actions.ESTIMATE_FEE), 1000))
        .isEqualTo(1024 + named("blocks", 24) + named("mode", 80));
    assertThat(BodyLimits.bytes(Actions.spec(Actions.GET_RAW_TRANSACTION), 1000))
        .isEqualTo(1024 + named("txid", 80) + named("verbose", 24));
    // Two tokens each: the name and the value.
    assertThat(BodyLimits.tokens(Actions.spec(Actions.BLOCK_HEX_HASHES), 1000))
        .isEqualTo(64 + 2 + 2);
    assertThat(BodyLimits.tokens(Actions.spec(Actions.ESTIMATE_FEE), 1000))
        .isEqualTo(64 + 2 + 2);
    assertThat(BodyLimits.tokens(Actions.spec(Actions.GET_RAW_TRANSACTION), 1000))
        .isEqualTo(64 + 2 + 2);
    assertThat(BodyLimits.tokens(Actions.spec(Actions.BROADCAST_TRANSACTION), 1000))
        .isEqualTo(64 + 2);
  }

  @Test
  void hashesGrowWithMaxBatch() {
    assertThat(BodyLimits.bytes(Actions.spec(Actions.RAW_BLOCKS), 1000))
        .isEqualTo(1024 + named("hashes", 80 * 1000));
    assertThat(BodyLimits.bytes(Actions.spec(Actions.RAW_BLOCKS), 10))
        .isEqualTo(1024 + named("hashes", 80 * 10));
    // The name, the brackets and one token a hash.
    assertThat(BodyLimits.tokens(Actions.spec(Actions.RAW_BLOCKS), 1000))
        .isEqualTo(64 + 1 + 2 + 1000);
    assertThat(BodyLimits.tokens(Actions.spec(Actions.RAW_BLOCKS), 10))
        .isEqualTo(64 + 1 + 2 + 10);
  }

  @Test
  void rawTransactionsTakeTheLargestTransactionWhateverMaxBatch() {
    assertThat(BodyLimits.bytes(Actions.spec(Actions.BROADCAST_TRANSACTION), 1000))
        .isEqualTo(1024 + named("rawTx", 8_000_000 + 8));
    assertThat(BodyLimits.bytes(Actions.spec(Actions.BROADCAST_PACKAGE), 1000))
        .isEqualTo(1024 + named("rawTxs", 8_000_000 + 64 * 1024))
        .isEqualTo(BodyLimits.bytes(Actions.spec(Actions.BROADCAST_PACKAGE), 1));
    assertThat(BodyLimits.tokens(Actions.spec(Actions.BROADCAST_PACKAGE), 10))
        .isEqualTo(64 + 1 + 2 + 10);
  }

  @Test
  void passThroughParametersTakeAMegabyteAndSixteenTokensAnItem() {
    assertThat(BodyLimits.bytes(Actions.spec(Actions.PROTX), 1000))
        .isEqualTo(1024 + named("params", 1024 * 1024));
    assertThat(BodyLimits.tokens(Actions.spec(Actions.PROTX), 1000))
        .isEqualTo(64 + 1 + 2 + 16 * 1000);
  }
}
