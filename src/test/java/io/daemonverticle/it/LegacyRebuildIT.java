package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The legacy kind rebuilds blocks from verbose getblock and getrawtransaction: against a real
 * node, every rebuilt block of a 150-block chain (plus one carrying a wallet payment) is
 * byte for byte what {@code getblock [hash, false]} gives through the default kind; the
 * genesis block is its header and an empty transaction list, as in ElectrumX.
 *
 * <p>bcoin 1.0.2's verbose getblock (and getblockheader) has no {@code nonce}, without which
 * no header can be rebuilt; the legacy deployment reaches the node through {@link NonceProxy},
 * which adds that one field from the node's raw header. The transactions, the other header
 * fields and the block layout all come from the node as it answers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class LegacyRebuildIT {

  private static RegtestNode node;

  @BeforeAll
  static void startNode(Vertx vertx, VertxTestContext ctx) {
    node = RegtestNode.start(RegtestNode.uniqueName(LegacyRebuildIT.class, "a"));
    node.mine(150);
    // One block with a transaction besides its coinbase.
    WebClient web = RegtestNode.webClient(vertx);
    node.receiveAddress(web)
        .compose((String address) -> node.createTransaction(web, address, 250_000))
        .compose((JsonObject tx) -> node.rpc(web, "sendrawtransaction", tx.getString("hex")))
        .compose((Object txid) -> inMempool(vertx, web, (String) txid, 100))
        .compose((Void v) -> RegtestNode.blocking(vertx, () -> node.mine(1)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void rebuiltBlocksEqualTheDaemonsBytes(Vertx vertx, VertxTestContext ctx) {
    JsonObject plain = Deployments.realNodeConfig(node.url());
    JsonObject legacy = Deployments.realNodeConfig(node.url()).put("daemonKind", "legacy");
    DaemonClient plainClient = DaemonClient.create(vertx, plain.getString("address"));
    DaemonClient legacyClient = DaemonClient.create(vertx, legacy.getString("address"));
    NonceProxy proxy = new NonceProxy(vertx, node);
    Deployments.deploy(vertx, plain)
        .compose((String id) -> proxy.start())
        .compose((NonceProxy started) -> Deployments.deploy(vertx,
            legacy.put("daemonUrl", started.url())))
        .compose((String id) -> plainClient.height())
        .compose((Integer height) -> plainClient.blockHexHashes(0, height + 1))
        .compose((List<String> hashes) -> plainClient.rawBlocks(hashes)
            .compose((List<Buffer> expected) -> legacyClient.rawBlocks(hashes)
                .map((List<Buffer> rebuilt) -> {
              ctx.verify(() -> {
                assertThat(hashes).hasSize(152);
                assertThat(rebuilt).hasSameSizeAs(expected);
                // Genesis as ElectrumX's LegacyRPCDaemon makes it: its header and a zero
                // transaction count (the daemon will not give the genesis coinbase).
                byte[] genesis = expected.get(0).getBytes();
                byte[] rebuiltGenesis = rebuilt.get(0).getBytes();
                assertThat(rebuiltGenesis).hasSize(81);
                assertThat(Arrays.copyOf(rebuiltGenesis, 80))
                    .isEqualTo(Arrays.copyOf(genesis, 80));
                assertThat(rebuiltGenesis[80]).isZero();
                for (int h = 1; h < expected.size(); h++) {
                  assertThat(rebuilt.get(h).getBytes()).as("block at height %d", h)
                      .isEqualTo(expected.get(h).getBytes());
                }
                Buffer last = expected.get(expected.size() - 1);
                assertThat(RawChain.parseBlock(last.getBytes()).txs()).hasSize(2);
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** bcoin accepts a transaction into its mempool after answering sendrawtransaction. */
  private static Future<Void> inMempool(Vertx vertx, WebClient web, String txid, int tries) {
    return node.rpc(web, "getrawmempool").compose((Object mempool) -> {
      if (((io.vertx.core.json.JsonArray) mempool).contains(txid)) {
        return Future.succeededFuture();
      }
      if (tries <= 1) {
        return Future.failedFuture("transaction " + txid + " never reached the mempool");
      }
      return vertx.timer(100).compose((Void t) -> inMempool(vertx, web, txid, tries - 1));
    });
  }
}
