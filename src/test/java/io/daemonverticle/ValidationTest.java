package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeChain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every bad input is answered 400 (or 404) naming what is wrong, and nothing reaches the daemon. */
@ExtendWith(VertxExtension.class)
class ValidationTest {

  private static final String HASH = FakeChain.blockHash(1);
  private static final int MAX_BATCH = 5;

  private record Bad(String action, Object body, String timeoutMs, int code, String mentions) {
  }

  private static Bad bad(String action, Object body, String mentions) {
    return new Bad(action, body, null, 400, mentions);
  }

  private static JsonObject o(Object... kv) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < kv.length; i += 2) {
      json.put((String) kv[i], kv[i + 1]);
    }
    return json;
  }

  private static JsonArray hashes(int n) {
    JsonArray array = new JsonArray();
    for (int i = 0; i < n; i++) {
      array.add(FakeChain.blockHash(i));
    }
    return array;
  }

  private static List<Bad> cases() {
    String tx = "0200";
    List<Bad> cases = new ArrayList<>(List.of(
        // Body and headers.
        bad(Actions.HEIGHT, "not an object", "body"),
        bad(Actions.HEIGHT, new JsonArray().add(1), "body"),
        new Bad(Actions.HEIGHT, null, "soon", 400, "timeout-ms"),
        new Bad(Actions.HEIGHT, null, "0", 400, "timeout-ms"),
        new Bad(Actions.HEIGHT, null, "-5", 400, "timeout-ms"),
        new Bad(Actions.HEIGHT, null, "99999999", 400, "timeout-ms"),
        new Bad(null, null, null, 404, "action"),
        new Bad("getblockcount", null, null, 404, "getblockcount"),
        new Bad("sendRawTransaction", o("rawTx", tx), null, 404, "sendRawTransaction"),
        new Bad(Actions.MASTERNODE_LIST, o("params", new JsonArray()), null, 404,
            "not served by daemon kind default"),
        new Bad(Actions.PROTX, null, null, 404, Actions.PROTX),
        new Bad(Actions.SMART_REWARDS, null, null, 404, Actions.SMART_REWARDS),
        // blockHexHashes
        bad(Actions.BLOCK_HEX_HASHES, o("count", 1), "first"),
        bad(Actions.BLOCK_HEX_HASHES, o("first", -1, "count", 1), "first"),
        bad(Actions.BLOCK_HEX_HASHES, o("first", "1", "count", 1), "first"),
        bad(Actions.BLOCK_HEX_HASHES, o("first", 1.5, "count", 1), "first"),
        bad(Actions.BLOCK_HEX_HASHES, o("first", 1), "count"),
        bad(Actions.BLOCK_HEX_HASHES, o("first", 1, "count", -2), "count"),
        bad(Actions.BLOCK_HEX_HASHES, o("first", 1, "count", MAX_BATCH + 1), "count"),
        bad(Actions.BLOCK_HEX_HASHES, o("first", 1, "count", true), "count"),
        // deserialisedBlock
        bad(Actions.DESERIALISED_BLOCK, null, "hash"),
        bad(Actions.DESERIALISED_BLOCK, o("hash", "xyz"), "hash"),
        bad(Actions.DESERIALISED_BLOCK, o("hash", HASH.substring(1)), "hash"),
        bad(Actions.DESERIALISED_BLOCK, o("hash", HASH.replace(HASH.charAt(0), 'g')), "hash"),
        bad(Actions.DESERIALISED_BLOCK, o("hash", 12), "hash"),
        // rawBlocks
        bad(Actions.RAW_BLOCKS, null, "hashes"),
        bad(Actions.RAW_BLOCKS, o("hashes", HASH), "hashes"),
        bad(Actions.RAW_BLOCKS, o("hashes", new JsonArray().add(HASH).add("00")), "hashes[1]"),
        bad(Actions.RAW_BLOCKS, o("hashes", new JsonArray().add(HASH).addNull()), "hashes[1]"),
        bad(Actions.RAW_BLOCKS, o("hashes", hashes(MAX_BATCH + 1)), "hashes"),
        // estimateFee
        bad(Actions.ESTIMATE_FEE, null, "blocks"),
        bad(Actions.ESTIMATE_FEE, o("blocks", -1), "blocks"),
        bad(Actions.ESTIMATE_FEE, o("blocks", 6, "mode", "FAST"), "mode"),
        bad(Actions.ESTIMATE_FEE, o("blocks", 6, "mode", 1), "mode"),
        // getRawTransaction(s)
        bad(Actions.GET_RAW_TRANSACTION, null, "txid"),
        bad(Actions.GET_RAW_TRANSACTION, o("txid", "abc"), "txid"),
        bad(Actions.GET_RAW_TRANSACTION, o("txid", HASH, "verbose", "yes"), "verbose"),
        bad(Actions.GET_RAW_TRANSACTION, o("txid", HASH, "verbose", 1), "verbose"),
        bad(Actions.GET_RAW_TRANSACTIONS, null, "txids"),
        bad(Actions.GET_RAW_TRANSACTIONS, o("txids", HASH), "txids"),
        bad(Actions.GET_RAW_TRANSACTIONS, o("txids", new JsonArray().add(7)), "txids[0]"),
        bad(Actions.GET_RAW_TRANSACTIONS, o("txids", hashes(MAX_BATCH + 1)), "txids"),
        bad(Actions.GET_RAW_TRANSACTIONS, o("txids", hashes(1), "replaceErrors", "no"),
            "replaceErrors"),
        // txSpendingPrevout
        bad(Actions.TX_SPENDING_PREVOUT, o("vout", 0), "txid"),
        bad(Actions.TX_SPENDING_PREVOUT, o("txid", HASH), "vout"),
        bad(Actions.TX_SPENDING_PREVOUT, o("txid", HASH, "vout", -1), "vout"),
        bad(Actions.TX_SPENDING_PREVOUT, o("txid", HASH, "vout", "0"), "vout"),
        // broadcasts
        bad(Actions.BROADCAST_TRANSACTION, null, "rawTx"),
        bad(Actions.BROADCAST_TRANSACTION, o("rawTx", ""), "rawTx"),
        bad(Actions.BROADCAST_TRANSACTION, o("rawTx", "abc"), "rawTx"),
        bad(Actions.BROADCAST_TRANSACTION, o("rawTx", "zz"), "rawTx"),
        bad(Actions.BROADCAST_TRANSACTION, o("rawTx", 42), "rawTx"),
        bad(Actions.BROADCAST_TRANSACTION, o("rawTx", "00".repeat(4_000_001)), "rawTx"),
        bad(Actions.BROADCAST_PACKAGE, null, "rawTxs"),
        bad(Actions.BROADCAST_PACKAGE, o("rawTxs", new JsonArray()), "rawTxs"),
        bad(Actions.BROADCAST_PACKAGE, o("rawTxs", tx), "rawTxs"),
        bad(Actions.BROADCAST_PACKAGE, o("rawTxs", new JsonArray().add(tx).add("0")),
            "rawTxs[1]"),
        bad(Actions.TEST_MEMPOOL_ACCEPT, o("rawTxs", new JsonArray().add("xx")), "rawTxs[0]"),
        bad(Actions.TEST_MEMPOOL_ACCEPT, o("rawTxs",
            new JsonArray(new ArrayList<>(List.of(tx, tx, tx, tx, tx, tx)))), "rawTxs")));
    return cases;
  }

  @Test
  void everyBadInputIsRefusedBeforeAnythingIsSent(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, 10, (JsonObject c) -> c.put("maxBatch", MAX_BATCH))
        .compose((Service s) -> {
      Future<Void> chain = Future.succeededFuture();
      for (Bad bad : cases()) {
        chain = chain.compose((Void v) -> failure(s, bad).map((DaemonException e) -> {
          assertThat(e.code()).as(bad.toString()).isEqualTo(bad.code());
          assertThat(e.getMessage()).as(bad.toString()).contains(bad.mentions());
          return null;
        }));
      }
      return chain.map((Void v) -> {
        assertThat(s.fake.calls()).isEmpty();
        assertThat(s.fake.httpRequests()).isZero();
        return v;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<DaemonException> failure(Service s, Bad bad) {
    if (bad.action() == null) {
      // No action header at all.
      return Service.expectFailure(s.vertx.eventBus().request(s.address, null));
    }
    return s.failure(bad.action(), bad.body(), bad.timeoutMs());
  }

  @Test
  void limitsThemselvesAreAccepted(Vertx vertx, VertxTestContext ctx) {
    // The edges of the 400s above: maxBatch items, first 0, and mixed-case hex.
    Service.start(vertx, 10, (JsonObject c) -> c.put("maxBatch", MAX_BATCH)).compose((Service s) ->
        s.client.blockHexHashes(0, MAX_BATCH)
            .compose((List<String> h) -> {
              assertThat(h).hasSize(MAX_BATCH);
              return s.client.deserialisedBlock(HASH.toUpperCase());
            })
            .map((JsonObject block) -> {
              assertThat(block.getString("hash")).isEqualTo(HASH);
              assertThat(s.fake.calls().get(MAX_BATCH).getJsonArray("params").getString(0))
                  .as("hashes go to the daemon in lower case").isEqualTo(HASH);
              return block;
            })).onComplete(ctx.succeedingThenComplete());
  }
}
