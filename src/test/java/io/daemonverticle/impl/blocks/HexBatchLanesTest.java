package io.daemonverticle.impl.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.jsonrpc.RpcCall;
import io.daemonverticle.impl.jsonrpc.RpcPayload;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.resilience.WorkQueue;
import io.daemonverticle.impl.transport.Offloader;
import io.daemonverticle.impl.transport.TransientFailure;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.daemonverticle.testing.Transports;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sub-batches of one attempt share its time, measured on the service's time source: a
 * sub-batch sent after another answered has what is left of the attempt's timeout, not a
 * timeout of its own, and a sub-batch that would go past the attempt's end is cut there.
 */
@ExtendWith(VertxExtension.class)
class HexBatchLanesTest {

  /**
   * Long beside the real time the test takes: an attempt measured on the machine's clock
   * would still have nearly all of it when the second sub-batch goes.
   */
  private static final long ATTEMPT_MS = 60_000;
  /** How long, in virtual time, the daemon takes over the first sub-batch. */
  private static final long FIRST_TAKES_MS = 40_000;

  /** A sub-batch of getblockhash for {@code heights}, its ids from {@code firstId} on. */
  private static HexBatchLanes.SubBatch hashes(long firstId, int... heights) {
    List<RpcCall> calls = new ArrayList<>();
    for (int height : heights) {
      calls.add(RpcCall.of("getblockhash", height));
    }
    return new HexBatchLanes.SubBatch(RpcPayload.batch(calls, firstId), firstId, heights.length);
  }

