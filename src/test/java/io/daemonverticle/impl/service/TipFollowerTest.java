package io.daemonverticle.impl.service;

import static io.daemonverticle.testing.VirtualTime.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.cluster.SharedMaps;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.cluster.Tip;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.kinds.BlockHeader;
import io.daemonverticle.testing.ControlledMap;
import io.daemonverticle.testing.ScriptedDaemon;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tip follower alone, on a daemon the test answers by hand, in virtual time: each call it
 * makes has the follower's timeout from when it is made, on the service's time source; a tip
 * published once is no news the second time; a daemon without getblockheader turns it off.
 */
@ExtendWith(VertxExtension.class)
class TipFollowerTest {

  private static final long TIMEOUT_MS = 2_000;
  private static final String HASH = "b".repeat(64);
  private static final String PARENT = "a".repeat(64);

  /** The follower under test and what it works with. */
  private record Follower(VirtualTime time, Context context, ScriptedDaemon daemon,
                          SharedState shared, TipFollower follower) {

    /** Asserts that call {@code n} must be answered {@code ms} from now on the virtual clock. */
    void dueIn(int n, long ms) {
      ScriptedDaemon.Call call = daemon.call(n);
      assertThat(call.deadline().clock()).as(call.method() + "'s clock").isSameAs(time);
      assertThat(call.deadline().expiresAtNanos() - time.nanoTime())
          .as(call.method() + "'s time left").isEqualTo(ms * 1_000_000L);
    }
  }

  private static Future<Follower> follower(Vertx vertx) {
    return follower(vertx, new AtomicReference<>());
  }

