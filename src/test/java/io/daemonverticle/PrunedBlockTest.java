package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Item 5 of issue 31: a pruned node answers getblock for an old block with -1 "Block not
 * available (pruned data)" (and REST with 404). That block is asked of the other URLs, each
 * once, without counting against the pruned URL's circuit; only when no URL has it is the
 * request answered 422 with the daemon's message.
 */
@ExtendWith(VertxExtension.class)
class PrunedBlockTest {

  private static final int TIP = 20;
  private static final String PRUNED = "Block not available (pruned data)";
  private static final List<Integer> HEIGHTS = List.of(2, 3);

  /** getblock as a node pruned below height 10 answers it. */
  static Function<JsonArray, Object> pruned(FakeDaemon fake) {
    return (JsonArray p) -> {
      for (int h = 0; h < 10; h++) {
        if (FakeChain.blockHash(h).equals(p.getString(0))) {
          throw new FakeDaemon.RpcError(FakeDaemon.RPC_MISC_ERROR, PRUNED);
        }
      }
      throw new FakeDaemon.RpcError(FakeDaemon.RPC_INVALID_ADDRESS_OR_KEY, "Block not found");
    };
  }

  static JsonArray hashes() {
    JsonArray hashes = new JsonArray();
    HEIGHTS.forEach((Integer h) -> hashes.add(FakeChain.blockHash(h)));
    return hashes;
  }

  static long getblocks(FakeDaemon fake) {
    return fake.methods().stream().filter("getblock"::equals).count();
  }

