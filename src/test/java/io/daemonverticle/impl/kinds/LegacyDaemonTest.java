package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.calls;
import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The legacy kinds rebuild blocks from verbose getblock and getrawtransaction: served real
 * Dash, SmartCash and Zcoin blocks piece by piece, they must give back the very same bytes.
 */
@ExtendWith(VertxExtension.class)
class LegacyDaemonTest {

  private static final List<String> VECTORS = List.of("dash_mainnet_844898",
      "smartcash_mainnet_200000", "zcoin_mainnet_100000");

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  /** Blackcoin is legacy, EXOS preLegacy, GravityZeroCoin fakeEstimateLegacy in the table. */
  @ParameterizedTest
  @ValueSource(strings = {"Blackcoin", "EXOS", "GravityZeroCoin"})
  void rebuildsRealBlocksWithOneTransactionBatchPerBlock(String coinName, Vertx vertx,
                                                         VertxTestContext ctx) {
    LegacyChain chain = new LegacyChain();
    List<JsonObject> vectors = VECTORS.stream().map(KindHarness::vector).toList();
    vectors.forEach(chain::add);
    List<String> hashes = vectors.stream().map((JsonObject v) -> v.getString("hash")).toList();

    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      chain.installOn(fake);
      return KindHarness.deploy(vertx, fake, coin(coinName, "mainnet"))
          .compose((DaemonClient client) -> client.rawBlocks(hashes))
          .map((List<Buffer> blocks) -> {
            ctx.verify(() -> {
              assertThat(blocks).hasSize(vectors.size());
              for (int i = 0; i < vectors.size(); i++) {
                assertThat(blocks.get(i).getBytes()).as(VECTORS.get(i))
                    .isEqualTo(KindHarness.block(vectors.get(i)));
              }
              List<String> expected = new ArrayList<>();
              hashes.forEach((String h) -> expected.add("getblock [" + q(h) + "]"));
              vectors.forEach((JsonObject v) -> v.getJsonArray("tx").forEach((Object txid) ->
                  expected.add("getrawtransaction [" + q((String) txid) + ",0]")));
              assertThat(calls(fake)).containsExactlyElementsOf(expected);
              // As ElectrumX: one getblock batch, then one getrawtransaction batch per block
              // (not one for the transactions of all the blocks).
              assertThat(fake.httpRequests()).as("batches").isEqualTo(1 + vectors.size());
            });
            return blocks;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** bcoin prints bits as a number; old daemons print time as text in UTC. */
  @Test
  void acceptsNumericBitsAndTextTime(Vertx vertx, VertxTestContext ctx) {
    JsonObject vector = KindHarness.vector("dash_testnet_2999");
    String hash = vector.getString("hash");
    LegacyChain chain = new LegacyChain().add(vector);
    JsonObject verbose = chain.verbose(hash);
    verbose.put("bits", Long.parseLong(vector.getString("bits"), 16));
    verbose.put("time", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
        .format(Instant.ofEpochSecond(vector.getLong("time")).atOffset(ZoneOffset.UTC)));

    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      chain.installOn(fake);
      return KindHarness.deploy(vertx, fake, coin("Blackcoin", "mainnet"))
          .compose((DaemonClient client) -> client.rawBlocks(List.of(hash)))
          .map((List<Buffer> blocks) -> {
            ctx.verify(() -> assertThat(blocks.get(0).getBytes())
                .isEqualTo(KindHarness.block(vector)));
            return blocks;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** Height 0: the header, 32 zero bytes for the parent, a zero count; no transaction asked. */
  @Test
  void genesisIsItsHeaderAndAZeroCount(Vertx vertx, VertxTestContext ctx) {
    JsonObject vector = KindHarness.vector("dash_testnet_2999");
    String hash = vector.getString("hash");
    LegacyChain chain = new LegacyChain().add(vector);
    JsonObject verbose = chain.verbose(hash);
    verbose.put("height", 0).remove("previousblockhash");
    byte[] expected = new byte[81];
    System.arraycopy(KindHarness.block(vector), 0, expected, 0, 80);
    Arrays.fill(expected, 4, 36, (byte) 0);

    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      chain.installOn(fake);
      return KindHarness.deploy(vertx, fake, coin("Blackcoin", "mainnet"))
          .compose((DaemonClient client) -> client.rawBlocks(List.of(hash)))
          .map((List<Buffer> blocks) -> {
            ctx.verify(() -> {
              assertThat(blocks.get(0).getBytes()).isEqualTo(expected);
              assertThat(fake.methods()).containsExactly("getblock");
            });
            return blocks;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aMissingTransactionIsADaemonErrorNotANull(Vertx vertx, VertxTestContext ctx) {
    JsonObject vector = KindHarness.vector("smartcash_mainnet_200000");
    String hash = vector.getString("hash");
    LegacyChain chain = new LegacyChain().add(vector);
    chain.verbose(hash).getJsonArray("tx").set(1, "ee".repeat(32));

    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      chain.installOn(fake);
      return KindHarness.deploy(vertx, fake, coin("Blackcoin", "mainnet"))
          .compose((DaemonClient client) -> client.rawBlocks(List.of(hash)));
    }).transform((AsyncResult<List<Buffer>> ar) -> {
      ctx.verify(() -> {
        assertThat(ar.failed()).isTrue();
        assertThat(ar.cause()).isInstanceOf(DaemonRpcException.class);
        assertThat(((DaemonException) ar.cause()).code()).isEqualTo(422);
        assertThat(ar.cause().getMessage()).contains("No such mempool or blockchain transaction");
      });
      return Future.<List<Buffer>>succeededFuture();
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void legacyAsksVerboseTrueAndPreLegacyFalseForDeserialisedBlock(Vertx vertx,
                                                                   VertxTestContext ctx) {
    String hash = "ab".repeat(32);
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getblock", (JsonArray params) -> new JsonObject().put("hash",
          params.getString(0))
          .put("asked", params));
      return KindHarness.deploy(vertx, fake, coin("Blackcoin", "mainnet"))
          .compose((DaemonClient legacy) -> legacy.deserialisedBlock(hash))
          .compose((JsonObject reply) -> {
            ctx.verify(() -> assertThat(calls(fake))
                .containsExactly("getblock [" + q(hash) + ",true]"));
            fake.resetStats();
            return KindHarness.deploy(vertx, fake, coin("EXOS", "mainnet"));
          })
          .compose((DaemonClient preLegacy) -> preLegacy.deserialisedBlock(hash))
          .map((JsonObject reply) -> {
            ctx.verify(() -> {
              assertThat(calls(fake)).containsExactly("getblock [" + q(hash) + ",false]");
              assertThat(reply.getString("hash")).isEqualTo(hash);
            });
            return reply;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
