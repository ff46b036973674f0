package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.HEX;
import static io.daemonverticle.impl.kinds.KindHarness.calls;
import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** zcoinMtp rawBlocks: MTP blocks lose bytes [180, 199044); other blocks are left alone. */
@ExtendWith(VertxExtension.class)
class ZcoinMtpDaemonTest {


  /**
   * An MTP block around the real Zcoin vector's transactions: its header with the MTP
   * version bit, 100 extension bytes, 198864 bytes of "proof", then the transactions.
   */
  private static byte[] syntheticMtpBlock(byte[] plain) {
    byte[] block = new byte[plain.length + 100 + 198_864];
    System.arraycopy(plain, 0, block, 0, 80);
    block[1] |= 0x10; // version 0x20001000 little-endian: bit 0x1000 lives in byte 1
    for (int i = 80; i < 180; i++) {
      block[i] = (byte) (i * 7);
    }
    Arrays.fill(block, 180, 180 + 198_864, (byte) 0x5a);
    System.arraycopy(plain, 80, block, 180 + 198_864, plain.length - 80);
    return block;
  }

  /** Over JSON-RPC (a daemon without REST) and over REST: the cut is the same. */
  @ParameterizedTest(name = "daemon serves REST: {0}")
  @ValueSource(booleans = {false, true})
  void stripsMtpDataAndLeavesOtherBlocksAlone(boolean rest, Vertx vertx, VertxTestContext ctx) {
    JsonObject vector = KindHarness.vector("zcoin_mainnet_100000");
    byte[] plain = KindHarness.block(vector);
    byte[] mtp = syntheticMtpBlock(plain);
    String mtpHash = FakeChain.hashOf(mtp, 180);
    String plainHash = vector.getString("hash");
    Map<String, String> served = Map.of(mtpHash, HEX.formatHex(mtp),
        plainHash, vector.getString("block"));

    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getblock", (JsonArray params) -> served.get(params.getString(0))).withRest(rest);
      return KindHarness.deploy(vertx, fake, coin("Zcoin", "mainnet"))
          .compose((DaemonClient client) -> client.rawBlocks(List.of(mtpHash, plainHash)))
          .map((List<Buffer> blocks) -> {
            ctx.verify(() -> {
              byte[] expected = new byte[mtp.length - 198_864];
              System.arraycopy(mtp, 0, expected, 0, 180);
              System.arraycopy(mtp, 180 + 198_864, expected, 180, mtp.length - 180 - 198_864);
              assertThat(blocks).hasSize(2);
              assertThat(blocks.get(0).getBytes()).isEqualTo(expected);
              assertThat(blocks.get(0).length()).isEqualTo(plain.length + 100);
              assertThat(blocks.get(1).getBytes()).isEqualTo(plain);
              if (rest) {
                assertThat(calls(fake)).as("no JSON-RPC").isEmpty();
                assertThat(fake.restPaths()).contains("/rest/block/" + mtpHash + ".bin",
                    "/rest/block/" + plainHash + ".bin");
              } else {
                assertThat(calls(fake)).containsExactly(
                    "getblock [\"" + mtpHash + "\",false]",
                    "getblock [\"" + plainHash + "\",false]");
                assertThat(fake.httpRequests()).as("the REST probe, then one batch")
                    .isEqualTo(2);
              }
            });
            return blocks;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anMtpBlockTooShortForItsHeaderIsRefused(Vertx vertx, VertxTestContext ctx) {
    byte[] truncated = new byte[1000];
    truncated[1] = 0x10;
    // Its 180-byte header hashes to the hash asked: the block passes the check, not the cut.
    String truncatedHash = FakeChain.hashOf(truncated, 180);
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getblock", (JsonArray params) -> HEX.formatHex(truncated));
      return KindHarness.deploy(vertx, fake, coin("Zcoin", "mainnet"))
          .compose((DaemonClient client) -> client.rawBlocks(List.of(truncatedHash)));
    }).transform((AsyncResult<List<Buffer>> ar) -> {
      ctx.verify(() -> {
        assertThat(ar.failed()).isTrue();
        assertThat(((DaemonException) ar.cause()).code()).isEqualTo(503);
        assertThat(ar.cause().getMessage()).contains("malformed block").contains("MTP");
      });
      return Future.succeededFuture();
    }).onComplete(ctx.succeedingThenComplete());
  }
}
