package io.daemonverticle.impl.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.metrics.RequestMeter;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.testing.VirtualTime;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dispatcher on its own, with actions that are plain lambdas: each request answered
 * exactly once, with the action's result or its failure code, 404 naming what is missing,
 * 400 for a timeout-ms header that is not 1 to 600000 ASCII digits, 503 for a bug of an
 * action, and 503 "stopping" for what is still open when the verticle stops.
 */
@ExtendWith(VertxExtension.class)
class RequestDispatcherTest {

  private static final String ADDRESS = "dispatcher.test";
  private static final long DEFAULT_TIMEOUT_MS = 7_000;

  private final Map<String, Action> actions = new HashMap<>();
  private final AtomicLong remainingSeen = new AtomicLong(-1);
  private final Promise<Object> held = Promise.promise();
  private RequestDispatcher dispatcher;
  /** The dispatcher's deadlines and safety net. */
  private VirtualTime time;

  @BeforeEach
  void serve(Vertx vertx) {
    time = new VirtualTime(vertx.getOrCreateContext());
    actions.put(Actions.HEIGHT, (Params p, Deadline d) -> {
      remainingSeen.set(d.remainingMs());
      return Future.succeededFuture(42);
    });
    actions.put(Actions.RELAY_FEE, (Params p, Deadline d) -> Future.failedFuture(
        DaemonException.badRequest("the action's own 400")));
    actions.put(Actions.NETWORK_INFO, (Params p, Deadline d) -> {
      throw new IllegalStateException("a bug, thrown");
    });
    actions.put(Actions.MEMPOOL_INFO, (Params p, Deadline d) -> Future.failedFuture(
        new IllegalStateException("a bug, as a failed future")));
    actions.put(Actions.INDEX_INFO, (Params p, Deadline d) -> held.future());
    dispatcher = new RequestDispatcher(vertx, time, actions, "testkind", DEFAULT_TIMEOUT_MS,
        RequestListener.NONE);
    vertx.eventBus().consumer(ADDRESS, dispatcher::handle);
  }

  private static Future<Object> ask(Vertx vertx, String action, String timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(20_000);
    if (action != null) {
      options.addHeader(Actions.HEADER, action);
    }
    if (timeoutMs != null) {
      options.addHeader(Actions.TIMEOUT_HEADER, timeoutMs);
    }
    return vertx.eventBus().request(ADDRESS, new JsonObject(), options)
        .map((Message<Object> m) -> m.body());
  }

