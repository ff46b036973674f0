package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.HEX;

import io.daemonverticle.impl.codec.ByteCursor;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves real blocks the way a legacy daemon does: verbose getblock only (taking exactly one
 * parameter), and each transaction's hex from getrawtransaction [txid, 0], sliced out of the
 * real raw block.
 */
final class LegacyChain {

  private final Map<String, JsonObject> verbose = new HashMap<>();
  private final Map<String, String> rawTxs = new HashMap<>();

  /** Adds a vector's block with its verbose fields as bitcoind prints them. */
  LegacyChain add(JsonObject vector) {
    byte[] block = KindHarness.block(vector);
    JsonObject json = new JsonObject()
        .put("hash", vector.getString("hash"))
        .put("height", vector.getLong("height"))
        // The vectors lack the version; it is the header's first field.
        .put("version", new ByteCursor(block).u32le())
        .put("previousblockhash", vector.getString("previousblockhash"))
        .put("merkleroot", vector.getString("merkleroot"))
        .put("time", vector.getLong("time"))
        .put("bits", vector.getString("bits"))
        .put("nonce", vector.getLong("nonce"))
        .put("tx", vector.getJsonArray("tx").copy());
    verbose.put(vector.getString("hash"), json);
    JsonArray txids = vector.getJsonArray("tx");
    ByteCursor cursor = new ByteCursor(block, 80);
    int count = cursor.count();
    if (count != txids.size()) {
      throw new IllegalStateException("vector tx count differs from its block");
    }
    for (int i = 0; i < count; i++) {
      int start = cursor.position();
      skipBitcoinTx(cursor);
      rawTxs.put(txids.getString(i),
          HEX.formatHex(Arrays.copyOfRange(block, start, cursor.position())));
    }
    if (!cursor.atEnd()) {
      throw new IllegalStateException("bytes left after the transactions");
    }
    return this;
  }

  /** The verbose reply served for a hash, to be changed by a test (e.g. bcoin's forms). */
  JsonObject verbose(String hash) {
    return verbose.get(hash);
  }

  void put(String hash, JsonObject reply) {
    verbose.put(hash, reply);
  }

  void installOn(FakeDaemon fake) {
    fake.handle("getblock", (JsonArray params) -> {
      JsonObject block = verbose.get(params.getString(0));
      if (params.size() != 1 || block == null) {
        throw new FakeDaemon.RpcError(-5, "Block not found");
      }
      return block;
    });
    fake.handle("getrawtransaction", (JsonArray params) -> {
      String hex = rawTxs.get(params.getString(0));
      if (params.size() != 2 || !Integer.valueOf(0).equals(params.getValue(1)) || hex == null) {
        throw new FakeDaemon.RpcError(-5, "No such mempool or blockchain transaction");
      }
      return hex;
    });
  }

  /** Bitcoin's pre-segwit transaction format, which these coins' vectors use. */
  private static void skipBitcoinTx(ByteCursor cursor) {
    cursor.skip(4);
    int inputs = cursor.count();
    for (int i = 0; i < inputs; i++) {
      cursor.skip(36);
      cursor.skipVarBytes();
      cursor.skip(4);
    }
    int outputs = cursor.count();
    for (int i = 0; i < outputs; i++) {
      cursor.skip(8);
      cursor.skipVarBytes();
    }
    cursor.skip(4);
  }
}
