package io.daemonverticle.impl.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streamed request bytes are the JSON-RPC requests the JSON tree gave: method, params of
 * every kind a JsonArray holds (nulls, numbers, booleans, objects, text that needs escaping)
 * and ids, in that order of keys.
 */
class RpcPayloadTest {

  private static final JsonArray AWKWARD_PARAMS = new JsonArray()
      .add("quote \" backslash \\ newline \n tab \t nul \u0000 é 😀")
      .addNull()
      .add(0).add(-1).add(Integer.MIN_VALUE).add(Long.MAX_VALUE).add(Long.MIN_VALUE).add(1.5)
      .add((short) 7).add(new java.math.BigInteger("123456789012345678901234567890"))
      .add(true).add(false)
      .add(new JsonObject().put("txid", "ab").put("vout", 3).putNull("none"))
      .add(new JsonArray().add(new JsonArray()).add(new JsonObject()));

  @Test
  void aSingleCallIsTheRequestObject() {
    Buffer bytes = RpcPayload.single(new RpcCall("gettxspendingprevout", AWKWARD_PARAMS), 42);
    assertThat(bytes.toJsonObject()).isEqualTo(new JsonObject()
        .put("method", "gettxspendingprevout").put("params", AWKWARD_PARAMS).put("id", 42L));
    // The same key order as the tree had: some proxies and logs read the method first.
    assertThat(bytes.toString()).startsWith("{\"method\":\"gettxspendingprevout\",\"params\":[");
    assertThat(bytes.toString()).endsWith(",\"id\":42}");
    // Strings, booleans and whole numbers are written apart from Vert.x's codec: byte for byte
    // as it writes them to bytes.
    assertThat(bytes.toString()).contains("\"params\":" + AWKWARD_PARAMS.toBuffer() + ",");
  }

  @Test
  void aCallWithoutParamsHasNoParamsKey() {
    Buffer bytes = RpcPayload.single(RpcCall.of("getblockcount"), 0);
    assertThat(bytes.toString()).isEqualTo("{\"method\":\"getblockcount\",\"id\":0}");
  }

  @Test
  void aBatchIsTheArrayOfItsCallsWithConsecutiveIds() {
    List<RpcCall> calls = List.of(RpcCall.of("getblockhash", 7),
        new RpcCall("getblock", AWKWARD_PARAMS), RpcCall.of("getbestblockhash"));
    Buffer bytes = RpcPayload.batch(calls, Long.MAX_VALUE - 2);
    assertThat(bytes.toJsonArray()).isEqualTo(new JsonArray()
        .add(new JsonObject().put("method", "getblockhash").put("params", new JsonArray().add(7))
            .put("id", Long.MAX_VALUE - 2))
        .add(new JsonObject().put("method", "getblock").put("params", AWKWARD_PARAMS)
            .put("id", Long.MAX_VALUE - 1))
        .add(new JsonObject().put("method", "getbestblockhash").put("id", Long.MAX_VALUE)));
  }

  @Test
  void aLargeBatchComesOutWhole() {
    List<RpcCall> calls = new java.util.ArrayList<>();
    JsonArray expected = new JsonArray();
    for (int i = 0; i < 5000; i++) {
      String txid = String.format("%064x", i);
      calls.add(RpcCall.of("getrawtransaction", txid, 0));
      expected.add(new JsonObject().put("method", "getrawtransaction")
          .put("params", new JsonArray().add(txid).add(0)).put("id", (long) i));
    }
    assertThat(RpcPayload.batch(calls, 0).toJsonArray()).isEqualTo(expected);
  }

  @Test
  void anEmptyBatchIsAnEmptyArray() {
    assertThat(RpcPayload.batch(List.of(), 5).toString()).isEqualTo("[]");
  }
}
