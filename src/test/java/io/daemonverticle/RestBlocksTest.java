package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.bus.LocalBufferCodec;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.impl.MessageImpl;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * rawBlocks over the daemon's REST interface (issue 13, {@code restBlocks}): the bytes as the
 * daemon serves them, several GETs at a time within {@code maxWorkqueue}; a daemon without
 * REST, a block REST does not have and a refusal all end up on JSON-RPC; the daemon's
 * back-pressure and transport failures are retried like any other.
 */
@ExtendWith(VertxExtension.class)
class RestBlocksTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String PROBE = "/rest/chaininfo.json";

  @Test
  void blocksOfEverySizeComeOverRestByteForByteInRequestOrder(Vertx vertx,
                                                               VertxTestContext ctx) {
    Random random = new Random(13);
    int[] sizes = {0, 1, 80, 4_000_000, 32_000_000, 1_000};
    Map<String, String> served = new HashMap<>();
    List<byte[]> blocks = new ArrayList<>();
    JsonArray hashes = new JsonArray();
    for (int i = 0; i < sizes.length; i++) {
      byte[] block = new byte[sizes[i]];
      random.nextBytes(block);
      String hash = String.format("%064x", i + 1);
      served.put(hash, HEX.formatHex(block));
      blocks.add(block);
      hashes.add(hash);
    }
    FakeDaemon.bitcoinLike(vertx, 10).compose(fake -> {
      fake.withRest(true).handle("getblock", p -> served.get(p.getString(0)));
      JsonObject config = Deployments.config(fake).put("requestTimeoutMs", 20_000)
          .put("attemptTimeoutMs", 15_000);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, new JsonObject()
              .put("hashes", hashes)))
          .compose(reply -> ask(vertx, config, Actions.STATUS, null).map(status -> {
            ctx.verify(() -> {
              List<Buffer> got = BlockFrames.read((Buffer) reply);
              assertThat(got).hasSize(sizes.length);
              for (int i = 0; i < sizes.length; i++) {
                assertThat(got.get(i).getBytes()).as("block %d", i).isEqualTo(blocks.get(i));
              }
              assertThat(fake.methods()).as("nothing over JSON-RPC").doesNotContain("getblock");
              assertThat(fake.restPaths()).first().isEqualTo(PROBE);
              assertThat(fake.restPaths()).hasSize(1 + sizes.length);
              JsonObject counters = ((JsonObject) status).getJsonObject("counters");
              assertThat(counters.getLong("restBlocks")).isEqualTo(sizes.length);
              assertThat(counters.getLong("restFallbacks")).isZero();
            });
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** A local requester gets the reply buffer itself (Vert.x's Buffer codec would copy it). */
  @Test
  void aLocalRequesterGetsTheBlocksWithoutACopy(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      JsonObject config = Deployments.config(fake);
      return Deployments.deploy(vertx, config)
          .compose(id -> vertx.eventBus().request(config.getString("address"), hashes(3, 4),
              new DeliveryOptions().addHeader(Actions.HEADER, Actions.RAW_BLOCKS)))
          .map(reply -> {
            ctx.verify(() -> {
              assertFrames((Buffer) reply.body(), 3, 4);
              assertThat(((MessageImpl<?, ?>) reply).codec().name())
                  .isEqualTo(LocalBufferCodec.NAME);
            });
            return reply;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDaemonWithoutRestIsProbedOnceAndServedOverJsonRpc(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      JsonObject config = Deployments.config(fake);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(3, 4)))
          .compose(first -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(5)))
          .map(second -> {
            ctx.verify(() -> {
              assertFrames((Buffer) second, 5);
              assertThat(fake.restPaths()).as("one probe, told no, believed")
                  .containsExactly(PROBE);
              assertThat(fake.methods()).containsExactly("getblock", "getblock", "getblock");
            });
            return second;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void restBlocksFalseNeverAsksRest(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      JsonObject config = Deployments.config(fake).put("restBlocks", false);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(3, 4)))
          .map(reply -> {
            ctx.verify(() -> {
              assertFrames((Buffer) reply, 3, 4);
              assertThat(fake.restPaths()).isEmpty();
            });
            return reply;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** An unknown block is JSON-RPC's answer (422 with the daemon's error), not REST's 404. */
  @Test
  void aBlockRestDoesNotHaveIsAskedOverJsonRpc(Vertx vertx, VertxTestContext ctx) {
    String unknown = "ab".repeat(32);
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      JsonObject config = Deployments.config(fake);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS,
              new JsonObject().put("hashes", new JsonArray().add(FakeChain.blockHash(3))
                  .add(unknown))))
          .recover(e -> {
            ctx.verify(() -> {
              assertThat(((ReplyException) e).failureCode())
                  .as("the daemon's JSON-RPC error").isEqualTo(DaemonException.DAEMON_ERROR);
              assertThat(fake.methods()).contains("getblock");
            });
            return ask(vertx, config, Actions.RAW_BLOCKS, hashes(6));
          })
          .compose(reply -> ask(vertx, config, Actions.STATUS, null).map(status -> {
            ctx.verify(() -> {
              assertFrames((Buffer) reply, 6);
              JsonObject counters = ((JsonObject) status).getJsonObject("counters");
              assertThat(counters.getLong("restFallbacks")).isEqualTo(1);
              assertThat(fake.restPaths()).as("a 404 for a block: REST still believed")
                  .endsWith("/rest/block/" + FakeChain.blockHash(6) + ".bin");
            });
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** A dropped GET is the URL failing: retried, and REST probed again before it is trusted. */
  @Test
  void aDroppedGetIsRetriedAndTheUrlProbedAgain(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      JsonObject config = Deployments.config(fake).put("maxWorkqueue", 1);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(2)))
          .compose(first -> {
            fake.failNext(Fault.DROP_CONNECTION);
            return ask(vertx, config, Actions.RAW_BLOCKS, hashes(3, 4));
          })
          .map(reply -> {
            ctx.verify(() -> {
              assertFrames((Buffer) reply, 3, 4);
              String b = "/rest/block/";
              // The dropped GET (block 3's first) is dropped before it is read.
              assertThat(fake.restPaths()).containsExactly(PROBE,
                  b + FakeChain.blockHash(2) + ".bin",
                  PROBE,
                  b + FakeChain.blockHash(3) + ".bin",
                  b + FakeChain.blockHash(4) + ".bin");
              assertThat(fake.methods()).doesNotContain("getblock");
            });
            return reply;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** The daemon's back-pressure on a GET is no reason to leave REST: the GET is retried. */
  @Test
  void backPressureOnAGetIsRetriedOverRest(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      JsonObject config = Deployments.config(fake).put("maxWorkqueue", 1);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(2)))
          .compose(first -> {
            fake.failNext(Fault.WORK_QUEUE_EXCEEDED);
            return ask(vertx, config, Actions.RAW_BLOCKS, hashes(3));
          })
          .compose(reply -> ask(vertx, config, Actions.STATUS, null).map(status -> {
            ctx.verify(() -> {
              assertFrames((Buffer) reply, 3);
              JsonObject counters = ((JsonObject) status).getJsonObject("counters");
              assertThat(counters.getLong("backPressure")).isEqualTo(1);
              assertThat(counters.getLong("restFallbacks")).isZero();
              assertThat(fake.methods()).doesNotContain("getblock");
            });
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A GET that never ends costs one attempt's time; the retry gets the blocks; every slot
   * the extra GETs took is given back (nothing in flight after).
   */
  @Test
  void aHungGetEndsWithItsAttemptAndEverySlotIsGivenBack(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      JsonObject config = Deployments.config(fake).put("attemptTimeoutMs", 700)
          .put("maxWorkqueue", 4);
      long[] retriesBefore = new long[1];
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(2)))
          .compose(first -> ask(vertx, config, Actions.STATUS, null))
          .compose(before -> {
            retriesBefore[0] = ((JsonObject) before).getJsonObject("counters")
                .getLong("retries");
            fake.failNext(Fault.HANG);
            return ask(vertx, config, Actions.RAW_BLOCKS, hashes(3, 4, 5, 6, 7));
          })
          .compose(reply -> ask(vertx, config, Actions.STATUS, null).map(status -> {
            ctx.verify(() -> {
              assertFrames((Buffer) reply, 3, 4, 5, 6, 7);
              JsonObject s = (JsonObject) status;
              assertThat(s.getInteger("inFlight")).isZero();
              assertThat(s.getJsonObject("counters").getLong("retries") - retriesBefore[0])
                  .as("the hung attempt, once").isEqualTo(1);
            });
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** Several GETs at once, never more than maxWorkqueue. */
  @Test
  void getsGoOutSeveralAtOnceWithinMaxWorkqueue(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 40).compose(fake -> {
      fake.withRest(true).setLatency(30);
      JsonObject config = Deployments.config(fake).put("maxWorkqueue", 3);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(1)))
          .compose(first -> {
            fake.resetStats();
            return ask(vertx, config, Actions.RAW_BLOCKS,
                hashes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
          })
          .map(reply -> {
            ctx.verify(() -> {
              assertFrames((Buffer) reply, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
              assertThat(fake.maxConcurrent()).isEqualTo(3);
            });
            return reply;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** The legacy kinds rebuild blocks from verbose getblock: JSON-RPC only. */
  @Test
  void theLegacyKindNeverAsksRest(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      JsonObject config = Deployments.config(fake).put("daemonKind", "legacy");
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(3)))
          .map(reply -> {
            ctx.verify(() -> assertThat(fake.restPaths()).isEmpty());
            return reply;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** The blocks of one request count together against maxReplyBytes. */
  @Test
  void blocksOverMaxReplyBytesTogetherAreCutOff(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      // Each fake block is about 1 kB: one fits, three do not.
      JsonObject config = Deployments.config(fake).put("maxReplyBytes", 2500)
          .put("requestTimeoutMs", 800);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(3)))
          .compose(one -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(3, 4, 5)));
    }).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(((ReplyException) e).failureCode()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(e.getMessage()).contains("longer than maxReplyBytes");
      ctx.completeNow();
    })));
  }

  /**
   * maxBatchBytes bounds one reply: blocks that add up to more are the request's fault, 400,
   * over REST (as soon as the bytes pass it) and over JSON-RPC alike; the URL is not blamed.
   */
  @ParameterizedTest(name = "restBlocks {0}")
  @ValueSource(booleans = {true, false})
  void blocksOverMaxBatchBytesAreRefused400(boolean rest, Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose(fake -> {
      fake.withRest(true);
      // Each fake block is about 1 kB: two fit, three do not.
      JsonObject config = Deployments.config(fake).put("maxBatchBytes", 2500)
          .put("restBlocks", rest);
      return Deployments.deploy(vertx, config)
          .compose(id -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(3, 4)))
          .compose(two -> ask(vertx, config, Actions.RAW_BLOCKS, hashes(3, 4, 5))
              .map(three -> (Throwable) null).otherwise(e -> e))
          .compose(refused -> ask(vertx, config, Actions.STATUS, null).map(status -> {
            ctx.verify(() -> {
              assertThat(refused).isInstanceOf(ReplyException.class);
              assertThat(((ReplyException) refused).failureCode())
                  .isEqualTo(DaemonException.BAD_REQUEST);
              assertThat(refused.getMessage()).contains("maxBatchBytes (2500 bytes)");
              JsonObject counters = ((JsonObject) status).getJsonObject("counters");
              assertThat(counters.getLong("retries")).as("not retried").isZero();
              assertThat(counters.getLong("transientFailures")).isZero();
              if (rest) {
                assertThat(fake.restPaths()).as("REST still believed").containsOnlyOnce(PROBE);
              }
            });
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject hashes(int... heights) {
    JsonArray hashes = new JsonArray();
    for (int h : heights) {
      hashes.add(FakeChain.blockHash(h));
    }
    return new JsonObject().put("hashes", hashes);
  }

  private static void assertFrames(Buffer reply, int... heights) {
    List<Buffer> blocks = BlockFrames.read(reply);
    assertThat(blocks).hasSize(heights.length);
    for (int i = 0; i < heights.length; i++) {
      assertThat(HEX.formatHex(blocks.get(i).getBytes()))
          .isEqualTo(FakeChain.rawBlockHex(heights[i]));
    }
  }

  private static Future<Object> ask(Vertx vertx, JsonObject config, String action,
                                    JsonObject body) {
    return vertx.eventBus().request(config.getString("address"), body,
        new DeliveryOptions().addHeader(Actions.HEADER, action).setSendTimeout(30_000))
        .map(m -> m.body());
  }
}
