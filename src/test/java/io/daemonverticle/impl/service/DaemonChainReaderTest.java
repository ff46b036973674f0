package io.daemonverticle.impl.service;

import static io.daemonverticle.testing.VirtualTime.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.kinds.BlockHeader;
import io.daemonverticle.testing.ScriptedDaemon;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the shared tip reads of this instance's daemon while it looks for a fork: each call
 * with the timeout from when it is made, in virtual time; what a header says of a block left
 * behind by the best chain.
 */
@ExtendWith(VertxExtension.class)
class DaemonChainReaderTest {

  private static final long TIMEOUT_MS = 1_500;
  private static final String HASH = "c".repeat(64);
  private static final String PARENT = "d".repeat(64);

  private static DaemonRpcException rpcError(int code) {
    return DaemonRpcException.of(new JsonObject().put("code", code).put("message", "no"));
  }

  @Test
  void eachCallHasTheTimeoutFromWhenItIsMade(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ScriptedDaemon daemon = ScriptedDaemon.on(vertx, time);
    DaemonChainReader reader = new DaemonChainReader(daemon, TIMEOUT_MS, time);
    List<Future<?>> read = new ArrayList<>();
    on(context, () -> read.add(reader.hashAt(7)))
        .compose((Void v) -> time.advance(100))
        .compose((Void v) -> on(context, () -> read.add(reader.parentOf(HASH))))
        .compose((Void v) -> time.advance(100))
        .compose((Void v) -> on(context, () -> {
          read.add(reader.abandoned(HASH));
          assertThat(daemon.methods())
              .containsExactly("getblockhash", "getblockheader", "getblockheader");
          assertThat(daemon.calls()).extracting(ScriptedDaemon.Call::argument)
              .containsExactly(7, HASH, HASH);
          for (int n = 0; n < 3; n++) {
            ScriptedDaemon.Call call = daemon.call(n);
            assertThat(call.deadline().clock()).isSameAs(time);
            // Made at 0, 100 and 200 ms: each due its timeout later.
            assertThat(call.deadline().expiresAtNanos() - time.nanoTime())
                .as("call %d's time left at 200 ms", n)
                .isEqualTo((TIMEOUT_MS - 200 + 100 * n) * 1_000_000L);
          }
          daemon.call(0).answer().complete(HASH);
          daemon.call(1).answer().complete(new BlockHeader(7, HASH, PARENT, 1));
          assertThat(read.get(0).result()).isEqualTo(HASH);
          assertThat(read.get(1).result()).isEqualTo(PARENT);
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBlockIsAbandonedWhenItsHeaderSaysItLeftTheBestChain(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ScriptedDaemon daemon = ScriptedDaemon.on(vertx, time);
    DaemonChainReader reader = new DaemonChainReader(daemon, TIMEOUT_MS, time);
    DaemonRpcException other = rpcError(-1);
    on(context, () -> {
      List<Future<Boolean>> asked = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        asked.add(reader.abandoned(HASH));
      }
      daemon.call(0).answer().complete(new BlockHeader(7, HASH, PARENT, -1));
      daemon.call(1).answer().complete(new BlockHeader(7, HASH, PARENT, 0));
      daemon.call(2).answer().complete(new BlockHeader(7, HASH, PARENT, 3));
      daemon.call(3).answer().complete(new BlockHeader(7, HASH, PARENT, null));
      daemon.call(4).answer().fail(rpcError(DaemonChainReader.BLOCK_NOT_FOUND));
      daemon.call(5).answer().fail(other);
      assertThat(asked.subList(0, 5)).extracting(Future::result)
          .as("off the best chain; at its tip; in it; a kind without confirmations; unknown")
          .containsExactly(true, false, false, true, false);
      assertThat(asked.get(5).cause()).as("any other failure is the caller's").isSameAs(other);
    }).onComplete(ctx.succeedingThenComplete());
  }
}