  @Test
  void aSubBatchSentLaterHasWhatIsLeftOfTheAttemptAndIsCutAtItsEnd(Vertx vertx,
                                                                  VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    // One slot, held by the attempt: the sub-batches go one after another on its lane.
    WorkQueue queue = new WorkQueue(time, 1, 10);
    HexBatchLanes lanes = new HexBatchLanes(Transports.plain(vertx, time, 2), queue,
        new Offloader(vertx, Integer.MAX_VALUE), time);
    List<HexBatchLanes.SubBatch> parts = List.of(hashes(1, 0), hashes(2, 1));
    List<Future<HexItem[]>> outcome = new ArrayList<>();
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      // The first sub-batch is answered; the second is read and never answered.
      fake.failNext(Fault.DELAY(0), Fault.HANG);
      fake.handle("getblockhash", (JsonArray params) -> {
        time.advance(FIRST_TAKES_MS);
        return "00".repeat(32);
      });
      return VirtualTime.on(context, () -> {
        queue.acquire(Deadline.in(60_000, time), true);
        outcome.add(lanes.exchange(parts, true, HexFinisher.perItem(Function.identity()))
            .attempt(Transports.url(fake.port()), ATTEMPT_MS, Promise.<Void>promise().future()));
        // Else the wait below for the requests of an attempt not under way would be endless.
        assertThat(outcome.get(0)).as("the attempt's future").isNotNull();
      }).compose((Void v) -> time.once(() -> fake.httpRequests() == 2))
          .compose((Void v) -> VirtualTime.on(context, () ->
              assertThat(time.nowMs()).as("the first sub-batch took its time")
                  .isEqualTo(FIRST_TAKES_MS)))
          .compose((Void v) -> time.advance(ATTEMPT_MS - FIRST_TAKES_MS - 1))
          .compose((Void v) -> VirtualTime.on(context, () ->
              assertThat(outcome.get(0).isComplete()).as("1 ms before the attempt's end")
                  .isFalse()))
          .compose((Void v) -> time.advance(1))
          .compose((Void v) -> VirtualTime.on(context, () -> {
            assertThat(outcome.get(0).failed()).as("at the attempt's end").isTrue();
            assertThat(outcome.get(0).cause()).isInstanceOfSatisfying(TransientFailure.class,
                (TransientFailure e) -> assertThat(e.kind())
                    .isEqualTo(TransientFailure.Kind.TIMEOUT));
          }))
          .eventually(fake::close);
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theFinisherGetsEveryItemInRequestOrderAndTheirBytes(VertxTestContext ctx) {
    // One worker thread: a task the finisher queues runs once the finisher's own task, which
    // hands its result to the loop, has ended.
    Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    WorkQueue queue = new WorkQueue(time, 1, 10);
    // Work on two hashes' hex (128 bytes) goes to a worker, on less stays on the loop.
    HexBatchLanes lanes = new HexBatchLanes(Transports.plain(vertx, time, 2), queue,
        new Offloader(vertx, 128), time);
    List<HexBatchLanes.SubBatch> parts = List.of(hashes(1, 0), hashes(2, 1, 2));
    List<Future<List<String>>> outcome = new ArrayList<>();
    // Nothing else bounds the answer once the finisher ran (the retry loop's attempt timer
    // would, a minute later): an answer lost on the way fails here at once. The check runs
    // on the loop after the task the finisher's result was handed to it in.
    Promise<Boolean> answeredByThen = Promise.promise();
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      // Block 2's answer is no hex: it counts for no bytes.
      fake.handle("getblockhash", (JsonArray params) -> params.getInteger(0) == 2 ? null
          : String.valueOf(params.getInteger(0)).repeat(64));
      return VirtualTime.on(context, () -> {
        queue.acquire(Deadline.in(60_000, time), true);
        outcome.add(lanes.exchange(parts, true, HexFinisher.byteWork((HexItem[] items) -> {
          List<String> seen = new ArrayList<>();
          for (HexItem item : items) {
            seen.add(item.hex() == null ? "no hex: " + item.otherResult() : item.hex().text());
          }
          seen.add(Context.isOnWorkerThread() ? "on a worker" : "on the loop");
          context.executeBlocking(() -> {
            context.runOnContext((Void v) ->
                answeredByThen.tryComplete(outcome.get(0).isComplete()));
            return null;
          }, false);
          return seen;
        })).attempt(Transports.url(fake.port()), 60_000, Promise.<Void>promise().future()));
        // An attempt that fails before its finisher ran answers the test at once.
        outcome.get(0).onFailure(answeredByThen::tryFail);
      }).compose((Void v) -> answeredByThen.future())
          .compose((Boolean answered) -> {
            assertThat(answered).as("answered when the finisher's result reached the loop")
                .isTrue();
            return outcome.get(0);
          })
          .eventually(fake::close);
    }).onComplete((AsyncResult<List<String>> done) -> vertx.close())
        .onComplete(ctx.succeeding((List<String> seen) -> ctx.verify(() -> {
      assertThat(seen).containsExactly("0".repeat(64), "1".repeat(64), "no hex: null",
          "on a worker");
      ctx.completeNow();
    })));
  }

  @Test
  void theFinishersResultAnswersTheAttemptInTheTaskThatRanIt(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    WorkQueue queue = new WorkQueue(time, 1, 10);
    // All work on the loop: from the last reply's end to the attempt's answer, one task.
    HexBatchLanes lanes = new HexBatchLanes(Transports.plain(vertx, time, 2), queue,
        new Offloader(vertx, Integer.MAX_VALUE), time);
    List<HexBatchLanes.SubBatch> parts = List.of(hashes(1, 0), hashes(2, 1));
    List<Future<Integer>> outcome = new ArrayList<>();
    // Nothing else bounds the answer once the finisher ran (the retry loop's attempt timer
    // would, a minute later): an answer lost on the way fails here at once.
    Promise<Boolean> answeredByThen = Promise.promise();
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("getblockhash", (JsonArray params) ->
          String.valueOf(params.getInteger(0)).repeat(64));
      return VirtualTime.on(context, () -> {
        queue.acquire(Deadline.in(60_000, time), true);
        outcome.add(lanes.exchange(parts, true, HexFinisher.perItem((HexItem[] items) -> {
          context.runOnContext((Void v) ->
              answeredByThen.tryComplete(outcome.get(0).isComplete()));
          return items.length;
        })).attempt(Transports.url(fake.port()), 60_000, Promise.<Void>promise().future()));
        // An attempt that fails before its finisher ran answers the test at once.
        outcome.get(0).onFailure(answeredByThen::tryFail);
      }).compose((Void v) -> answeredByThen.future()).eventually(fake::close);
    }).onComplete(ctx.succeeding((Boolean answered) -> ctx.verify(() -> {
      assertThat(answered).as("answered when the task that ran the finisher ended").isTrue();
      assertThat(outcome.get(0).result()).isEqualTo(2);
      ctx.completeNow();
    })));
  }
}
