package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.codec.HexBulk;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.daemonverticle.testing.LoopCpuProbe;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The work queue: at most maxWorkqueue requests in flight, a bounded line, 429 past it. */
@ExtendWith(VertxExtension.class)
class ConcurrencyTest {

  private static final int TIP = 40;

  @Test
  void fullLineIsAnswered429AndNothingIsSent(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", 1).put("maxQueued", 1))
        .compose((Service s) -> {
      s.fake.failNext(Fault.DELAY(300));
      Future<Object> inFlight = s.ask(Actions.MEMPOOL_HASHES, null);
      Future<Object> queued = s.ask(Actions.MEMPOOL_HASHES, null);
      Future<DaemonException> refused = s.failure(Actions.MEMPOOL_HASHES, null);
      return refused.compose((DaemonException e) -> {
        assertThat(e.code()).isEqualTo(429);
        assertThat(e.getMessage()).contains("nothing was sent");
        return Future.all(inFlight, queued);
      }).map((CompositeFuture all) -> {
        assertThat(s.fake.calls()).as("the refused request was never sent").hasSize(2);
        assertThat(s.fake.maxConcurrent()).isEqualTo(1);
        return all;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void workQueueBoundHoldsUnder100ConcurrentRequests(Vertx vertx, VertxTestContext ctx) {
    int bound = 4;
    // What is asserted is the bound, not the speed: deadlines a loaded machine cannot reach
    // (no attempt times out, so each request makes exactly one call).
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", bound)
            .put("requestTimeoutMs", 60_000).put("attemptTimeoutMs", 30_000))
        .compose((Service s) -> {
      s.fake.setLatency(20);
      List<Future<Integer>> heights = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        heights.add(s.client.height());
      }
      return Future.all(heights).compose((CompositeFuture all) -> {
        assertThat(all.<Integer>list()).hasSize(100).containsOnly(TIP);
        assertThat(s.fake.calls()).hasSize(100);
        assertThat(s.fake.maxConcurrent()).isBetween(1, bound);
        return s.client.status();
      }).map((JsonObject status) -> {
        JsonObject counters = status.getJsonObject("counters");
        assertThat(counters.getInteger("maxInFlightSeen")).isBetween(1, bound);
        assertThat(status.getInteger("inFlight")).isZero();
        assertThat(status.getInteger("queued")).isZero();
        return status;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void boundHoldsWhileRetrying(Vertx vertx, VertxTestContext ctx) {
    // Retries take a slot like first attempts: transient faults never let more through. The
    // circuit is kept closed so that the retries really go out concurrently.
    int bound = 2;
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", bound)
        .put("breakerMaxFailures", 1000))
        .compose((Service s) -> {
      s.fake.setLatency(10);
      for (int i = 0; i < 10; i++) {
        s.fake.failNext(Fault.WORK_QUEUE_EXCEEDED, Fault.DROP_CONNECTION);
      }
      List<Future<Integer>> heights = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        heights.add(s.client.height());
      }
      return Future.all(heights).map((CompositeFuture all) -> {
        assertThat(all.<Integer>list()).containsOnly(TIP);
        assertThat(s.fake.maxConcurrent()).isBetween(1, bound);
        return all;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void queuedRequestLeavesTheLineAt503WhenItsDeadlinePasses(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP, (JsonObject c) -> c.put("maxWorkqueue", 1)).compose((Service s) -> {
      s.fake.failNext(Fault.DELAY(800));
      Future<Object> slow = s.ask(Actions.MEMPOOL_HASHES, null);
      return s.failure(Actions.MEMPOOL_HASHES, null, "200").compose((DaemonException e) -> {
        assertThat(e.code()).isEqualTo(503);
        assertThat(e.getMessage()).contains("deadline");
        return slow;
      }).map((Object v) -> {
        assertThat(s.fake.calls()).hasSize(1);
        return v;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void largeBlocksDoNotBlockTheEventLoop(Vertx fakeVertx, VertxTestContext ctx) {
    // The service runs on a Vert.x of its own whose loops a probe watches, in CPU time (a
    // loaded machine's waiting for a core is not blocking); the fake runs on another, so that
    // its own encoding of the big reply is not counted.
    Vertx strict = Vertx.vertx();
    LoopCpuProbe[] probe = new LoopCpuProbe[1];
    Service[] service = new Service[1];
    int blockBytes = 2_000_000;
    String bigHex = "ab".repeat(blockBytes);
    // The same block four times, asked for by its hash (the service checks it).
    String bigHash = FakeChain.hashOf(java.util.HexFormat.of().parseHex(bigHex, 0, 160));
    JsonArray hashes = new JsonArray();
    for (int h = 0; h < 4; h++) {
      hashes.add(bigHash);
    }
    FakeDaemon.bitcoinLike(fakeVertx, 10).compose((FakeDaemon fake) -> {
      fake.handle("getblock", (JsonArray p) -> bigHex);
      return Service.deploy(strict, fake, (JsonObject c) -> c.put("requestTimeoutMs", 20_000)
          .put("attemptTimeoutMs", 20_000));
    }).compose((Service s) -> {
      service[0] = s;
      // Only the second request is measured: deployment loads classes and the coin table
      // once, and the first request runs the decoder before the JIT has compiled it (on a
      // loaded machine its compiler threads wait for a core, and the interpreter's time is
      // the loop thread's CPU time).
      return s.ask(Actions.RAW_BLOCKS, new JsonObject().put("hashes", hashes));
    }).compose((Object warmUp) -> {
      try {
        probe[0] = new LoopCpuProbe(strict);
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
      return service[0].ask(Actions.RAW_BLOCKS, new JsonObject().put("hashes", hashes));
    })
        .map((Object body) -> {
          Buffer framed = (Buffer) body;
          assertThat(framed.length()).isEqualTo(4 * (4 + blockBytes));
          assertThat(framed.getInt(0)).isEqualTo(blockBytes);
          assertThat(framed.getByte(4)).isEqualTo((byte) 0xab);
          assertThat(probe[0].worstNanos()).as("CPU time of the longest event-loop task, ns")
              .isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
          return body;
        })
        .compose((Object body) -> service[0].ask(Actions.STATUS, new JsonObject()))
        .map((Object status) -> {
          // Proven by the counter, not only by the absence of a warning: with the scalar
          // decoder the blocks' bytes went to a worker thread; with the vector one each chunk
          // was decoded on the loop as it came, and the framing (per block) stayed there.
          long offloaded = ((JsonObject) status).getJsonObject("counters").getLong("offloaded");
          if (HexBulk.VECTORS) {
            assertThat(offloaded).isZero();
          } else {
            assertThat(offloaded).isPositive();
          }
          return status;
        })
        .andThen((AsyncResult<Object> ar) -> {
          if (probe[0] != null) {
            try {
              probe[0].close();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        })
        .eventually(strict::close)
        .onComplete(ctx.succeedingThenComplete());
  }
}
