package io.daemonverticle.impl.rpc;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.rpc.Endpoints.Endpoint;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * The one place where daemon requests are retried (ElectrumX's {@code _send}). Each attempt
 * takes a work-queue slot, goes through the circuit breaker of the current URL and either
 * succeeds, fails for good (a JSON-RPC error: the daemon answered) or fails transiently, in
 * which case it is tried again after an exponential backoff, on the next URL once the
 * current one's circuit has opened, until the request's deadline; then it is answered 503
 * with the last failure. The processor turns the parsed reply into the result and may itself
 * raise a {@link TransientFailure} (warming up) or a {@link DaemonException}.
 */
public final class RetryLoop {

  private final Vertx vertx;
  private final HttpTransport transport;
  private final WorkQueue workQueue;
  private final Endpoints endpoints;
  private final RpcCounters counters;
  private final Settings settings;
  private final FailureLog failureLog = new FailureLog();

  public RetryLoop(Vertx vertx, HttpTransport transport, WorkQueue workQueue,
                   Endpoints endpoints, RpcCounters counters, Settings settings) {
    this.vertx = vertx;
    this.transport = transport;
    this.workQueue = workQueue;
    this.endpoints = endpoints;
    this.counters = counters;
    this.settings = settings;
  }

  /** Sends a payload and processes the parsed reply, retrying transient failures. */
  public <T> Future<T> send(Buffer payload, Function<Object, T> processor, Deadline deadline) {
    counters.recordRequest();
    Attempts<T> attempts = new Attempts<>(payload, processor, deadline);
    attempts.next();
    return attempts.promise.future();
  }

  private final class Attempts<T> {
    final Promise<T> promise = Promise.promise();
    final Buffer payload;
    final Function<Object, T> processor;
    final Deadline deadline;
    long backoffMs = settings.initRetryMs();
    boolean admitted;
    int immediateRetries;
    TransientFailure lastFailure;

    Attempts(Buffer payload, Function<Object, T> processor, Deadline deadline) {
      this.payload = payload;
      this.processor = processor;
      this.deadline = deadline;
    }

    void next() {
      if (deadline.passed()) {
        giveUp();
        return;
      }
      workQueue.acquire(deadline, !admitted).onComplete(slot -> {
        if (slot.failed()) {
          if (lastFailure != null && slot.cause() instanceof DaemonException de
              && de.code() == DaemonException.UNAVAILABLE) {
            giveUp();
          } else {
            promise.tryFail(slot.cause());
          }
          return;
        }
        admitted = true;
        send(slot.result());
      });
    }

    void send(WorkQueue.Slot slot) {
      long timeoutMs = Math.min(settings.attemptTimeoutMs(), deadline.remainingMs());
      if (timeoutMs <= 0) {
        slot.release();
        giveUp();
        return;
      }
      int index = endpoints.currentIndex();
      Endpoint endpoint = endpoints.get(index);
      endpoint.breaker().<T>execute(() -> transport.post(endpoint.url(), payload, timeoutMs)
              .map(this::process))
          .onComplete(ar -> {
            slot.release();
            if (ar.succeeded()) {
              failureLog.answered();
              promise.tryComplete(ar.result());
            } else if (ar.cause() instanceof DaemonException de) {
              failureLog.answered();
              counters.recordDaemonError();
              promise.tryFail(de);
            } else {
              failed(index, ar.cause());
            }
          });
    }

    T process(Object reply) {
      try {
        return processor.apply(reply);
      } catch (TransientFailure | DaemonException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
            "unexpected reply from the daemon: " + e.getMessage());
      }
    }

    void failed(int index, Throwable cause) {
      Endpoint endpoint = endpoints.get(index);
      if (cause instanceof OpenCircuitException) {
        // Nothing was sent: the URL's own last failure says more than "circuit open".
        if (endpoint.lastFailure() != null) {
          lastFailure = endpoint.lastFailure();
        } else if (lastFailure == null) {
          lastFailure = new TransientFailure(TransientFailure.Kind.CIRCUIT_OPEN,
              "circuit open for " + endpoint.url() + " after repeated failures");
        }
      } else {
        lastFailure = TransientFailure.from(cause, endpoint.url());
        endpoint.lastFailure(lastFailure);
        counters.recordTransientFailure();
        failureLog.failed(lastFailure);
      }
      counters.recordRetry();
      boolean moved = endpoint.circuitState() == CircuitBreakerState.OPEN
          && endpoints.failover(index);
      if (moved && immediateRetries < endpoints.size()) {
        immediateRetries++;
        next();
        return;
      }
      immediateRetries = 0;
      long remaining = deadline.remainingMs();
      if (remaining <= 0) {
        giveUp();
        return;
      }
      long delay = Math.min(backoffMs, remaining);
      backoffMs = Math.min(settings.maxRetryMs(), backoffMs * 2);
      vertx.setTimer(Math.max(1, delay), id -> next());
    }

    void giveUp() {
      counters.recordUnavailable();
      String text = lastFailure != null ? lastFailure.getMessage()
          : "deadline passed before the daemon could be asked";
      promise.tryFail(DaemonException.unavailable(text));
    }
  }

  /** The backoff and attempt settings, from the options. */
  public record Settings(long initRetryMs, long maxRetryMs, long attemptTimeoutMs) {
  }
}
