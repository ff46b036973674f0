package io.daemonverticle.impl.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.resilience.AttemptCount;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.LoopToFakes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JSON-RPC client over HTTP to a fake daemon: each call and batch is answered with its
 * result (or the daemon's error), every payload carries ids from one counter, one after the
 * other (a reply is matched to what was asked by them), and an empty batch sends nothing.
 * The reading of replies is {@link JsonRpcReplyTest}'s.
 */
@ExtendWith(VertxExtension.class)
class JsonRpcCallsTest {

  private FakeDaemon fake;
  private LoopToFakes to;

  @AfterEach
  void close() {
    if (to != null) {
      to.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void callsAndBatchesAreAnsweredAndTakeTheirIdsFromOneCounter(Vertx vertx,
      VertxTestContext ctx) {
    start(vertx, 42);
    JsonRpc rpc = new JsonRpc(to.loop);
    AttemptCount count = new AttemptCount();
    List<Object> seen = new ArrayList<>();
    // The batch at one URL holds no slot: time stands still while it is on the wire.
    Future<?>[] outside = new Future[1];
    Future<Void> all = to.onContext(() -> rpc.call(RpcCall.of("getblockcount"),
            to.deadline(10_000))
        .compose(h -> {
          seen.add(h);
          return rpc.call(RpcCall.of("getblockcount"), to.deadline(10_000), count);
        })
        .compose(h -> {
          seen.add(h);
          return rpc.call("getblockhash", to.deadline(10_000), 0);
        })
        .compose(hash -> {
          seen.add(hash);
          return rpc.batch(List.of(RpcCall.of("getblockcount"), RpcCall.of("getblockhash", 1)),
              to.deadline(10_000));
        })
        .compose(results -> {
          seen.add(results);
          seen.add(rpc.reserveIds(5));
          Future<List<RpcResult>> at = rpc.batchAt(to.endpoints.get(0).url(),
              List.of(RpcCall.of("getblockcount")), 5_000);
          outside[0] = at;
          return at;
        })
        .compose(results -> {
          seen.add(results);
          return rpc.batch(List.of(), to.deadline(10_000));
        })
        .compose(empty -> {
          seen.add(empty);
          return rpc.call("getblockcount", to.deadline(10_000));
        })
        .<Void>mapEmpty());
    to.drive(all, () -> outside[0] == null || outside[0].isComplete())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          Object hash0 = seen.get(2);
          assertThat(hash0).isInstanceOf(String.class);
          assertThat(seen.get(0)).isEqualTo(42);
          assertThat(seen.get(1)).isEqualTo(42);
          assertThat(count.get()).isEqualTo(1);
          @SuppressWarnings("unchecked")
          List<RpcResult> batch = (List<RpcResult>) seen.get(3);
          assertThat(batch).extracting(RpcResult::result).hasSize(2).first().isEqualTo(42);
          assertThat(batch.get(1).result()).isInstanceOf(String.class).isNotEqualTo(hash0);
          assertThat(seen.get(4)).as("the first of the reserved ids").isEqualTo(5L);
          @SuppressWarnings("unchecked")
          List<RpcResult> at = (List<RpcResult>) seen.get(5);
          assertThat(at).extracting(RpcResult::result).containsExactly(42);
          assertThat(seen.get(6)).isEqualTo(List.of());
          assertThat(fake.calls()).extracting(c -> c.getValue("id"))
              .as("one counter: calls, a batch, five reserved, a batch at one URL, a call")
              .containsExactly(0, 1, 2, 3, 4, 10, 11);
          assertThat(fake.httpRequests()).as("nothing sent for the empty batch").isEqualTo(6);
          ctx.completeNow();
        })));
  }

  @Test
  void theDaemonsErrorFailsTheCallWithIt(Vertx vertx, VertxTestContext ctx) {
    start(vertx, 42);
    JsonRpc rpc = new JsonRpc(to.loop);
    to.drive(to.onContext(() -> rpc.call("nosuchmethod", to.deadline(10_000))), () -> true)
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(DaemonRpcException.class);
          assertThat(((DaemonRpcException) e).debugInfo()).isInstanceOf(JsonObject.class);
          ctx.completeNow();
        })));
  }

  @Test
  void a503GivenUpInFrontOfTheClientIsCountedWithTheLoops(Vertx vertx, VertxTestContext ctx) {
    start(vertx, 42);
    JsonRpc rpc = new JsonRpc(to.loop);
    to.onContext(() -> {
      rpc.recordUnavailable();
      return Future.succeededFuture();
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(to.counters.unavailable()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  /**
   * A batch is hedged only when every call in it only reads: one that writes (a broadcast)
   * must never reach a second daemon while the first may still act on it. The hedge's timer is
   * fired in virtual time once the first daemon has the batch (the event the hedge follows),
   * with that daemon still holding its answer.
   */
  @Test
  void aBatchThatWritesIsNotHedgedWhateverItsOrder(Vertx vertx, VertxTestContext ctx) {
    hedged(vertx, List.of(RpcCall.of("sendrawtransaction", "00"), RpcCall.of("getblockcount")))
        .compose(hedges -> {
          ctx.verify(() -> assertThat(hedges).as("writes, then reads").isZero());
          return hedged(vertx, List.of(RpcCall.of("getblockcount"),
              RpcCall.of("sendrawtransaction", "00")));
        })
        .compose(hedges -> {
          ctx.verify(() -> assertThat(hedges).as("reads, then writes").isZero());
          return hedged(vertx, List.of(RpcCall.of("getblockcount"),
              RpcCall.of("getblockhash", 1)));
        })
        .onComplete(ctx.succeeding(hedges -> ctx.verify(() -> {
          assertThat(hedges).as("reads only: hedged, so the test can see a hedge").isOne();
          ctx.completeNow();
        })));
  }

  /**
   * Sends {@code calls} as one batch to two fakes, the first answering only after a minute;
   * moves the virtual time past the hedge's delay once the first has it, and gives the hedges
   * counted then (the hedge goes out, if at all, inside the timer's handler).
   */
  private Future<Long> hedged(Vertx vertx, List<RpcCall> calls) {
    close();
    return FakeDaemon.bitcoinLike(vertx, 42).compose(slow -> {
      slow.setLatency(60_000);
      return FakeDaemon.bitcoinLike(vertx, 42).compose(quick -> {
        fake = quick;
        LoopToFakes both = new LoopToFakes(vertx, List.of(slow, quick), 200);
        to = both;
        JsonRpc rpc = new JsonRpc(both.loop);
        both.onContext(() -> rpc.batch(calls, both.deadline(10_000)));
        return both.virtual.once(() -> slow.httpRequests() == 1)
            .compose(v -> both.virtual.advance(199))
            .compose(v -> both.counters.hedges() == 0 ? both.virtual.advance(1)
                : Future.failedFuture(new AssertionError("hedged before its delay")))
            .map(v -> both.counters.hedges())
            .eventually(slow::close);
      });
    });
  }

  private void start(Vertx vertx, int height) {
    fake = FakeDaemon.bitcoinLike(vertx, height).toCompletionStage().toCompletableFuture()
        .join();
    to = new LoopToFakes(vertx, List.of(fake));
  }
}
