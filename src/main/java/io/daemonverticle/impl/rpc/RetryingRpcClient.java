package io.daemonverticle.impl.rpc;

import io.daemonverticle.DaemonException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where daemon requests are retried (ElectrumX's {@code _send}). Each attempt
 * takes a work-queue slot, goes through the circuit breaker of the current URL and either
 * succeeds, fails for good (a JSON-RPC error: the daemon answered) or fails transiently, in
 * which case it is tried again after an exponential backoff, on the next URL once the
 * current one's circuit has opened, until the request's deadline; then it is answered 503
 * with the last failure. The processor turns the parsed reply into the result and may itself
 * raise a {@link TransientFailure} (warming up) or a {@link DaemonException}.
 */
public final class RetryingRpcClient {

  private static final Logger LOG = LoggerFactory.getLogger("io.daemonverticle.Daemon");
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final Vertx vertx;
  private final JsonRpcTransport transport;
  private final WorkQueue workQueue;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final long initRetryMs;
  private final long maxRetryMs;
  private final long attemptTimeoutMs;
  private final Map<TransientFailure.Kind, Long> lastLogged =
      new EnumMap<>(TransientFailure.Kind.class);
  private String recoveredMessage;
  private int current;
  private long requests;
  private long retries;
  private long failovers;
  private long transientFailures;
  private long daemonErrors;
  private long unavailable;

  public RetryingRpcClient(Vertx vertx, List<DaemonUrl> urls, JsonRpcTransport transport,
                           WorkQueue workQueue, Settings settings) {
    this.vertx = vertx;
    this.transport = transport;
    this.workQueue = workQueue;
    this.initRetryMs = settings.initRetryMs();
    this.maxRetryMs = settings.maxRetryMs();
    this.attemptTimeoutMs = settings.attemptTimeoutMs();
    for (int i = 0; i < urls.size(); i++) {
      CircuitBreaker breaker = CircuitBreaker.create("daemon-" + (i + 1), vertx,
          new CircuitBreakerOptions()
              .setMaxFailures(settings.breakerMaxFailures())
              .setResetTimeout(settings.breakerResetMs())
              .setTimeout(-1)
              .setMaxRetries(0)
              .setNotificationAddress(null));
      // Only transport trouble counts against a URL: a JSON-RPC error means it answered.
      breaker.failurePolicy(f -> f.failed() && !(f.cause() instanceof DaemonException));
      endpoints.add(new Endpoint(urls.get(i), breaker));
    }
  }

  /** Sends a payload and processes the parsed reply, retrying transient failures. */
  public <T> Future<T> send(Buffer payload, Function<Object, T> processor, Deadline deadline) {
    requests++;
    Attempts<T> attempts = new Attempts<>(payload, processor, deadline);
    attempts.next();
    return attempts.promise.future();
  }

  public List<DaemonUrl> urls() {
    return endpoints.stream().map(e -> e.url).toList();
  }

  public DaemonUrl currentUrl() {
    return endpoints.get(current).url;
  }

  /** What status reports: URLs without credentials, circuit states, counters. */
  public JsonObject status() {
    JsonArray urls = new JsonArray();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      urls.add(new JsonObject()
          .put("url", e.url.toString())
          .put("current", i == current)
          .put("circuit", e.breaker.state().name())
          .put("failures", e.breaker.failureCount()));
    }
    return new JsonObject()
        .put("urls", urls)
        .put("currentUrl", currentUrl().toString())
        .put("inFlight", workQueue.inFlight())
        .put("queued", workQueue.queued())
        .put("counters", new JsonObject()
            .put("requests", requests)
            .put("retries", retries)
            .put("failovers", failovers)
            .put("transientFailures", transientFailures)
            .put("daemonErrors", daemonErrors)
            .put("unavailable", unavailable)
            .put("maxInFlightSeen", workQueue.highWater()));
  }

  public void close() {
    endpoints.forEach(e -> e.breaker.close());
  }

  /** ElectrumX's {@code failover}: moves on from a URL whose circuit has opened. */
  private boolean failover(int failedIndex) {
    if (endpoints.size() < 2) {
      return false;
    }
    if (current != failedIndex) {
      // Another request already moved on; follow it rather than skipping a URL.
      return true;
    }
    for (int step = 1; step < endpoints.size(); step++) {
      int candidate = (failedIndex + step) % endpoints.size();
      if (endpoints.get(candidate).breaker.state() != CircuitBreakerState.OPEN) {
        current = candidate;
        failovers++;
        LOG.info("failing over to {}", endpoints.get(candidate).url);
        return true;
      }
    }
    return false;
  }

  private void logFailure(TransientFailure failure) {
    transientFailures++;
    recoveredMessage = failure.kind().recoveredMessage();
    long now = System.nanoTime();
    Long last = lastLogged.get(failure.kind());
    if (last == null || now - last >= LOG_INTERVAL_NANOS) {
      lastLogged.put(failure.kind(), now);
      LOG.error("{}.  Retrying occasionally...", failure.getMessage());
    }
  }

  private void logRecovery() {
    if (recoveredMessage != null) {
      LOG.info(recoveredMessage);
      recoveredMessage = null;
      lastLogged.clear();
    }
  }

  private final class Attempts<T> {
    final Promise<T> promise = Promise.promise();
    final Buffer payload;
    final Function<Object, T> processor;
    final Deadline deadline;
    long backoffMs = initRetryMs;
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
      long timeoutMs = Math.min(attemptTimeoutMs, deadline.remainingMs());
      if (timeoutMs <= 0) {
        slot.release();
        giveUp();
        return;
      }
      int index = current;
      Endpoint endpoint = endpoints.get(index);
      endpoint.breaker.<T>execute(() -> transport.post(endpoint.url, payload, timeoutMs)
              .map(this::process))
          .onComplete(ar -> {
            slot.release();
            if (ar.succeeded()) {
              logRecovery();
              promise.tryComplete(ar.result());
            } else if (ar.cause() instanceof DaemonException de) {
              logRecovery();
              daemonErrors++;
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
        if (endpoint.lastFailure != null) {
          lastFailure = endpoint.lastFailure;
        } else if (lastFailure == null) {
          lastFailure = new TransientFailure(TransientFailure.Kind.CIRCUIT_OPEN,
              "circuit open for " + endpoint.url + " after repeated failures");
        }
      } else {
        lastFailure = TransientFailure.from(cause, endpoint.url);
        endpoint.lastFailure = lastFailure;
        logFailure(lastFailure);
      }
      retries++;
      boolean moved = endpoint.breaker.state() == CircuitBreakerState.OPEN && failover(index);
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
      backoffMs = Math.min(maxRetryMs, backoffMs * 2);
      vertx.setTimer(Math.max(1, delay), id -> next());
    }

    void giveUp() {
      unavailable++;
      String text = lastFailure != null ? lastFailure.getMessage()
          : "deadline passed before the daemon could be asked";
      promise.tryFail(DaemonException.unavailable(text));
    }
  }

  private static final class Endpoint {
    final DaemonUrl url;
    final CircuitBreaker breaker;
    TransientFailure lastFailure;

    Endpoint(DaemonUrl url, CircuitBreaker breaker) {
      this.url = url;
      this.breaker = breaker;
    }
  }

  /** The retry and circuit settings, from the options. */
  public record Settings(long initRetryMs, long maxRetryMs, long attemptTimeoutMs,
                         int breakerMaxFailures, long breakerResetMs) {
  }
}
