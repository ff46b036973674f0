package io.daemonverticle.impl.bus;

import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one event-bus request: finds the action, sets the deadline, runs the action and
 * replies exactly once: with its result, with the failure code of a {@link DaemonException},
 * or with 503 should nothing have answered shortly after the deadline.
 *
 * <p>Every wait has an end, and the code that owns a wait ends it: the retry loop answers at
 * the deadline at the latest. The safety net here is the last resort, and its firing means
 * a bug: it is logged at ERROR with the action.
 */
public final class RequestDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
  /** A Buffer reply with one copy fewer, to a requester whose node can read it. */
  private static final DeliveryOptions REPLY_BUFFER =
      new DeliveryOptions().setCodecName(ReplyBufferCodec.NAME);
  /** Longest deadline a caller may ask for with the timeout-ms header. */
  static final long MAX_TIMEOUT_MS = Actions.MAX_TIMEOUT_MS;
  /** Slack after the deadline before the safety net answers for a stuck action. */
  static final long SAFETY_MARGIN_MS = 2_000;

  private final TimeSource time;
  /** Whether a requester may be on another node (see {@link ReplyBufferCodec#readableBy}). */
  private final boolean clustered;
  private final Map<String, Action> actions;
  private final String kindName;
  private final long defaultTimeoutMs;
  private final Set<Reply> pending = new LinkedHashSet<>();
  private final RequestListener listener;
  /** Completed when the last request taken is answered; null while nobody waits for that. */
  private Promise<Void> idle;
  private long answered;
  private long failed;

  public RequestDispatcher(Vertx vertx, Map<String, Action> actions, String kindName,
                           long defaultTimeoutMs) {
    this(vertx, actions, kindName, defaultTimeoutMs, RequestListener.NONE);
  }

  /** @param listener told of every answer (the metrics time them by action and outcome) */
  public RequestDispatcher(Vertx vertx, Map<String, Action> actions, String kindName,
                           long defaultTimeoutMs, RequestListener listener) {
    this(vertx, TimeSource.of(vertx), actions, kindName, defaultTimeoutMs, listener);
  }

  /**
   * As {@link #RequestDispatcher(Vertx, Map, String, long, RequestListener)}, the deadlines and
   * the safety net on {@code time} (the answers are still timed on the machine's clock).
   */
  public RequestDispatcher(Vertx vertx, TimeSource time, Map<String, Action> actions,
                           String kindName, long defaultTimeoutMs, RequestListener listener) {
    this.listener = listener;
    this.time = time;
    this.clustered = vertx.isClustered();
    // Replies of bytes with one copy fewer; and an HTTP front anywhere in the cluster may send
    // its parsed bodies in the request codec.
    BusCodecs.registerOn(vertx.eventBus());
    this.actions = actions;
    this.kindName = kindName;
    this.defaultTimeoutMs = defaultTimeoutMs;
  }

  public void handle(Message<Object> message) {
    String name = message.headers().get(Actions.HEADER);
    Reply reply = new Reply(message, name);
    Action action = name == null ? null : actions.get(name);
    if (action == null) {
      reply.fail(DaemonException.notFound(notFoundText(name)));
      return;
    }
    Future<?> result;
    try {
      long timeoutMs = timeoutOf(message.headers().get(Actions.TIMEOUT_HEADER));
      Deadline deadline = Deadline.in(timeoutMs, time);
      reply.safetyNet = time.setTimer(timeoutMs + SAFETY_MARGIN_MS, id -> {
        LOG.error("action {} was not answered {} ms after its deadline: the safety net "
            + "answers 503; it means a bug", name, SAFETY_MARGIN_MS);
        reply.fail(DaemonException.unavailable("no answer from the daemon by the deadline"));
      });
      pending.add(reply);
      result = action.handle(Params.of(message.body()), deadline);
    } catch (DaemonException e) {
      reply.fail(e);
      return;
    } catch (RuntimeException e) {
      LOG.error("action {} failed unexpectedly", name, e);
      reply.fail(DaemonException.unavailable("internal error in action " + name));
      return;
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        reply.complete(ar.result());
      } else if (ar.cause() instanceof DaemonException e) {
        reply.fail(e);
      } else {
        LOG.error("action {} failed unexpectedly", name, ar.cause());
        reply.fail(DaemonException.unavailable("internal error in action " + name));
      }
    });
  }

  /**
   * The verticle is stopping: answers 503 "stopping" whatever is still unanswered once the
   * retry loop has answered its own requests (e.g. an action waiting on something else).
   */
  public void stop() {
    for (Reply reply : new ArrayList<>(pending)) {
      reply.fail(DaemonException.unavailable("stopping: the daemon verticle is being "
          + "undeployed"));
    }
  }

  /**
   * Completes once every request taken so far has been answered: at once when none is
   * pending. Each pending request ends by its own deadline (the safety net's margin at most
   * after it), so this wait has an end too.
   */
  public Future<Void> whenIdle() {
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    if (idle == null) {
      idle = Promise.promise();
    }
    return idle.future();
  }

  public long answered() {
    return answered;
  }

  public long failed() {
    return failed;
  }

  private String notFoundText(String name) {
    if (name == null) {
      return "no action header: say which action in the \"" + Actions.HEADER + "\" header";
    }
    if (Actions.ALL.contains(name)) {
      return "action " + name + " is not served by daemon kind " + kindName;
    }
    return "unknown action: " + name;
  }

  private long timeoutOf(String header) {
    if (header == null) {
      return defaultTimeoutMs;
    }
    String digits = header.trim();
    long value;
    try {
      // Long.parseLong alone would also take a sign and any script's digits ("٣" is 3).
      if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new NumberFormatException();
      }
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw DaemonException.badRequest("timeout-ms header must be a whole number of "
          + "milliseconds");
    }
    if (value <= 0 || value > MAX_TIMEOUT_MS) {
      throw DaemonException.badRequest("timeout-ms header must be between 1 and "
          + MAX_TIMEOUT_MS);
    }
    return value;
  }

  private final class Reply {
    final Message<Object> message;
    final String action;
    final long startedNanos = System.nanoTime();
    long safetyNet = -1;
    boolean done;

    Reply(Message<Object> message, String action) {
      this.message = message;
      this.action = action;
    }

    void complete(Object body) {
      if (finish()) {
        answered++;
        measure(0, body);
        if (body instanceof Buffer && ReplyBufferCodec.readableBy(message, clustered)) {
          message.reply(body, REPLY_BUFFER);
        } else {
          message.reply(body);
        }
      }
    }

    void fail(DaemonException e) {
      if (finish()) {
        failed++;
        measure(e.code(), null);
        message.fail(e.code(), e.getMessage());
      }
    }

    private void measure(int code, Object body) {
      // A declared action this kind does not serve is measured as unknown, as a made-up name.
      ActionSpec spec = Actions.spec(action);
      listener.answered(spec != null && actions.containsKey(action) ? spec : null, code,
          startedNanos, body);
    }

    private boolean finish() {
      if (done) {
        return false;
      }
      done = true;
      pending.remove(this);
      if (idle != null && pending.isEmpty()) {
        Promise<Void> waiting = idle;
        idle = null;
        waiting.complete();
      }
      if (safetyNet >= 0) {
        time.cancelTimer(safetyNet);
      }
      return true;
    }
  }
}
