package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Txids computed from raw bytes, against the txids the daemons gave for real blocks, and for
 * segwit serializations (whose witness must not change the id).
 */
class TxIdTest {

  private static final HexFormat HEX = HexFormat.of();

  /** The txids of every transaction of a real block, read one after the other. */
  @ParameterizedTest
  @ValueSource(strings = {"smartcash_mainnet_200000", "zcoin_mainnet_100000"})
  void everyTransactionOfARealBlockHasTheDaemonsTxid(String name) {
    // SmartCash hashes a transaction once, Zcoin twice (as Bitcoin).
    TxId.Hash hash = name.startsWith("smartcash") ? TxId.Hash.SHA256 : TxId.Hash.SHA256D;
    JsonObject vector = Vectors.load(name);
    byte[] block = HEX.parseHex(vector.getString("block"));
    ByteCursor cursor = new ByteCursor(block, BlockHash.HEADER_SIZE);
    int count = cursor.count();
    int at = cursor.position();
    List<String> txids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TxId.Read tx = TxId.read(block, at, hash);
      txids.add(tx.txid());
      at = tx.end();
    }
    assertThat(at).isEqualTo(block.length);
    assertThat(txids).isEqualTo(vector.getJsonArray("tx").getList());
  }

  @Test
  void aWitnessDoesNotChangeTheId() {
    // The coinbase of a real block, serialized again with a marker, a flag and a witness (one
    // 32-byte item, as a segwit coinbase carries): the same transaction, the same id.
    JsonObject vector = Vectors.load("zcoin_mainnet_100000");
    byte[] block = HEX.parseHex(vector.getString("block"));
    ByteCursor cursor = new ByteCursor(block, BlockHash.HEADER_SIZE);
    cursor.count();
    int start = cursor.position();
    TxId.Read coinbase = TxId.read(block, start);
    String plain = HEX.formatHex(block, start, coinbase.end());
    String segwit = plain.substring(0, 8) + "0001" + plain.substring(8, plain.length() - 8)
        + "0120" + "11".repeat(32) + plain.substring(plain.length() - 8);
    assertThat(TxId.of(plain)).isEqualTo(vector.getJsonArray("tx").getString(0));
    assertThat(TxId.of(segwit)).isEqualTo(TxId.of(plain));
  }

  @Test
  void bytesThatAreNotOneWholeTransactionAreRefused() {
    JsonObject vector = Vectors.load("smartcash_mainnet_200000");
    byte[] block = HEX.parseHex(vector.getString("block"));
    ByteCursor cursor = new ByteCursor(block, BlockHash.HEADER_SIZE);
    cursor.count();
    int start = cursor.position();
    String plain = HEX.formatHex(block, start, TxId.read(block, start).end());
    assertThatThrownBy(() -> TxId.of(plain + "00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TxId.of(plain.substring(0, plain.length() - 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
