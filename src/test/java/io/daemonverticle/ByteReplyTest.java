package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one-pass byte path through the verticle (issue 13; issue 11 item 7): a rawBlocks reply
 * the daemon spoils (odd or non-hex data, an id missing or not asked, cut off) is a transient
 * failure of that URL: retried, then answered exactly once with 503 and a clear text, nothing
 * wrong delivered and no stack trace logged.
 */
@ExtendWith(VertxExtension.class)
class ByteReplyTest {

  @Test
  void oddHex(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (String reply) -> reply.replaceFirst("\"result\":\"(..)",
        "\"result\":\"$1a"),
        "odd number of digits");
  }

  @Test
  void nonHex(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (String reply) -> reply.replaceFirst("\"result\":\"(..)",
        "\"result\":\"$1zz"),
        "'z'");
  }

  @Test
  void missingId(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (String reply) -> reply.replaceFirst(",\"id\":[0-9]+", ""),
        "whole-number id");
  }

  @Test
  void unknownId(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (String reply) -> reply.replaceFirst("\"id\":[0-9]+", "\"id\":99999"),
        "did not ask");
  }

  @Test
  void cutOff(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (String reply) -> reply.substring(0, reply.length() / 2), "cut off");
  }

  @Test
  void aResultThatIsNoStringIsNoBlock(Vertx vertx, VertxTestContext ctx) {
    expect503(vertx, ctx, (String reply) -> reply.replaceFirst("\"result\":\"[0-9a-f]+\"",
        "\"result\":7"),
        "non-string where a block in hex was expected");
  }

  @Test
  void theBlocksComeBackByteForByteInRequestOrder(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 20).compose((FakeDaemon fake) -> {
      fake.shuffleBatchReplies(true);
      JsonObject config = Deployments.config(fake);
      return Deployments.deploy(vertx, config).compose((String id) -> vertx.eventBus().request(
          config.getString("address"), new JsonObject().put("hashes", new JsonArray()
              .add(FakeChain.blockHash(3)).add(FakeChain.blockHash(17)).add(FakeChain.blockHash(0))),
          new DeliveryOptions().addHeader(Actions.HEADER, Actions.RAW_BLOCKS)));
    }).onComplete(ctx.succeeding((Message<Object> reply) -> ctx.verify(() -> {
      List<io.vertx.core.buffer.Buffer> blocks =
          BlockFrames.read((io.vertx.core.buffer.Buffer) reply.body());
      assertThat(blocks).hasSize(3);
      int[] heights = {3, 17, 0};
      for (int i = 0; i < 3; i++) {
        assertThat(java.util.HexFormat.of().formatHex(blocks.get(i).getBytes()))
            .isEqualTo(FakeChain.rawBlockHex(heights[i]));
      }
      ctx.completeNow();
    })));
  }

  private void expect503(Vertx vertx, VertxTestContext ctx, UnaryOperator<String> spoil,
                         String why) {
    LogCapture log = LogCapture.start();
    AtomicInteger answers = new AtomicInteger();
    FakeDaemon.bitcoinLike(vertx, 20).compose((FakeDaemon fake) -> {
      fake.rewriteReplies(spoil);
      JsonObject config = Deployments.config(fake).put("requestTimeoutMs", 1500)
          .put("breakerMaxFailures", 1000);
      return Deployments.deploy(vertx, config).compose((String id) -> vertx.eventBus().request(
          config.getString("address"), new JsonObject().put("hashes", new JsonArray()
              .add(FakeChain.blockHash(3)).add(FakeChain.blockHash(4))),
          new DeliveryOptions().addHeader(Actions.HEADER, Actions.RAW_BLOCKS)))
          .onComplete((AsyncResult<Message<Object>> ar) -> answers.incrementAndGet())
          .map((Message<Object> reply) -> fake);
    }).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertThat(((ReplyException) e).failureCode()).isEqualTo(DaemonException.UNAVAILABLE);
      assertThat(e.getMessage()).contains(why);
      // Exactly one answer, and no stack trace or "internal error" logged for it.
      vertx.setTimer(3_000, (Long t) -> ctx.verify(() -> {
        assertThat(answers.get()).isEqualTo(1);
        assertThat(log.linesWith("\tat ")).isEmpty();
        assertThat(log.linesWith("internal error")).isEmpty();
        assertThat(log.linesWith(why)).as("logged as a failure of the URL").isNotEmpty();
        log.close();
        ctx.completeNow();
      }));
    })));
  }
}
