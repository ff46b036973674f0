package io.daemonverticle.impl.service;

import static io.daemonverticle.testing.VirtualTime.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.cluster.Tip;
import io.daemonverticle.impl.cluster.TipEvent;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.jsonrpc.RpcCall;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tip's long-poll in virtual time ({@link VirtualTime}): the doubling backoff between
 * failed calls to its cap and back to its start after an answer, the wait halved after the
 * daemon cut a call (and only then), the backoff ended by a stop, and the long-poll off for
 * good on a daemon without the call. Every call's time and wait asserted exactly.
 */
@ExtendWith(VertxExtension.class)
class LongPollTest {

  private static final DaemonUrl URL = DaemonUrl.parse("http://u:p@127.0.0.1:1", 8332, false);
  private static final long MARGIN_MS = 5_000;
  private static final String HASH = "00".repeat(31) + "2a";

  /** One call sent: when (virtual ms), the wait it asked the daemon for, its HTTP bound. */
  private record Sent(long atMs, long waitMs, long timeoutMs) {
  }

  /** A daemon whose every answer to {@code waitfornewblock} the test decides. */
  private static final class Daemon implements LongPoll.Call {
    final VirtualTime time;
    final List<Sent> sent = new ArrayList<>();
    final Function<Integer, Future<Object>> answers;

    Daemon(VirtualTime time, Function<Integer, Future<Object>> answers) {
      this.time = time;
      this.answers = answers;
    }

    @Override
    public Future<Object> call(DaemonUrl url, RpcCall call, long timeoutMs,
                               Future<Void> cancel) {
      assertThat(call.method()).isEqualTo("waitfornewblock");
      sent.add(new Sent(time.nowMs(), call.params().getLong(0), timeoutMs));
      return answers.apply(sent.size() - 1);
    }

    List<Long> times() {
      return sent.stream().map(Sent::atMs).toList();
    }

    List<Long> waits() {
      return sent.stream().map(Sent::waitMs).toList();
    }

    /** Fails {@code afterMs} of virtual time later, as a connection cut then would. */
    Future<Object> failAfter(long afterMs) {
      Promise<Object> answer = Promise.promise();
      time.setTimer(afterMs, (Long id) -> answer.fail(cut()));
      return answer.future();
    }
  }

  /** What the long-poll told the follower: the tips it saw, the polls it asked for. */
  private static final class Sink implements TipSink {
    final List<Tip> saw = new ArrayList<>();
    int polls;

    @Override
    public Future<Void> poll(String source) {
      assertThat(source).isEqualTo(TipEvent.LONG_POLL);
      polls++;
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> saw(Tip tip, String parent, String source) {
      saw.add(tip);
      return Future.succeededFuture();
    }
  }

  private static TransientFailure cut() {
    return new TransientFailure(TransientFailure.Kind.DISCONNECTED, "connection reset");
  }

  private static Future<Object> hangs() {
    return Promise.promise().future();
  }

