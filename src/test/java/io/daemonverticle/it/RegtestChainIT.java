package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.codec.BlockHash;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service against a real bcoin regtest node with a 150-block chain: block hashes, raw and
 * deserialised blocks, a wallet transaction broadcast through the service, fees and the
 * daemon's own errors.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class RegtestChainIT {

  private static final int BLOCKS = 151;
  private static final String UNKNOWN_TXID = "00".repeat(32);

  private static RegtestNode node;
  private static WebClient web;
  private static JsonObject config;
  private static DaemonClient client;

  @BeforeAll
  static void startNode(Vertx vertx, VertxTestContext ctx) {
    node = RegtestNode.start(RegtestNode.uniqueName(RegtestChainIT.class, "a"));
    assertThat(node.mine(BLOCKS - 1)).isEqualTo(BLOCKS - 1);
    web = RegtestNode.webClient(vertx);
    config = Deployments.realNodeConfig(node.url());
    client = DaemonClient.create(vertx, config.getString("address"));
    Deployments.deploy(vertx, config).onComplete(ctx.succeedingThenComplete());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void blockHashesAndRawBlocksAreTheNodes(VertxTestContext ctx) {
    client.blockHexHashes(0, BLOCKS)
        .compose((List<String> hashes) -> all(IntStream.range(0, BLOCKS)
            .mapToObj((int h) -> node.rpc(web, "getblockhash", h)).toList())
            .map((List<Object> direct) -> {
              ctx.verify(() -> assertThat(hashes).hasSize(BLOCKS).isEqualTo(direct));
              return hashes;
            }))
        .compose((List<String> hashes) -> client.rawBlocks(hashes)
            .compose((List<Buffer> blocks) -> all(hashes.stream()
                .map((String h) -> node.rpc(web, "getblock", h, false)).toList())
                .map((List<Object> directHex) -> {
                  ctx.verify(() -> checkRawBlocks(hashes, blocks, directHex));
                  return null;
                })))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static void checkRawBlocks(List<String> hashes, List<Buffer> blocks,
                                     List<Object> directHex) {
    assertThat(blocks).hasSize(BLOCKS);
    for (int height = 0; height < BLOCKS; height++) {
      byte[] raw = blocks.get(height).getBytes();
      String hash = hashes.get(height);
      assertThat(BlockHash.hexHash(raw)).as("header hash at height %d", height).isEqualTo(hash);
      assertThat(raw).as("block at height %d", height)
          .isEqualTo(HexFormat.of().parseHex((String) directHex.get(height)));
      RawChain.Block block = RawChain.parseBlock(raw);
      assertThat(block.txs()).as("transactions at height %d", height).isNotEmpty();
      RawChain.Tx coinbase = block.txs().get(0);
      assertThat(coinbase.coinbase()).as("coinbase at height %d", height).isTrue();
      assertThat(coinbase.outputs()).isPositive();
      if (height > 0) {
        assertThat(block.previousHash()).isEqualTo(hashes.get(height - 1));
      }
    }
  }

  @Test
  void deserialisedBlocksAgreeWithRawBlocks(VertxTestContext ctx) {
    client.blockHexHashes(0, BLOCKS)
        .compose((List<String> hashes) -> client.rawBlocks(hashes)
            .compose((List<Buffer> raw) -> all(hashes.stream().map(client::deserialisedBlock)
                .toList())
                .map((List<Object> verbose) -> {
                  ctx.verify(() -> {
                    for (int height = 0; height < BLOCKS; height++) {
                      JsonObject block = (JsonObject) verbose.get(height);
                      RawChain.Block parsed = RawChain.parseBlock(raw.get(height).getBytes());
                      assertThat(block.getInteger("height")).isEqualTo(height);
                      assertThat(block.getString("hash")).isEqualTo(hashes.get(height));
                      List<String> txids = new ArrayList<>();
                      block.getJsonArray("tx").forEach((Object txid) -> txids.add((String) txid));
                      assertThat(txids).as("txids at %d", height)
                          .isEqualTo(parsed.txs().stream().map(RawChain.Tx::txid).toList());
                    }
                  });
                  return null;
                })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void walletTransactionIsBroadcastThroughTheService(Vertx vertx, VertxTestContext ctx) {
    node.receiveAddress(web)
        .compose((String address) -> node.createTransaction(web, address, 100_000))
        .compose((JsonObject tx) -> {
          String hex = tx.getString("hex");
          String txid = tx.getString("hash");
          return client.mempoolHashes()
              .compose((List<String> before) -> {
                ctx.verify(() -> assertThat(before).doesNotContain(txid));
                return client.broadcastTransaction(hex);
              })
              .compose((String sent) -> {
                ctx.verify(() -> assertThat(sent).isEqualTo(txid));
                // bcoin answers sendrawtransaction before its mempool has verified the
                // transaction (node.relay is not awaited): ask until it shows up.
                return mempoolWith(vertx, txid, 100);
              })
              .compose((List<String> mempool) -> {
                ctx.verify(() -> assertThat(mempool).contains(txid));
                return client.getRawTransaction(txid);
              })
              .compose((String fetched) -> {
                ctx.verify(() -> assertThat(fetched).isEqualToIgnoringCase(hex));
                return client.getRawTransactions(List.of(txid, UNKNOWN_TXID));
              })
              .map((List<String> fetched) -> {
                ctx.verify(() -> {
                  assertThat(fetched).hasSize(2);
                  assertThat(fetched.get(0)).isEqualToIgnoringCase(hex);
                  assertThat(fetched.get(1)).isNull();
                });
                return null;
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void garbageTransactionIsTheDaemonsError(VertxTestContext ctx) {
    client.broadcastTransaction("00").onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(DaemonRpcException.class);
      DaemonRpcException rpc = (DaemonRpcException) e;
      assertThat(rpc.code()).isEqualTo(DaemonException.DAEMON_ERROR);
      assertThat(rpc.rpcCode()).isEqualTo(-22);
      ctx.completeNow();
    })));
  }

  @Test
  void feesAndNetworkInfo(VertxTestContext ctx) {
    client.estimateFee(6, null)
        .compose((Double fee) -> {
          // bcoin's estimatesmartfee has no feerate key: no estimate.
          ctx.verify(() -> assertThat(fee).isEqualTo(-1.0));
          return client.networkInfo();
        })
        .compose((JsonObject info) -> {
          ctx.verify(() -> assertThat(info.getString("subversion")).contains("bcoin"));
          return client.relayFee().map((Double relay) -> {
            ctx.verify(() -> assertThat(relay).isPositive()
                .isEqualTo(info.getDouble("relayfee")));
            return null;
          });
        })
        .compose((Object v) -> client.status())
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            assertThat(status.getString("currentUrl")).isEqualTo(node.publicUrl());
            assertThat(status.encode()).doesNotContain(node.apiKey());
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void indexInfoIsMethodNotFound(VertxTestContext ctx) {
    client.indexInfo().onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(DaemonRpcException.class);
      assertThat(((DaemonRpcException) e).code()).isEqualTo(422);
      assertThat(((DaemonRpcException) e).rpcCode()).isEqualTo(-32601);
      ctx.completeNow();
    })));
  }

  @Test
  void requiredIndexCheckSaysGetindexinfoIsMissing(Vertx vertx, VertxTestContext ctx) {
    JsonObject withIndexes = Deployments.realNodeConfig(node.url())
        .put("requiredIndexes", new io.vertx.core.json.JsonArray().add("txindex"));
    Deployments.deploy(vertx, withIndexes)
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(e.getMessage())
          .contains("requiredIndexes")
          .contains("txindex")
          .contains("getindexinfo")
          .contains("-32601")
          .doesNotContain(node.apiKey());
      ctx.completeNow();
    })));
  }

  /** The service's mempool once it contains txid, asking every 100 ms up to tries times. */
  private static Future<List<String>> mempoolWith(Vertx vertx, String txid, int tries) {
    return client.mempoolHashes().compose((List<String> mempool) -> {
      if (mempool.contains(txid) || tries <= 1) {
        return Future.succeededFuture(mempool);
      }
      return vertx.timer(100).compose((Void t) -> mempoolWith(vertx, txid, tries - 1));
    });
  }

  /** Every future's result in order, or the first failure. */
  private static <T> Future<List<Object>> all(List<Future<T>> futures) {
    return Future.all(new ArrayList<>(futures)).map((CompositeFuture cf) -> {
      List<Object> out = new ArrayList<>(futures.size());
      for (int i = 0; i < futures.size(); i++) {
        out.add(cf.resultAt(i));
      }
      return out;
    });
  }
}
