package io.daemonverticle.impl.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.daemonverticle.DaemonException;
import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's answers seen on the request itself, with no event bus in between: a
 * request whose action has ended has been answered, exactly once, at that moment, so a missing
 * answer shows at once instead of as a wait that never ends ({@code RequestDispatcherTest}
 * checks the same through the event bus). Also its safety-net timer, which must be cancelled
 * whatever its id: Vert.x 5 numbers timers from 0.
 */
class RequestDispatcherRepliesTest {

  private final Map<String, Action> actions = new HashMap<>();
  private final List<String> heard = new ArrayList<>();
  private final List<Long> deadlines = new ArrayList<>();
  private final Promise<Object> held = Promise.promise();
  /** Shared: starting a Vert.x per test would make these the slowest tests of the class. */
  private static Vertx shared;
  private Vertx vertx;
  private RequestDispatcher dispatcher;

  @BeforeAll
  static void start() {
    shared = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    shared.close().await();
  }

  @BeforeEach
  void setUp() {
    serve(shared);
  }

  private void serve(Vertx on) {
    vertx = on;
    actions.put(Actions.HEIGHT, (Params p, Deadline d) -> {
      deadlines.add(d.remainingMs());
      return Future.succeededFuture(42);
    });
    actions.put(Actions.RAW_BLOCKS, (Params p, Deadline d) ->
        Future.succeededFuture(Buffer.buffer("block")));
    actions.put(Actions.RELAY_FEE, (Params p, Deadline d) -> Future.failedFuture(
        DaemonException.badRequest("the action's own 400")));
    actions.put(Actions.NETWORK_INFO, (Params p, Deadline d) -> {
      throw new IllegalStateException("a bug, thrown");
    });
    actions.put(Actions.MEMPOOL_INFO, (Params p, Deadline d) -> {
      throw DaemonException.badRequest("thrown 400");
    });
    actions.put(Actions.ESTIMATE_FEE, (Params p, Deadline d) -> Future.failedFuture(
        new IllegalStateException("a bug, as a failed future")));
    actions.put(Actions.INDEX_INFO, (Params p, Deadline d) -> held.future());
    dispatcher = new RequestDispatcher(vertx, actions, "testkind", 60_000,
        (ActionSpec spec, int code, long startedNanos, Object reply) -> heard.add(
            (spec == null ? "unknown" : spec.name()) + " " + code + " " + reply));
  }

  @Test
  void aResultIsAnsweredOnceWhenTheActionEnds() {
    Request height = handle(Actions.HEIGHT, null);
    assertThat(height.replies).containsExactly("42");
    assertThat(height.codecs).containsExactly((String) null);
    Request raw = handle(Actions.RAW_BLOCKS, "100");
    assertThat(raw.replies).containsExactly("block");
    // Bytes go in the codec that hands them over without a copy.
    assertThat(raw.codecs).containsExactly(ReplyBufferCodec.NAME);
    assertThat(dispatcher.answered()).isEqualTo(2);
    assertThat(dispatcher.failed()).isZero();
    assertThat(heard).containsExactly("height 0 42", "rawBlocks 0 block");
  }

  @Test
  void everyFailureIsAnsweredOnceWithItsCode() {
    assertThat(handle(null, null).replies).containsExactly("failed 404: no action header: say "
        + "which action in the \"" + Actions.HEADER + "\" header");
    assertThat(handle("nosuch", null).replies).containsExactly("failed 404: unknown action: "
        + "nosuch");
    assertThat(handle(Actions.MASTERNODE_BROADCAST, null).replies).containsExactly("failed 404: action "
        + Actions.MASTERNODE_BROADCAST + " is not served by daemon kind testkind");
    assertThat(handle(Actions.RELAY_FEE, null).replies)
        .containsExactly("failed 400: the action's own 400");
    assertThat(handle(Actions.MEMPOOL_INFO, null).replies).containsExactly("failed 400: thrown "
        + "400");
    assertThat(handle(Actions.NETWORK_INFO, null).replies).containsExactly("failed 503: "
        + "internal error in action " + Actions.NETWORK_INFO);
    assertThat(handle(Actions.ESTIMATE_FEE, null).replies).containsExactly("failed 503: "
        + "internal error in action " + Actions.ESTIMATE_FEE);
    assertThat(handle(Actions.HEIGHT, "0").replies).hasSize(1).allMatch(r -> r.startsWith(
        "failed 400: timeout-ms header must be between 1 and"));
    assertThat(handle(Actions.HEIGHT, "x").replies).containsExactly("failed 400: timeout-ms "
        + "header must be a whole number of milliseconds");
    assertThat(dispatcher.failed()).isEqualTo(9);
    assertThat(dispatcher.answered()).isZero();
    // A declared action this kind does not serve is measured as a made-up name is.
    assertThat(heard).startsWith("unknown 404 null", "unknown 404 null", "unknown 404 null",
        "relayFee 400 null");
  }

  @Test
  void theTimeoutHeaderIsTheDeadlineFrom1To600000AsciiDigitsElseTheDefault() {
    for (String header : new String[] {"1", "600000", " 250 "}) {
      assertThat(handle(Actions.HEIGHT, header).replies).as(header).containsExactly("42");
    }
    assertThat(handle(Actions.HEIGHT, null).replies).containsExactly("42");
    assertThat(deadlines).hasSize(4);
    assertThat(deadlines.get(0)).isBetween(0L, 1L);
    assertThat(deadlines.get(1)).isBetween(590_000L, 600_000L);
    assertThat(deadlines.get(2)).isBetween(1L, 250L);
    assertThat(deadlines.get(3)).isBetween(50_000L, 60_000L);
    for (String header : new String[] {"9", "1999"}) {
      assertThat(handle(Actions.HEIGHT, header).replies).as(header).containsExactly("42");
    }
    for (String header : new String[] {"600001", "0", "", " ", "+5", "-5", "5x", "\u0663",
        "99999999999999999999"}) {
      assertThat(handle(Actions.HEIGHT, header).replies).as(header).hasSize(1)
          .allMatch(r -> r.startsWith("failed 400: timeout-ms header must be"));
    }
    assertThat(deadlines).as("none for a header refused").hasSize(6);
  }