  @Test
  void failedCallsBackOffDoublingToTheCapAndAnAnswerStartsTheBackoffAgain(Vertx vertx,
                                                                          VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    Daemon daemon = new Daemon(time, (Integer n) -> n < 4 ? Future.failedFuture(cut())
        : n == 4 ? Future.succeededFuture(new JsonObject().put("hash", HASH).put("height", 42))
        : n == 5 ? Future.failedFuture(cut()) : hangs());
    Sink sink = new Sink();
    LongPoll poll = new LongPoll(time, daemon, () -> URL, sink, new LongPoll.Backoff(100, 300),
        MARGIN_MS);
    on(context, poll::start)
        .compose((Void v) -> time.advance(999))
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(daemon.times()).as("the fifth call is due at 900 ms, "
              + "the sixth at once after its answer, the seventh 100 ms after that one failed")
              .containsExactly(0L, 100L, 300L, 600L, 900L, 900L));
          return time.advance(1);
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(daemon.times()).containsExactly(0L, 100L, 300L, 600L, 900L, 900L, 1_000L);
          assertThat(time.delaysSet()).as("100, 200, then the cap of 300; 100 after an answer")
              .containsExactly(100L, 200L, 300L, 300L, 100L);
          assertThat(daemon.waits()).as("an immediate failure is no cut: the wait stays")
              .containsOnly(LongPoll.WAIT_MS);
          assertThat(daemon.sent).extracting(Sent::timeoutMs)
              .containsOnly(LongPoll.WAIT_MS + MARGIN_MS);
          assertThat(sink.saw).containsExactly(new Tip(42, HASH));
          on(context, poll::stop);
          ctx.completeNow();
        })));
  }

  @Test
  void aCallTheDaemonCutHalvesTheWaitDownToTheFloor(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    // Ends after 20 s (its whole wait: no cut), then cut after 4 s (of 20), 1.5 s (of 2),
    // 0.5 s (of 1, under the floor); then it waits.
    long[] cuts = {20_000, 4_000, 1_500, 500};
    Daemon[] daemon = new Daemon[1];
    daemon[0] = new Daemon(time, (Integer n) -> n < cuts.length ? daemon[0].failAfter(cuts[n])
        : hangs());
    LongPoll poll = new LongPoll(time, daemon[0], () -> URL, new Sink(),
        new LongPoll.Backoff(100, 100), MARGIN_MS);
    on(context, poll::start)
        .compose((Void v) -> time.advance(20_000 + 100 + 4_000 + 100 + 1_500 + 100 + 500 + 100))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(daemon[0].times())
              .containsExactly(0L, 20_100L, 24_200L, 25_800L, 26_400L);
          assertThat(daemon[0].waits()).as("halved twice, to the floor; a call that waited "
              + "its whole wait, or less than the floor, changes nothing")
              .containsExactly(LongPoll.WAIT_MS, LongPoll.WAIT_MS, 2_000L,
                  LongPoll.MIN_WAIT_MS, LongPoll.MIN_WAIT_MS);
          assertThat(daemon[0].sent).extracting(Sent::timeoutMs).containsExactly(
              LongPoll.WAIT_MS + MARGIN_MS, LongPoll.WAIT_MS + MARGIN_MS, 2_000L + MARGIN_MS,
              1_000L + MARGIN_MS, 1_000L + MARGIN_MS);
          on(context, poll::stop);
          ctx.completeNow();
        })));
  }

  @Test
  void aStopEndsTheBackoffAndADaemonWithoutTheCallIsAskedOnce(Vertx vertx,
                                                              VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    VirtualTime time = new VirtualTime(context);
    Daemon failing = new Daemon(time, (Integer n) -> Future.failedFuture(cut()));
    LongPoll stopped = new LongPoll(time, failing, () -> URL, new Sink(),
        new LongPoll.Backoff(100, 100), MARGIN_MS);
    Daemon lacking = new Daemon(time, (Integer n) -> Future.failedFuture(DaemonRpcException.of(
        new JsonObject().put("code", JsonRpc.METHOD_NOT_FOUND).put("message", "not found"))));
    LongPoll off = new LongPoll(time, lacking, () -> URL, new Sink(),
        new LongPoll.Backoff(100, 100), MARGIN_MS);
    on(context, () -> {
      stopped.start();
      off.start();
    })
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(time.pending()).as("the failed call's backoff only").isEqualTo(1);
            assertThat(off.isOff()).isTrue();
          });
          return on(context, stopped::stop);
        })
        .compose((Void v) -> {
          ctx.verify(() -> assertThat(time.pending()).as("cancelled by the stop").isZero());
          return time.advance(10_000);
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(failing.times()).containsExactly(0L);
          assertThat(lacking.times()).as("asked once, then off for good").containsExactly(0L);
          on(context, off::start);
          assertThat(lacking.times()).containsExactly(0L);
          ctx.completeNow();
        })));
  }
}
