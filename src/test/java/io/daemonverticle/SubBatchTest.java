package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large JSON-RPC blocks requests cut into sub-batches sent over several connections at once
 * (issue 13): once a request has shown blocks of a megabyte, the next one of eight goes as
 * three batches of consecutive blocks, at once where {@code maxWorkqueue} has room, one
 * after another where it has none; the reply is the same, byte for byte and in request
 * order; a sub-batch that fails fails the attempt, which is retried whole; the daemon's error
 * for one block is still the request's 422 and {@code maxBatchBytes} still bounds all of
 * them together. Small blocks never split.
 */
@ExtendWith(VertxExtension.class)
class SubBatchTest {

  private static final HexFormat HEX = HexFormat.of();
  /**
   * Ten blocks, most of about 1 MB, one of 81 bytes and one of 80, a bare header (9.2 MB). None
   * is shorter: a block is asked for by its header's hash, which the service checks.
   */
  private static final int[] SIZES = {1_000_000, 1_000_001, 999_999, 81, 1_200_000, 80, 1_000_000,
      1_000_000, 1_000_000, 2_000_000};

  @Test
  void largeBlocksGoAsSubBatchesAtOnceAndComeBackByteForByteInRequestOrder(Vertx vertx,
                                                                           VertxTestContext ctx) {
    Blocks blocks = new Blocks(SIZES);
    Service.start(vertx, blocks, new JsonObject().put("maxWorkqueue", 4))
        .compose((Service s) -> s.rawBlocks(blocks.hashes(0, 1)).compose((Object first) -> {
          s.fake.resetStats();
          return s.rawBlocks(blocks.hashes(0, SIZES.length));
        }).map((Object reply) -> {
          ctx.verify(() -> {
            blocks.assertFrames(reply, 0, SIZES.length);
            // 9.2 MB of blocks, seen at 1 MB each: four sub-batches (the ten cut 3, 3, 2, 2).
            assertThat(s.fake.httpRequests()).isEqualTo(4);
            assertThat(s.fake.methods()).hasSize(SIZES.length).containsOnly("getblock");
            assertThat(s.fake.maxConcurrent()).as("sent at once").isEqualTo(4);
          });
          return reply;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void withOneSlotTheSubBatchesGoOneAfterAnother(Vertx vertx, VertxTestContext ctx) {
    Blocks blocks = new Blocks(SIZES);
    Service.start(vertx, blocks, new JsonObject().put("maxWorkqueue", 1))
        .compose((Service s) -> s.rawBlocks(blocks.hashes(0, 1)).compose((Object first) -> {
          s.fake.resetStats();
          return s.rawBlocks(blocks.hashes(0, SIZES.length));
        }).compose((Object reply) -> s.status().map((JsonObject status) -> {
          ctx.verify(() -> {
            blocks.assertFrames(reply, 0, SIZES.length);
            assertThat(s.fake.httpRequests()).isEqualTo(4);
            assertThat(s.fake.maxConcurrent()).isEqualTo(1);
            assertThat(status.getInteger("inFlight")).isZero();
          });
          return reply;
        })))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The JSON-RPC fallback of a daemon without REST (restBlocks on, the default) splits too. */
  @Test
  void aDaemonWithoutRestGetsSubBatchesToo(Vertx vertx, VertxTestContext ctx) {
    Blocks blocks = new Blocks(SIZES);
    Service.start(vertx, blocks, new JsonObject().put("restBlocks", true)
            .put("maxWorkqueue", 4))
        .compose((Service s) -> s.rawBlocks(blocks.hashes(0, 1)).compose((Object first) -> {
          s.fake.resetStats();
          return s.rawBlocks(blocks.hashes(0, SIZES.length));
        }).map((Object reply) -> {
          ctx.verify(() -> {
            blocks.assertFrames(reply, 0, SIZES.length);
            assertThat(s.fake.httpRequests()).isEqualTo(4);
            assertThat(s.fake.restPaths()).as("told no once, believed").isEmpty();
          });
          return reply;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** A dropped sub-batch fails the attempt: retried whole, every slot given back after. */
  @Test
  void aDroppedSubBatchRetriesTheAttemptAndGivesEverySlotBack(Vertx vertx,
                                                               VertxTestContext ctx) {
    Blocks blocks = new Blocks(SIZES);
    Service.start(vertx, blocks, new JsonObject().put("maxWorkqueue", 4)
            .put("breakerMaxFailures", 1000))
        .compose((Service s) -> s.rawBlocks(blocks.hashes(0, 1))
            .compose((Object first) -> s.counters())
            .compose((JsonObject before) -> {
              s.fake.failNext(Fault.DROP_CONNECTION);
              return s.rawBlocks(blocks.hashes(0, SIZES.length))
                  .compose((Object reply) -> s.status().map((JsonObject status) -> {
                    ctx.verify(() -> {
                      blocks.assertFrames(reply, 0, SIZES.length);
                      assertThat(status.getJsonObject("counters").getLong("retries")
                          - before.getLong("retries")).as("one failed attempt").isEqualTo(1);
                      assertThat(status.getInteger("inFlight")).isZero();
                    });
                    return reply;
                  }));
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** One block the daemon does not have: its JSON-RPC error, 422, not retried. */
  @Test
  void theDaemonsErrorForOneBlockIsTheRequests422(Vertx vertx, VertxTestContext ctx) {
    Blocks blocks = new Blocks(SIZES);
    String unknown = "ab".repeat(32);
    JsonArray hashes = blocks.hashes(0, SIZES.length);
    hashes.set(7, unknown);
    Service.start(vertx, blocks, new JsonObject().put("maxWorkqueue", 4))
        .compose((Service s) -> s.rawBlocks(blocks.hashes(0, 1)).compose((Object first) -> {
          s.fake.resetStats();
          return s.rawBlocks(hashes).map((Object reply) -> (Throwable) null)
              .otherwise((Throwable e) -> e)
              .compose((Throwable failure) -> s.counters().map((JsonObject counters) -> {
                ctx.verify(() -> {
                  assertThat(failure).isInstanceOf(ReplyException.class);
                  assertThat(((ReplyException) failure).failureCode())
                      .isEqualTo(DaemonException.DAEMON_ERROR);
                  assertThat(failure.getMessage()).contains("Block not found");
                  assertThat(counters.getLong("retries")).isZero();
                  assertThat(s.fake.httpRequests()).isEqualTo(4);
                });
                return failure;
              }));
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** maxBatchBytes bounds the blocks of the request, not of each sub-batch. */
  @Test
  void maxBatchBytesBoundsAllSubBatchesTogether(Vertx vertx, VertxTestContext ctx) {
    Blocks blocks = new Blocks(SIZES);
    Service.start(vertx, blocks, new JsonObject().put("maxWorkqueue", 4)
            .put("maxBatchBytes", 9_000_000))
        .compose((Service s) -> s.rawBlocks(blocks.hashes(0, 1)).compose((Object first) -> {
          s.fake.resetStats();
          return s.rawBlocks(blocks.hashes(0, SIZES.length)).map((Object reply) -> (Throwable) null)
              .otherwise((Throwable e) -> e)
              .compose((Throwable failure) -> s.counters().map((JsonObject counters) -> {
                ctx.verify(() -> {
                  assertThat(s.fake.httpRequests()).as("cut into sub-batches").isEqualTo(4);
                  assertThat(failure).isInstanceOf(ReplyException.class);
                  assertThat(((ReplyException) failure).failureCode())
                      .isEqualTo(DaemonException.BAD_REQUEST);
                  assertThat(failure.getMessage()).contains("maxBatchBytes (9000000 bytes)");
                  assertThat(counters.getLong("retries")).as("not retried").isZero();
                });
                return failure;
              }));
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Small blocks (a regtest chain's) are one batch whatever their number. */
  @Test
  void smallBlocksAreOneBatch(Vertx vertx, VertxTestContext ctx) {
    int[] sizes = new int[40];
    java.util.Arrays.fill(sizes, 300);
    Blocks blocks = new Blocks(sizes);
    Service.start(vertx, blocks, new JsonObject())
        .compose((Service s) -> s.rawBlocks(blocks.hashes(0, 1)).compose((Object first) -> {
          s.fake.resetStats();
          return s.rawBlocks(blocks.hashes(0, sizes.length));
        }).map((Object reply) -> {
          ctx.verify(() -> {
            blocks.assertFrames(reply, 0, sizes.length);
            assertThat(s.fake.httpRequests()).isEqualTo(1);
          });
          return reply;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Random blocks of the given sizes, served by hash; others are "Block not found". */
  private static final class Blocks {
    final List<byte[]> bytes = new ArrayList<>();
    final List<String> hashes = new ArrayList<>();
    final Map<String, String> hex = new HashMap<>();

    Blocks(int[] sizes) {
      Random random = new Random(sizes.length);
      for (int i = 0; i < sizes.length; i++) {
        byte[] block = new byte[sizes[i]];
        random.nextBytes(block);
        String hash = FakeChain.hashOf(block);
        bytes.add(block);
        hashes.add(hash);
        hex.put(hash, HEX.formatHex(block));
      }
    }

    Object serve(JsonArray params) {
      String block = hex.get(params.getString(0));
      if (block == null) {
        throw new FakeDaemon.RpcError(-5, "Block not found");
      }
      return block;
    }

    JsonArray hashes(int from, int to) {
      return new JsonArray(new ArrayList<>(hashes.subList(from, to)));
    }

    void assertFrames(Object reply, int from, int to) {
      List<Buffer> got = BlockFrames.read((Buffer) reply);
      assertThat(got).hasSize(to - from);
      for (int i = from; i < to; i++) {
        assertThat(got.get(i - from).getBytes()).as("block %d", i).isEqualTo(bytes.get(i));
      }
    }
  }

  /** A fake daemon serving the blocks (no REST; batch replies shuffled) and a verticle. */
  private record Service(Vertx vertx, FakeDaemon fake, JsonObject config) {

    static Future<Service> start(Vertx vertx, Blocks blocks, JsonObject overrides) {
      return FakeDaemon.bitcoinLike(vertx, 20).compose((FakeDaemon fake) -> {
        fake.withRest(false).shuffleBatchReplies(true).setLatency(20)
            .handle("getblock", blocks::serve);
        JsonObject config = Deployments.config(fake).put("restBlocks", false)
            .put("requestTimeoutMs", 20_000).put("attemptTimeoutMs", 15_000)
            .mergeIn(overrides);
        return Deployments.deploy(vertx, config).map((String id) -> new Service(vertx, fake,
            config));
      });
    }

    Future<Object> ask(String action, JsonObject body) {
      return vertx.eventBus().request(config.getString("address"), body,
          new DeliveryOptions().addHeader(Actions.HEADER, action).setSendTimeout(30_000))
          .map((Message<Object> m) -> m.body());
    }

    Future<Object> rawBlocks(JsonArray hashes) {
      return ask(Actions.RAW_BLOCKS, new JsonObject().put("hashes", hashes));
    }

    Future<JsonObject> status() {
      return ask(Actions.STATUS, null).map(JsonObject.class::cast);
    }

    Future<JsonObject> counters() {
      return status().map((JsonObject status) -> status.getJsonObject("counters"));
    }
  }
}