  @Test
  void noActionHeaderIs404WhateverMapHoldsTheActions() {
    // Map.of refuses to look up null: the header's absence must be checked first.
    dispatcher = new RequestDispatcher(vertx, Map.of(Actions.HEIGHT, actions.get(Actions.HEIGHT)),
        "testkind", 60_000);
    assertThat(handle(null, null).replies).hasSize(1).allMatch(r -> r.startsWith("failed 404"));
  }

  @Test
  void aHeldRequestIsAnsweredWhenItsActionEndsAndOnlyThen() {
    Request request = handle(Actions.INDEX_INFO, null);
    Future<Void> idle = dispatcher.whenIdle();
    Future<Void> idleAgain = dispatcher.whenIdle();
    // The action has been called and has not ended: nothing may be answered yet.
    assertThat(request.replies).isEmpty();
    assertThat(idle.isComplete()).isFalse();
    assertThat(idleAgain.isComplete()).isFalse();
    held.complete("late");
    assertThat(request.replies).containsExactly("late");
    assertThat(idle.succeeded()).isTrue();
    assertThat(idleAgain.succeeded()).isTrue();
    // Nothing is pending: a stop answers nothing more, and idle is at once.
    dispatcher.stop();
    assertThat(request.replies).containsExactly("late");
    assertThat(dispatcher.whenIdle().succeeded()).isTrue();
  }

  @Test
  void stopAnswersWhatIsOpenOnceAndALateResultIsDropped() {
    Request request = handle(Actions.INDEX_INFO, null);
    Future<Void> idle = dispatcher.whenIdle();
    dispatcher.stop();
    assertThat(request.replies).containsExactly("failed 503: stopping: the daemon verticle is "
        + "being undeployed");
    assertThat(idle.succeeded()).isTrue();
    dispatcher.stop();
    held.complete("late");
    assertThat(request.replies).hasSize(1);
    assertThat(dispatcher.failed()).isEqualTo(1);
    assertThat(dispatcher.answered()).isZero();
  }

  @Test
  void theSafetyNetIsCancelledEvenWhenItsTimerIdIsZero() {
    // A Vert.x of its own, with no timer set before the dispatcher's first.
    Vertx fresh = Vertx.vertx();
    try {
      serve(fresh);
      Request request = handle(Actions.HEIGHT, null);
      assertThat(request.replies).containsExactly("42");
      // The dispatcher's net was this Vert.x's first timer, id 0: cancelled with the answer,
      // it is no longer there to cancel.
      assertThat(fresh.cancelTimer(0)).isFalse();
      // The control: a request still open has its net, the next timer, live.
      handle(Actions.INDEX_INFO, null);
      assertThat(fresh.cancelTimer(1)).isTrue();
      // The dispatcher registered the codecs its replies and the HTTP front's requests use.
      fresh.eventBus().publish("nobody", Buffer.buffer("x"),
          new DeliveryOptions().setCodecName(ReplyBufferCodec.NAME));
    } finally {
      fresh.close().await();
    }
  }

  @Test
  void theSafetyNetAnswers503ItsMarginAfterTheDeadlineAndSaysItIsABug() throws Exception {
    VirtualTime time = new VirtualTime(shared.getOrCreateContext());
    dispatcher = new RequestDispatcher(shared, time, actions, "testkind", 60_000,
        RequestListener.NONE);
    try (LogCapture logs = LogCapture.start()) {
      Request request = handle(Actions.INDEX_INFO, "100");
      long net = 100 + RequestDispatcher.SAFETY_MARGIN_MS;
      time.advance(net - 1).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(request.replies).as("at %d ms", net - 1).isEmpty();
      time.advance(1).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(request.replies).as("at %d ms", net)
          .containsExactly("failed 503: no answer from the daemon by the deadline");
      assertThat(logs.linesWith("safety net")).hasSize(1).allMatch(l -> l.startsWith("ERROR"));
      held.complete("late");
      assertThat(request.replies).as("the late result dropped").hasSize(1);
    }
  }

  private Request handle(String action, String timeoutMs) {
    Request request = new Request();
    if (action != null) {
      request.headers.add(Actions.HEADER, action);
    }
    if (timeoutMs != null) {
      request.headers.add(Actions.TIMEOUT_HEADER, timeoutMs);
    }
    dispatcher.handle(request);
    return request;
  }

  /** A request as the event bus hands it over, keeping what it is answered. */
  private static final class Request implements Message<Object> {
    final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    final List<String> replies = new ArrayList<>();
    final List<String> codecs = new ArrayList<>();

    @Override
    public String address() {
      return "dispatcher.test";
    }

    @Override
    public MultiMap headers() {
      return headers;
    }

    @Override
    public Object body() {
      return new JsonObject();
    }

    @Override
    public String replyAddress() {
      return "reply.test";
    }

    @Override
    public boolean isSend() {
      return true;
    }

    @Override
    public void reply(Object message, DeliveryOptions options) {
      replies.add(message instanceof ReplyException e
          ? "failed " + e.failureCode() + ": " + e.getMessage() : String.valueOf(message));
      codecs.add(options == null ? null : options.getCodecName());
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      throw new UnsupportedOperationException("the dispatcher never asks back");
    }
  }
}