  private static void assertFailure(Throwable e, int code, String text) {
    assertThat(e).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) e).failureCode()).isEqualTo(code);
    assertThat(e.getMessage()).contains(text);
  }

  @Test
  void anActionsResultIsTheReplyAndTheDefaultDeadlineApplies(Vertx vertx,
                                                             VertxTestContext ctx) {
    ask(vertx, Actions.HEIGHT, null).onComplete(ctx.succeeding((Object body) -> ctx.verify(() -> {
      assertThat(body).isEqualTo(42);
      assertThat(remainingSeen.get()).isBetween(DEFAULT_TIMEOUT_MS - 1_000, DEFAULT_TIMEOUT_MS);
      assertThat(dispatcher.answered()).isEqualTo(1);
      assertThat(dispatcher.failed()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void theTimeoutHeaderSetsTheDeadlineUpToTenMinutes(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, Actions.HEIGHT, " 600000 ")
        .onComplete(ctx.succeeding((Object body) -> ctx.verify(() -> {
      assertThat(remainingSeen.get()).isEqualTo(600_000L);
      ctx.completeNow();
    })));
  }

  @Test
  void aTimeoutHeaderOutOfRangeOrNotAsciiDigitsIs400AndTheActionNeverRuns(Vertx vertx,
                                                                          VertxTestContext ctx) {
    List<String> bad = List.of("0", "600001", "-5", "+5", "5ms", "", "٣", "99999999999999999999");
    Future<?> all = Future.succeededFuture();
    for (String header : bad) {
      all = all.compose(v -> ask(vertx, Actions.HEIGHT, header)
          .transform((AsyncResult<Object> ar) -> {
        ctx.verify(() -> {
          assertThat(ar.failed()).as("header '%s'", header).isTrue();
          assertFailure(ar.cause(), DaemonException.BAD_REQUEST, "timeout-ms header must be");
        });
        return Future.succeededFuture();
      }));
    }
    all.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(remainingSeen.get()).as("the action never ran").isEqualTo(-1);
      assertThat(dispatcher.failed()).isEqualTo(bad.size());
      ctx.completeNow();
    })));
  }

  @Test
  void missingUnknownAndUnservedActionsAre404SayingWhich(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, null, null).transform((AsyncResult<Object> ar) -> {
      ctx.verify(() -> assertFailure(ar.cause(), DaemonException.NOT_FOUND,
          "no action header"));
      return ask(vertx, "heigth", null);
    }).transform((AsyncResult<Object> ar) -> {
      ctx.verify(() -> assertFailure(ar.cause(), DaemonException.NOT_FOUND,
          "unknown action: heigth"));
      return ask(vertx, Actions.MASTERNODE_LIST, null);
    }).onComplete((AsyncResult<Object> ar) -> ctx.verify(() -> {
      assertFailure(ar.cause(), DaemonException.NOT_FOUND,
          "action masternodeList is not served by daemon kind testkind");
      ctx.completeNow();
    }));
  }

  @Test
  void anActionsOwnFailureKeepsItsCode(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, Actions.RELAY_FEE, null).onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertFailure(e, DaemonException.BAD_REQUEST, "the action's own 400");
      ctx.completeNow();
    })));
  }

  @Test
  void aBugInAnActionThrownOrFailedIs503InternalError(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, Actions.NETWORK_INFO, null).transform((AsyncResult<Object> ar) -> {
      ctx.verify(() -> assertFailure(ar.cause(), DaemonException.UNAVAILABLE,
          "internal error in action networkInfo"));
      return ask(vertx, Actions.MEMPOOL_INFO, null);
    }).onComplete((AsyncResult<Object> ar) -> ctx.verify(() -> {
      assertFailure(ar.cause(), DaemonException.UNAVAILABLE,
          "internal error in action mempoolInfo");
      assertThat(ar.cause().getMessage()).doesNotContain("a bug");
      ctx.completeNow();
    }));
  }

  @Test
  void stopAnswersWhatIsOpenOnceAndALateResultIsDropped(Vertx vertx, VertxTestContext ctx) {
    Future<Object> open = ask(vertx, Actions.INDEX_INFO, null);
    // Taken (its safety net is set): stopped, then the action answers in the same task, so
    // the late result has been dropped or sent by the time the requester hears anything.
    time.once(() -> time.pending() == 1).onSuccess((Void taken) -> {
      dispatcher.stop();
      held.complete("late");
    });
    open.onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
      assertFailure(e, DaemonException.UNAVAILABLE, "stopping");
      assertThat(dispatcher.failed()).isEqualTo(1);
      assertThat(dispatcher.answered()).isZero();
      assertThat(time.pending()).as("the safety net went with the answer").isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void theSafetyNetAnswers503ExactlyItsMarginAfterTheDeadline(Vertx vertx,
                                                             VertxTestContext ctx) {
    Future<Object> open = ask(vertx, Actions.INDEX_INFO, "1000");
    time.once(() -> time.pending() == 1)
        .compose((Void taken) -> time.advance(1_000 + RequestDispatcher.SAFETY_MARGIN_MS - 1))
        .compose((Void justBefore) -> {
          // The timer's handler would have counted the answer before advance completed.
          ctx.verify(() -> assertThat(dispatcher.failed()).as("not before the margin").isZero());
          return time.advance(1);
        })
        .compose((Void atTheMargin) -> open.transform((AsyncResult<Object> ar) ->
            Future.succeededFuture(ar.cause())))
        .onComplete(ctx.succeeding((Throwable e) -> ctx.verify(() -> {
          assertFailure(e, DaemonException.UNAVAILABLE, "no answer from the daemon");
          assertThat(dispatcher.failed()).isEqualTo(1);
          assertThat(time.delaysSet()).containsExactly(3_000L);
          ctx.completeNow();
        })));
  }

  @Test
  void whenIdleWaitsForThePendingRequestOnly(Vertx vertx, VertxTestContext ctx) {
    assertThat(dispatcher.whenIdle().succeeded()).as("nothing pending: idle at once").isTrue();
    Future<Object> pending = ask(vertx, Actions.INDEX_INFO, null);
    time.once(() -> time.pending() == 1).onSuccess((Void taken) -> {
      Future<Void> idle = dispatcher.whenIdle();
      ask(vertx, Actions.HEIGHT, null).onComplete(ctx.succeeding((Object v) -> ctx.verify(() -> {
        assertThat(idle.isComplete()).as("a request answered at once does not end the wait "
            + "for the one still pending").isFalse();
        held.complete("answered");
        Future.all(idle, pending)
            .onComplete(ctx.succeeding((CompositeFuture done) -> ctx.verify(() -> {
          assertThat(pending.result()).isEqualTo("answered");
          ctx.completeNow();
        })));
      })));
    });
  }

  @Test
  void aBufferReplyToARequesterOfThisVertxIsHandedOverNotCopied(Vertx vertx,
                                                                VertxTestContext ctx) {
    Buffer block = Buffer.buffer("a block's framed bytes");
    actions.put(Actions.RAW_BLOCKS, (Params p, Deadline d) -> Future.succeededFuture(block));
    ask(vertx, Actions.RAW_BLOCKS, null)
        .onComplete(ctx.succeeding((Object body) -> ctx.verify(() -> {
      // Vert.x's own Buffer codec would deliver a copy.
      assertThat(body).isSameAs(block);
      assertThat(dispatcher.answered()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void everyAnswerIsTimedByActionAndOutcome(Vertx vertx, VertxTestContext ctx) {
    Buffer block = Buffer.buffer("0123456789");
    actions.put(Actions.RAW_BLOCKS, (Params p, Deadline d) -> Future.succeededFuture(block));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String address = ADDRESS + ".metered";
    RequestDispatcher metered = new RequestDispatcher(vertx, actions, "testkind",
        DEFAULT_TIMEOUT_MS, new RequestMeter(registry, address));
    vertx.eventBus().consumer(address, metered::handle);
    Function<String, Future<Object>> ask = (String action) -> vertx.eventBus()
        .request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(20_000)
            .addHeader(Actions.HEADER, action))
        .map((Message<Object> m) -> m.body()).otherwise((Throwable e) -> ((ReplyException) e)
            .failureCode());
    ask.apply(Actions.HEIGHT)
        .compose((Object v) -> ask.apply(Actions.RAW_BLOCKS))
        .compose((Object v) -> ask.apply(Actions.RELAY_FEE))
        .compose((Object v) -> ask.apply("heigth"))
        .compose((Object v) -> ask.apply(Actions.HEIGHT))
        .onComplete(ctx.succeeding((Object v) -> ctx.verify(() -> {
          assertThat(timed(registry, Actions.HEIGHT, "ok")).isEqualTo(2);
          assertThat(timed(registry, Actions.RAW_BLOCKS, "ok")).isEqualTo(1);
          assertThat(timed(registry, Actions.RELAY_FEE, "400")).isEqualTo(1);
          assertThat(timed(registry, "unknown", "404")).isEqualTo(1);
          assertThat(registry.find("daemon.requests").timers()).hasSize(4);
          assertThat(registry.get("daemon.blocks.served").counter().count()).isEqualTo(10.0);
          assertThat(metered.answered()).isEqualTo(3);
          assertThat(metered.failed()).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  private static long timed(SimpleMeterRegistry registry, String action, String outcome) {
    Timer timer = registry.find("daemon.requests").tag("action", action)
        .tag("outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void aTimeoutHeaderOfAnyAsciiDigitsInRangeIsTheDeadline(Vertx vertx, VertxTestContext ctx) {
    ask(vertx, Actions.HEIGHT, "9").transform((AsyncResult<Object> ar) -> {
      ctx.verify(() -> {
        assertThat(ar.succeeded()).as("header '9'").isTrue();
        assertThat(remainingSeen.get()).isBetween(0L, 9L);
      });
      return ask(vertx, Actions.HEIGHT, "1");
    }).transform((AsyncResult<Object> ar) -> {
      ctx.verify(() -> {
        assertThat(ar.succeeded()).as("header '1'").isTrue();
        assertThat(remainingSeen.get()).isBetween(0L, 1L);
      });
      return ask(vertx, Actions.HEIGHT, "0");
    }).onComplete((AsyncResult<Object> ar) -> ctx.verify(() -> {
      assertFailure(ar.cause(), DaemonException.BAD_REQUEST,
          "timeout-ms header must be between 1 and 600000");
      assertThat(dispatcher.answered()).isEqualTo(2);
      ctx.completeNow();
    }));
  }

  @Test
  void aRequestWithoutAnActionHeaderIs404WhateverMapHoldsTheActions(Vertx vertx,
                                                                   VertxTestContext ctx) {
    // An immutable map throws on a null key: the missing header must not be looked up.
    String address = ADDRESS + ".immutable";
    RequestDispatcher strict = new RequestDispatcher(vertx, Map.copyOf(actions), "testkind",
        DEFAULT_TIMEOUT_MS);
    vertx.eventBus().consumer(address, strict::handle);
    vertx.eventBus().request(address, new JsonObject(), new DeliveryOptions()
            .setSendTimeout(5_000))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertFailure(e, DaemonException.NOT_FOUND, "no action header");
          assertThat(strict.failed()).isEqualTo(1);
          ctx.completeNow();
        })));
  }
}