  static Future<CompositeFuture> twoFakes(Vertx vertx) {
    return Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP));
  }

  static JsonObject config(FakeDaemon first, FakeDaemon second) {
    return Deployments.config(first.url(Deployments.USER, Deployments.PASSWORD) + ","
        + second.url(Deployments.USER, Deployments.PASSWORD));
  }

  /**
   * More requests than it takes failures to open a circuit: each is asked of the pruned URL
   * first (it stays current, its circuit closed) and served by the other.
   */
  @ParameterizedTest(name = "daemons serve REST: {0}")
  @ValueSource(booleans = {false, true})
  void aBlockPrunedAtOneUrlIsServedByTheOther(boolean rest, Vertx vertx, VertxTestContext ctx) {
    int requests = DaemonOptions.DEFAULT_BREAKER_MAX_FAILURES + 1;
    twoFakes(vertx).compose((CompositeFuture both) -> {
      FakeDaemon prunedNode = both.resultAt(0);
      FakeDaemon full = both.resultAt(1);
      prunedNode.handle("getblock", pruned(prunedNode)).withRest(rest);
      full.withRest(rest);
      JsonObject config = config(prunedNode, full);
      DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
      Future<Buffer> asked = Deployments.deploy(vertx, config).map((String id) -> null);
      for (int i = 0; i < requests; i++) {
        asked = asked.compose((Buffer previous) -> BlockIntegrityTest.ask(vertx, config, hashes())
            .map((Buffer reply) -> {
              List<Buffer> blocks = BlockFrames.read(reply);
              assertThat(blocks).hasSize(HEIGHTS.size());
              for (int k = 0; k < HEIGHTS.size(); k++) {
                assertThat(blocks.get(k).getBytes()).isEqualTo(
                    HexFormat.of().parseHex(FakeChain.rawBlockHex(HEIGHTS.get(k))));
              }
              return reply;
            }));
      }
      return asked.compose((Buffer last) -> client.status()).map((JsonObject status) -> {
        ctx.verify(() -> {
          JsonObject prunedUrl = status.getJsonArray("urls").getJsonObject(0);
          assertThat(prunedUrl.getString("url"))
              .isEqualTo("127.0.0.1:" + prunedNode.port() + "/");
          assertThat(prunedUrl.getString("circuit")).isEqualTo("CLOSED");
          assertThat(prunedUrl.getLong("failures")).as("not counted against it").isZero();
          assertThat(prunedUrl.getBoolean("current")).as("never failed over").isTrue();
          JsonObject counters = status.getJsonObject("counters");
          assertThat(counters.getLong("transientFailures")).isZero();
          assertThat(counters.getLong("failovers")).isZero();
          assertThat(counters.getLong("daemonErrors")).isZero();
          assertThat(counters.getLong("unavailable")).isZero();
          assertThat(getblocks(prunedNode)).as("asked first, each time")
              .isEqualTo((long) requests * HEIGHTS.size());
          if (rest) {
            // The first 404 ends the request's other GETs, which may not have gone out yet.
            assertThat(BlockIntegrityTest.restBlockGets(prunedNode))
                .as("REST's 404 first, then JSON-RPC")
                .isBetween((long) requests, (long) requests * HEIGHTS.size());
            assertThat(BlockIntegrityTest.restBlockGets(full)).as("then the other, over REST")
                .isEqualTo((long) requests * HEIGHTS.size());
            assertThat(getblocks(full)).isZero();
          } else {
            assertThat(getblocks(full)).as("then the other")
                .isEqualTo((long) requests * HEIGHTS.size());
          }
        });
        return status;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBlockPrunedEverywhereIsTheDaemonsOwn422AfterOneAskOfEach(Vertx vertx,
                                                                  VertxTestContext ctx) {
    twoFakes(vertx).compose((CompositeFuture both) -> {
      FakeDaemon first = both.resultAt(0);
      FakeDaemon second = both.resultAt(1);
      first.handle("getblock", pruned(first));
      second.handle("getblock", pruned(second));
      JsonObject config = config(first, second);
      DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
      return Deployments.deploy(vertx, config)
          .compose((String id) -> Service.expectFailure(
              BlockIntegrityTest.ask(vertx, config, hashes())))
          .compose((DaemonException failure) -> client.status().map((JsonObject status) -> {
            ctx.verify(() -> {
              assertThat(failure.code()).isEqualTo(DaemonException.DAEMON_ERROR);
              assertThat(failure.getMessage()).contains(PRUNED);
              assertThat(failure.debugInfo().getJsonArray("errors").getJsonObject(0)
                  .getInteger("code")).isEqualTo(FakeDaemon.RPC_MISC_ERROR);
              assertThat(getblocks(first)).as("one batch").isEqualTo(HEIGHTS.size());
              assertThat(getblocks(second)).as("one batch").isEqualTo(HEIGHTS.size());
              for (int i = 0; i < 2; i++) {
                JsonObject url = status.getJsonArray("urls").getJsonObject(i);
                assertThat(url.getString("circuit")).isEqualTo("CLOSED");
                assertThat(url.getLong("failures")).isZero();
              }
              JsonObject counters = status.getJsonObject("counters");
              assertThat(counters.getLong("daemonErrors")).isEqualTo(1);
              assertThat(counters.getLong("transientFailures")).isZero();
              assertThat(counters.getLong("unavailable")).isZero();
            });
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** The verbose getblock (deserialisedBlock, a single call) is asked elsewhere alike. */
  @Test
  void aSingleGetblockPrunedAtOneUrlIsAnsweredByTheOther(Vertx vertx, VertxTestContext ctx) {
    twoFakes(vertx).compose((CompositeFuture both) -> {
      FakeDaemon prunedNode = both.resultAt(0);
      FakeDaemon full = both.resultAt(1);
      prunedNode.handle("getblock", pruned(prunedNode));
      JsonObject config = config(prunedNode, full);
      DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
      return Deployments.deploy(vertx, config)
          .compose((String id) -> client.request(Actions.DESERIALISED_BLOCK,
              new JsonObject().put("hash", FakeChain.blockHash(2))))
          .map((Object block) -> {
            ctx.verify(() -> {
              assertThat(((JsonObject) block).getInteger("height")).isEqualTo(2);
              assertThat(getblocks(prunedNode)).isEqualTo(1);
              assertThat(getblocks(full)).isEqualTo(1);
            });
            return block;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** One URL: nowhere else to ask, the daemon's answer at once (not a 503 at the deadline). */
  @Test
  void withOneUrlAPrunedBlockIsTheDaemons422AtOnce(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> {
      fake.handle("getblock", pruned(fake));
      JsonObject config = Deployments.config(fake);
      return Deployments.deploy(vertx, config)
          .compose((String id) -> Service.expectFailure(
              BlockIntegrityTest.ask(vertx, config, hashes())))
          .map((DaemonException failure) -> {
            ctx.verify(() -> {
              assertThat(failure.code()).isEqualTo(DaemonException.DAEMON_ERROR);
              assertThat(failure.getMessage()).contains(PRUNED);
              assertThat(getblocks(fake)).isEqualTo(HEIGHTS.size());
            });
            return failure;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
