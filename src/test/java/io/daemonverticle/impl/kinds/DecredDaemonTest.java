package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.HEX;
import static io.daemonverticle.impl.kinds.KindHarness.calls;
import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.codec.DecredBlock;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The decred kind against real Decred blocks served as hex: a block whose child's vote bits
 * reject its regular tree is served as header, empty regular tree, stake tree.
 */
@ExtendWith(VertxExtension.class)
class DecredDaemonTest {

  private static final String CHILD = "c1".repeat(32);
  private static final String GRANDCHILD = "c2".repeat(32);

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Logger logger;
  private Level previousLevel;

  @BeforeEach
  void captureLog() {
    logger = (Logger) LoggerFactory.getLogger(DecredDaemon.class);
    previousLevel = logger.getLevel();
    logger.setLevel(Level.INFO);
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(log);
    logger.setLevel(previousLevel);
  }

  private List<String> logLines() {
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** A real block turned into a child of {@code parentHash} voting {@code voteBits}. */
  private static byte[] childOf(String parentHash, byte[] realBlock, int voteBits) {
    byte[] child = realBlock.clone();
    byte[] parent = HEX.parseHex(parentHash);
    for (int i = 0; i < 32; i++) {
      child[4 + i] = parent[31 - i];
    }
    child[100] = (byte) voteBits;
    child[101] = (byte) (voteBits >>> 8);
    return child;
  }

  /** The expected invalidated form, computed from the bytes: header, 0x00, stake tree. */
  private static byte[] stripped(byte[] block) {
    int stakeStart = DecredBlock.regularTreeEnd(block);
    byte[] out = new byte[180 + 1 + block.length - stakeStart];
    System.arraycopy(block, 0, out, 0, 180);
    System.arraycopy(block, stakeStart, out, 181, block.length - stakeStart);
    return out;
  }

  private static Future<DaemonClient> decred(Vertx vertx, FakeDaemon fake,
                                             Map<String, byte[]> blocks) {
    fake.handle("getblock", (JsonArray params) -> {
      byte[] block = blocks.get(params.getString(0));
      if (block == null || params.size() != 2 || !Boolean.FALSE.equals(params.getValue(1))) {
        throw new FakeDaemon.RpcError(-5, "Block not found");
      }
      return HEX.formatHex(block);
    });
    return KindHarness.deploy(vertx, fake, coin("Decred", "mainnet"));
  }

  @Test
  void aFetchedChildThatRejectsItsParentStripsTheParent(Vertx vertx, VertxTestContext ctx) {
    JsonObject parentVector = KindHarness.vector("decred_mainnet_120000");
    String parentHash = parentVector.getString("hash");
    byte[] parent = KindHarness.block(parentVector);
    byte[] child = childOf(parentHash, KindHarness.block(KindHarness.vector("decred_testnet_1000")),
        0x0000);
    Map<String, byte[]> blocks = Map.of(parentHash, parent, CHILD, child);

    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      // The child's own child approves it.
      fake.handle("getblockheader", (JsonArray params) -> CHILD.equals(params.getString(0))
          ? new JsonObject().put("hash", CHILD).put("nextblockhash", GRANDCHILD)
          : new JsonObject().put("hash", GRANDCHILD).put("votebits", 1));
      return decred(vertx, fake, blocks)
          .compose((DaemonClient client) -> client.rawBlocks(List.of(parentHash, CHILD)))
          .map((List<Buffer> result) -> {
            ctx.verify(() -> {
              byte[] got = result.get(0).getBytes();
              assertThat(got).isEqualTo(stripped(parent));
              assertThat(Arrays.copyOf(got, 181)).startsWith(Arrays.copyOf(parent, 180));
              assertThat(got[180]).isZero();
              int[] counts = DecredBlock.countTransactions(parent);
              assertThat(DecredBlock.countTransactions(got)).containsExactly(0, counts[1]);
              assertThat(result.get(1).getBytes()).isEqualTo(child);
              assertThat(calls(fake)).containsExactly(
                  "getblock [\"" + parentHash + "\",false]",
                  "getblock [\"" + CHILD + "\",false]",
                  "getblockheader [\"" + CHILD + "\"]",
                  "getblockheader [\"" + GRANDCHILD + "\"]");
              assertThat(logLines()).containsExactly("block " + parentHash + " is invalidated");
            });
            return result;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theLastBlockAsksItsChildsHeaderForTheVote(Vertx vertx, VertxTestContext ctx) {
    List<String> names = List.of("decred_mainnet_100", "decred_testnet_5107");
    Map<String, byte[]> blocks = new HashMap<>();
    Map<String, String> nextOf = new HashMap<>();
    Map<String, Integer> votesOf = new HashMap<>();
    for (String name : names) {
      JsonObject v = KindHarness.vector(name);
      blocks.put(v.getString("hash"), KindHarness.block(v));
    }
    String rejected = KindHarness.vector(names.get(0)).getString("hash");
    String approved = KindHarness.vector(names.get(1)).getString("hash");
    nextOf.put(rejected, "d1".repeat(32));
    nextOf.put(approved, "d2".repeat(32));
    votesOf.put("d1".repeat(32), 0xfffe); // every bit but the parent's
    votesOf.put("d2".repeat(32), 0x0001);

    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getblockheader", (JsonArray params) -> {
        String hash = params.getString(0);
        JsonObject header = new JsonObject().put("hash", hash);
        return nextOf.containsKey(hash) ? header.put("nextblockhash", nextOf.get(hash))
            : header.put("votebits", votesOf.get(hash));
      });
      return decred(vertx, fake, blocks)
          .compose((DaemonClient client) -> client.rawBlocks(List.of(rejected, approved)))
          .map((List<Buffer> result) -> {
            ctx.verify(() -> {
              assertThat(result.get(0).getBytes()).isEqualTo(stripped(blocks.get(rejected)));
              assertThat(result.get(1).getBytes()).isEqualTo(blocks.get(approved));
              assertThat(calls(fake)).filteredOn((String c) -> c.startsWith("getblockheader"))
                  .containsExactlyInAnyOrder(
                      "getblockheader [\"" + rejected + "\"]",
                      "getblockheader [\"" + "d1".repeat(32) + "\"]",
                      "getblockheader [\"" + approved + "\"]",
                      "getblockheader [\"" + "d2".repeat(32) + "\"]");
              assertThat(logLines()).containsExactly("block " + rejected + " is invalidated");
            });
            return result;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBlockWithoutChildIsADaemonError(Vertx vertx, VertxTestContext ctx) {
    JsonObject vector = KindHarness.vector("decred_testnet_1000");
    String hash = vector.getString("hash");
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getblockheader", (JsonArray params) -> new JsonObject().put("hash",
          params.getString(0)));
      return decred(vertx, fake, Map.of(hash, KindHarness.block(vector)))
          .compose((DaemonClient client) -> client.rawBlocks(List.of(hash)));
    }).transform((AsyncResult<List<Buffer>> ar) -> {
      ctx.verify(() -> {
        assertThat(ar.failed()).isTrue();
        assertThat(ar.cause()).isInstanceOf(DaemonRpcException.class);
        assertThat(((DaemonException) ar.cause()).code()).isEqualTo(422);
        assertThat(ar.cause().getMessage()).contains("Could not find next block for " + hash);
      });
      return Future.succeededFuture();
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void heightIsOneBelowTheCountAndTheCachedHeightAgrees(Vertx vertx, VertxTestContext ctx) {
    int[] count = {101};
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getblockcount", (JsonArray params) -> count[0]);
      return decred(vertx, fake, Map.of()).compose((DaemonClient client) -> client.height()
          .compose((Integer h) -> {
            ctx.verify(() -> assertThat(h).isEqualTo(100));
            return client.cachedHeight();
          })
          .compose((Integer cached) -> {
            ctx.verify(() -> assertThat(cached).isEqualTo(100));
            count[0] = 0;
            return client.height();
          })
          .map((Integer h) -> {
            ctx.verify(() -> {
              assertThat(h).as("a chain of only genesis").isZero();
              assertThat(fake.methods()).containsExactly("getblockcount", "getblockcount");
            });
            return h;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void mempoolHashesAddTheTipsTransactions(Vertx vertx, VertxTestContext ctx) {
    String tip = "7e".repeat(32);
    JsonObject[] tipBlock = {new JsonObject()
        .put("tx", new JsonArray().add("coinbase").add("t1").add("t2"))
        .put("stx", new JsonArray().add("s1").add("s2"))};
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getrawmempool", (JsonArray params) -> new JsonArray().add("m1").add("m2"));
      fake.handle("getblockcount", (JsonArray params) -> 50);
      fake.handle("getblockhash", (JsonArray params) -> tip);
      fake.handle("getblock", (JsonArray params) -> tipBlock[0]);
      // This fake answers every height with the tip: its block 0 is the tip too.
      return KindHarness.deploy(vertx, fake, coin("Decred", "mainnet").put("genesisHash", tip))
          .compose((DaemonClient client) -> client.mempoolHashes()
              .compose((List<String> hashes) -> {
                ctx.verify(() -> {
                  assertThat(hashes).containsExactly("m1", "m2", "t1", "t2", "s1", "s2");
                  assertThat(calls(fake)).containsExactly("getrawmempool null",
                      "getblockcount null", "getblockhash [50]",
                      "getblock [\"" + tip + "\",true]");
                });
                tipBlock[0] = new JsonObject().put("tx", new JsonArray().add("coinbase"));
                return client.mempoolHashes();
              }))
          .map((List<String> hashes) -> {
            ctx.verify(() -> assertThat(hashes).as("no stx, only a coinbase")
                .containsExactly("m1", "m2"));
            return hashes;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
