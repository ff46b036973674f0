package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.impl.codec.BlockHash;
import io.daemonverticle.impl.codec.HashHex;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service against a real Litecoin Core 0.21 regtest node (a Bitcoin Core 0.21 fork):
 * block hashes and raw blocks byte for byte as the node gives them, and its fees on a young
 * chain.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CoreChainIT {

  private static final int BLOCKS = 21;

  @RegisterExtension
  static final OneCoreNode CORE = new OneCoreNode(CoreNode.Settings.password(), BLOCKS - 1);
  private static WebClient web;
  /** Blocks over the node's REST interface (it runs with -rest; restBlocks is on). */
  private static DaemonClient client;
  /** The same node with restBlocks off: blocks over JSON-RPC. */
  private static DaemonClient jsonRpcClient;

  @BeforeAll
  static void startNode(Vertx vertx, VertxTestContext ctx) {
    web = RegtestNode.webClient(vertx);
    JsonObject config = Deployments.litecoinConfig(CORE.node().url());
    client = DaemonClient.create(vertx, config.getString("address"));
    JsonObject jsonRpcConfig = Deployments.litecoinConfig(CORE.node().url())
        .put("restBlocks", false);
    jsonRpcClient = DaemonClient.create(vertx, jsonRpcConfig.getString("address"));
    Deployments.deploy(vertx, config)
        .compose((String id) -> Deployments.deploy(vertx, jsonRpcConfig))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Over REST: every block is the node's {@code getblock HASH 0}, and none came over JSON-RPC. */
  @Test
  void rawBlocksOverRestAreTheNodesBytes(VertxTestContext ctx) {
    rawBlocksAreTheNodesBytes(client, ctx, BLOCKS, 0);
  }

  @Test
  void rawBlocksOverJsonRpcAreTheNodesBytes(VertxTestContext ctx) {
    rawBlocksAreTheNodesBytes(jsonRpcClient, ctx, 0, 0);
  }

  private static void rawBlocksAreTheNodesBytes(DaemonClient client, VertxTestContext ctx,
                                                long overRest, long fallbacks) {
    client.blockHexHashes(0, BLOCKS)
        .compose((List<String> hashes) -> all(IntStream.range(0, BLOCKS)
            .mapToObj((int h) -> CORE.node().rpc(web, "getblockhash", h)).toList())
            .map((List<Object> direct) -> {
              ctx.verify(() -> assertThat(hashes).hasSize(BLOCKS).isEqualTo(direct));
              return hashes;
            }))
        .compose((List<String> hashes) -> client.rawBlocks(hashes)
            .compose((List<Buffer> blocks) -> all(hashes.stream()
                .map((String h) -> CORE.node().rpc(web, "getblock", h, 0)).toList())
                .map((List<Object> directHex) -> {
                  ctx.verify(() -> checkRawBlocks(hashes, blocks, directHex));
                  return null;
                })))
        .compose((Object checked) -> client.status())
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            JsonObject counters = status.getJsonObject("counters");
            assertThat(counters.getLong("restBlocks")).as("blocks over REST")
                .isEqualTo(overRest);
            assertThat(counters.getLong("restFallbacks")).isEqualTo(fallbacks);
          });
          return status;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static void checkRawBlocks(List<String> hashes, List<Buffer> blocks,
                                     List<Object> directHex) {
    assertThat(blocks).hasSize(BLOCKS);
    for (int height = 0; height < BLOCKS; height++) {
      byte[] raw = blocks.get(height).getBytes();
      String hash = hashes.get(height);
      assertThat(raw).as("block at height %d", height)
          .isEqualTo(HexFormat.of().parseHex((String) directHex.get(height)));
      // The id is the double SHA-256 of the 80-byte header (Litecoin's scrypt is only its
      // proof of work), shown byte-reversed: computed here and by the product's codec.
      String headerHash = HashHex.hashToHex(RawChain.sha256d(Arrays.copyOf(raw, 80)), 0);
      assertThat(headerHash).as("sha256d of the header at height %d", height).isEqualTo(hash);
      assertThat(BlockHash.hexHash(raw)).as("BlockHash at height %d", height).isEqualTo(hash);
      RawChain.Block block = RawChain.parseBlock(raw);
      assertThat(block.txs()).as("transactions at height %d", height).isNotEmpty();
      assertThat(block.txs().get(0).coinbase()).as("coinbase at height %d", height).isTrue();
      if (height > 0) {
        assertThat(block.previousHash()).isEqualTo(hashes.get(height - 1));
      }
    }
  }

  @Test
  void feesOnAYoungChain(VertxTestContext ctx) {
    client.estimateFee(2, null)
        .compose((Double fee) -> {
          // estimatesmartfee answers "Insufficient data or no feerate found", no feerate.
          ctx.verify(() -> assertThat(fee).isEqualTo(-1.0));
          return client.relayFee();
        })
        .compose((Double relay) -> {
          ctx.verify(() -> assertThat(relay).isEqualTo(1e-05));
          return client.networkInfo();
        })
        .map((JsonObject info) -> {
          ctx.verify(() -> {
            assertThat(info.getLong("version")).isEqualTo(210201L);
            assertThat(info.getString("subversion")).contains("LitecoinCore:0.21");
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
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