  /** As above, the shared map kept in {@code map}: its operations are counted. */
  private static Future<Follower> follower(Vertx vertx, AtomicReference<ControlledMap> map) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    ScriptedDaemon daemon = ScriptedDaemon.on(vertx, time);
    SharedMaps maps = (Vertx v, String name) -> SharedMaps.VERTX.get(v, name)
        .map((AsyncMap<String, Object> real) -> {
          map.set(new ControlledMap(real));
          return map.get();
        });
    return SharedState.create(maps, vertx, time, "tip-follower-" + System.nanoTime(), "a",
            30_000)
        .map((SharedState shared) -> new Follower(time, context, daemon, shared,
            new TipFollower(daemon, shared, TIMEOUT_MS, time)));
  }

  private static DaemonRpcException rpcError(int code) {
    return DaemonRpcException.of(new JsonObject().put("code", code).put("message", "no"));
  }

  @Test
  void eachCallHasTheTimeoutFromWhenItIsMadeOnTheServicesTime(Vertx vertx,
                                                             VertxTestContext ctx) {
    List<Future<Void>> polled = new ArrayList<>();
    follower(vertx).compose((Follower f) -> on(f.context(), () -> {
      polled.add(f.follower().poll("poll"));
      assertThat(f.daemon().methods()).containsExactly("getbestblockhash");
      f.dueIn(0, TIMEOUT_MS);
    }).compose((Void v) -> f.time().advance(300)).compose((Void v) -> on(f.context(), () -> {
      f.daemon().call(0).answer().complete(HASH);
      assertThat(f.daemon().methods()).containsExactly("getbestblockhash", "getblockheader");
      assertThat(f.daemon().call(1).argument()).isEqualTo(HASH);
      f.dueIn(1, TIMEOUT_MS);
    })).compose((Void v) -> f.time().advance(TIMEOUT_MS - 1)).compose((Void v) ->
        on(f.context(), () -> {
          assertThat(f.daemon().call(1).deadline().passed()).isFalse();
          assertThat(f.daemon().call(1).deadline().remainingMs()).isEqualTo(1);
        })).compose((Void v) -> f.time().advance(1)).compose((Void v) -> on(f.context(), () -> {
          assertThat(f.daemon().call(1).deadline().passed()).as("at its timeout").isTrue();
          assertThat(polled.get(0).isComplete()).as("the daemon's answer ends the call")
              .isFalse();
        }))).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDaemonWithoutGetblockheaderTurnsTheFollowerOff(Vertx vertx, VertxTestContext ctx) {
    List<Future<Void>> seen = new ArrayList<>();
    follower(vertx).compose((Follower f) -> on(f.context(), () -> {
      seen.add(f.follower().sawHash(HASH, "zmq"));
      f.dueIn(0, TIMEOUT_MS);
      f.daemon().call(0).answer().fail(rpcError(JsonRpc.METHOD_NOT_FOUND));
      assertThat(seen.get(0).succeeded()).isTrue();
      assertThat(f.follower().isOff()).isTrue();
      seen.add(f.follower().poll("poll"));
      seen.add(f.follower().sawHash(PARENT, "zmq"));
      seen.add(f.follower().saw(new Tip(5, PARENT), null, "long-poll"));
      assertThat(seen).allMatch(Future::succeeded);
      assertThat(f.daemon().calls()).as("off: nothing more asked").hasSize(1);
      assertThat(f.shared().lastPublishedTip()).isNull();
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anotherFailureOfTheHeaderFailsTheObservationAndLeavesItOn(Vertx vertx,
                                                                VertxTestContext ctx) {
    List<Future<Void>> seen = new ArrayList<>();
    follower(vertx).compose((Follower f) -> on(f.context(), () -> {
      seen.add(f.follower().sawHash(HASH, "zmq"));
      f.daemon().call(0).answer().fail(rpcError(DaemonChainReader.BLOCK_NOT_FOUND));
      assertThat(seen.get(0).failed()).isTrue();
      assertThat(f.follower().isOff()).isFalse();
      seen.add(f.follower().sawHash(HASH, "zmq"));
      assertThat(f.daemon().methods()).as("still on: asked again")
          .containsExactly("getblockheader", "getblockheader");
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTipPublishedIsNoNewsTheSecondTime(Vertx vertx, VertxTestContext ctx) {
    List<Future<Void>> seen = new ArrayList<>();
    AtomicReference<ControlledMap> map = new AtomicReference<>();
    int[] operations = new int[1];
    follower(vertx, map).compose((Follower f) -> on(f.context(), () -> {
      seen.add(f.follower().sawHash(HASH, "zmq"));
      f.daemon().call(0).answer().complete(new BlockHeader(5, HASH, PARENT, 1));
    }).compose((Void v) -> seen.get(0)).compose((Void v) -> on(f.context(), () -> {
      assertThat(f.shared().lastPublishedTip()).isEqualTo(new Tip(5, HASH));
      operations[0] = map.get().operations();
      seen.add(f.follower().sawHash(HASH, "zmq"));
      seen.add(f.follower().saw(new Tip(5, HASH), PARENT, "long-poll"));
      assertThat(seen.get(1).succeeded()).isTrue();
      assertThat(seen.get(2).succeeded()).isTrue();
      assertThat(f.daemon().calls()).as("the same tip again asks nothing").hasSize(1);
      assertThat(map.get().operations()).as("nor the shared map").isEqualTo(operations[0]);
      assertThat(f.shared().tipPublications()).isEqualTo(1);
      seen.add(f.follower().poll("poll"));
      f.daemon().call(1).answer().complete(HASH);
      assertThat(seen.get(3).succeeded()).isTrue();
      assertThat(f.daemon().methods()).as("polled: the same best block, no header asked")
          .containsExactly("getblockheader", "getbestblockhash");
    }))).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void resumingMakesWhatTheLastLeaderLeftWithoutAskingTheDaemon(Vertx vertx,
                                                                VertxTestContext ctx) {
    follower(vertx).compose((Follower f) -> f.follower().resume().map((Void v) -> {
      ctx.verify(() -> assertThat(f.daemon().calls()).isEmpty());
      return v;
    })).onComplete(ctx.succeedingThenComplete());
  }
}
