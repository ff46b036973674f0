package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LegacyBlockTest {

  private static final String GENESIS_MERKLE =
      "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
  private static final String SOME_HASH =
      "00000000000000000000000000000000000000000000000000000000000000ff";

  /** Bitcoin-style 80-byte header vectors; Decred's 180-byte header is not rebuildable. */
  static Stream<String> bitcoinStyleVectors() {
    return Stream.of("dash_", "smartcash_", "zcoin_").flatMap((String p) -> Vectors.names(p)
        .stream());
  }

  /** The vectors carry no version field, so it is taken from the block the reply describes. */
  private static JsonObject verboseReply(JsonObject vector) {
    JsonObject reply = vector.copy();
    reply.remove("block");
    reply.put("version", new ByteCursor(Vectors.block(vector)).u32le());
    return reply;
  }

  private static JsonObject genesisReply() {
    return new JsonObject()
        .put("version", 1)
        .put("merkleroot", GENESIS_MERKLE)
        .put("time", 1231006505)
        .put("bits", "1d00ffff")
        .put("nonce", 2083236893L)
        .put("height", 0);
  }

  @ParameterizedTest
  @MethodSource("bitcoinStyleVectors")
  void headerMatchesTheRealBlock(String name) {
    JsonObject vector = Vectors.load(name);
    byte[] block = Vectors.block(vector);
    assertThat(LegacyBlock.header(verboseReply(vector))).isEqualTo(Arrays.copyOf(block, 80));
  }

  @ParameterizedTest
  @MethodSource("bitcoinStyleVectors")
  void singleTransactionBlocksRebuildExactly(String name) {
    JsonObject vector = Vectors.load(name);
    byte[] block = Vectors.block(vector);
    // Splitting several transactions apart needs a full transaction parser: shown as skipped.
    assumeTrue(block[80] == 1, name + " has " + block[80] + " transactions, not one");
    byte[] coinbase = Arrays.copyOfRange(block, 81, block.length);
    assertThat(LegacyBlock.block(verboseReply(vector), List.of(coinbase))).isEqualTo(block);
  }

  @Test
  void someVectorsHaveASingleTransaction() {
    assertThat(bitcoinStyleVectors().filter((String n) -> Vectors.block(Vectors.load(n))[80] == 1))
        .hasSize(3);
  }

  @Test
  void genesisHasZeroParentAndASingleZeroByte() {
    byte[] header = Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER);
    byte[] expected = Arrays.copyOf(header, 81);

    assertThat(LegacyBlock.header(genesisReply())).isEqualTo(header);
    assertThat(LegacyBlock.block(genesisReply(), List.of())).isEqualTo(expected);
    assertThat(LegacyBlock.block(genesisReply(), List.of(new byte[] {1, 2, 3}))).isEqualTo(expected);
    assertThat(BlockHash.hexHash(LegacyBlock.header(genesisReply())))
        .isEqualTo(BlockHashTest.BITCOIN_GENESIS_HASH);
  }

  @Test
  void nullPreviousHashMeansGenesisToo() {
    JsonObject reply = genesisReply().putNull("previousblockhash");
    assertThat(LegacyBlock.header(reply)).isEqualTo(Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER));
  }

  @Test
  void textTimeIsReadAsUtc() {
    JsonObject reply = genesisReply().put("time", "2017-01-01 00:00:00 UTC");
    assertThat(new ByteCursor(LegacyBlock.header(reply), 68).u32le()).isEqualTo(1_483_228_800L);
    JsonObject genesis = genesisReply().put("time", "2009-01-03 18:15:05 UTC");
    assertThat(LegacyBlock.header(genesis)).isEqualTo(Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER));
  }

  @Test
  void bitsAsNumberOrHexGiveTheSameHeader() {
    byte[] fromHex = LegacyBlock.header(genesisReply());
    byte[] fromNumber = LegacyBlock.header(genesisReply().put("bits", 0x1d00ffffL));
    assertThat(fromNumber).isEqualTo(fromHex);
    assertThat(Arrays.copyOfRange(fromHex, 72, 76)).isEqualTo(Vectors.hex("ffff001d"));
  }

  @Test
  void versionIsWrittenAsUnsigned32Bits() {
    assertThat(versionBytes(0x2000_0000L)).isEqualTo("00000020");
    assertThat(versionBytes(0xffff_ffffL)).isEqualTo("ffffffff");
    // A daemon printing version as int32 gives a negative number for the same bits.
    assertThat(versionBytes(-1L)).isEqualTo("ffffffff");
    assertThat(versionBytes((long) Integer.MIN_VALUE)).isEqualTo("00000080");
    assertThatThrownBy(() -> versionBytes(0x1_0000_0000L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
  }

  private static String versionBytes(long version) {
    return Vectors.hex(Arrays.copyOf(LegacyBlock.header(genesisReply().put("version", version)), 4));
  }

  @Test
  void transactionsFollowAVarintCount() {
    JsonObject reply = genesisReply().put("height", 5).put("previousblockhash", SOME_HASH);
    byte[] tx1 = {1, 2, 3};
    byte[] tx2 = {4, 5};

    byte[] block = LegacyBlock.block(reply, List.of(tx1, tx2));

    assertThat(Arrays.copyOf(block, 80)).isEqualTo(LegacyBlock.header(reply));
    assertThat(Vectors.hex(Arrays.copyOfRange(block, 80, block.length))).isEqualTo("02" + "010203" + "0405");
    assertThat(Vectors.hex(Arrays.copyOfRange(block, 4, 36))).startsWith("ff00");
  }

  @Test
  void manyTransactionsUseAThreeByteCount() {
    JsonObject reply = genesisReply().put("height", 1);
    List<byte[]> txs = new ArrayList<>();
    for (int i = 0; i < 253; i++) {
      txs.add(new byte[] {(byte) i});
    }
    byte[] block = LegacyBlock.block(reply, txs);
    ByteCursor cursor = new ByteCursor(block, 80);
    assertThat(Vectors.hex(Arrays.copyOfRange(block, 80, 83))).isEqualTo("fdfd00");
    assertThat(cursor.varint()).isEqualTo(253);
    assertThat(cursor.remaining()).isEqualTo(253);
  }

  @Test
  void emptyTransactionListAboveGenesisStillWritesAZeroCount() {
    JsonObject reply = genesisReply().put("height", 1);
    assertThat(LegacyBlock.block(reply, List.of())).hasSize(81).endsWith(0);
  }

  @Test
  void transactionCountMustMatchTheReply() {
    JsonObject reply = genesisReply().put("height", 1).put("tx", new JsonArray().add("aa").add("bb"));
    assertThatThrownBy(() -> LegacyBlock.block(reply, List.of(new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lists 2 transactions but 1 raw");
  }

  @Test
  void missingFieldsAreNamed() {
    for (String field : List.of("version", "merkleroot", "time", "bits", "nonce")) {
      JsonObject reply = genesisReply();
      reply.remove(field);
      assertThatThrownBy(() -> LegacyBlock.header(reply))
          .as(field)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("getblock reply lacks " + field);
    }
    JsonObject noHeight = genesisReply();
    noHeight.remove("height");
    assertThatThrownBy(() -> LegacyBlock.block(noHeight, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("getblock reply lacks height");
  }

  @Test
  void illTypedOrMalformedFieldsAreRejected() {
    assertRejected(genesisReply().put("merkleroot", 5), "merkleroot should be a string");
    assertRejected(genesisReply().put("merkleroot", "abcd"), "merkleroot must be 64 hex digits");
    assertRejected(genesisReply().put("previousblockhash", 7), "previousblockhash should be a hex string");
    assertRejected(genesisReply().put("previousblockhash", "xy" + SOME_HASH.substring(2)),
        "previousblockhash is not valid hex");
    assertRejected(genesisReply().put("version", "1"), "version should be a number");
    assertRejected(genesisReply().put("nonce", 1.5), "nonce is not an integer");
    assertRejected(genesisReply().put("nonce", 0x1_0000_0000L), "nonce is not an unsigned 32-bit value");
    assertRejected(genesisReply().put("nonce", -1), "nonce is not an unsigned 32-bit value");
    assertRejected(genesisReply().put("bits", "zz"), "bits is not hex");
    assertRejected(genesisReply().put("bits", "1d00ffff00"), "bits must be 1 to 8 hex digits");
    assertRejected(genesisReply().put("bits", true), "bits should be a number");
    assertRejected(genesisReply().put("time", "1483228800"), "yyyy-MM-dd HH:mm:ss UTC");
    assertRejected(genesisReply().put("time", "2017-01-01 00:00:00 PST"), "yyyy-MM-dd HH:mm:ss UTC");
    assertRejected(genesisReply().put("time", "2017-02-30 00:00:00 UTC"), "yyyy-MM-dd HH:mm:ss UTC");
    assertRejected(genesisReply().put("time", "1969-12-31 23:59:59 UTC"), "unsigned 32-bit timestamp");
    assertThatThrownBy(() -> LegacyBlock.block(genesisReply().put("height", -1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("height is negative");
  }

  @Test
  void nonIntegralButWholeNumbersAreAccepted() {
    JsonObject reply = genesisReply().put("nonce", 2083236893.0).put("time", 1231006505L);
    assertThat(LegacyBlock.header(reply)).isEqualTo(Vectors.hex(BlockHashTest.BITCOIN_GENESIS_HEADER));
  }

  @Test
  void parsedJsonNumbersWork() {
    // Exercise the types a real JSON decoder produces rather than those put() stores.
    JsonObject reply = new JsonObject(genesisReply().put("nonce", 4_000_000_000L).encode());
    assertThat(new ByteCursor(LegacyBlock.header(reply), 76).u32le()).isEqualTo(4_000_000_000L);
  }

  private static void assertRejected(JsonObject reply, String message) {
    assertThatThrownBy(() -> LegacyBlock.header(reply))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
