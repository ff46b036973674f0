package io.daemonverticle.testing;

import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.resilience.Endpoints;
import io.daemonverticle.impl.resilience.RetryLoop;
import io.daemonverticle.impl.resilience.RpcCounters;
import io.daemonverticle.impl.resilience.WorkQueue;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A retry loop over HTTP to fake daemons, as the service builds it: its backoffs and deadlines
 * on a {@link VirtualTime}, its HTTP exchanges (and their timeouts) real. A request that does
 * not get its answer backs off to its deadline at once ({@link #drive}), so a test sees it
 * fail at once instead of waiting for its time limit.
 */
public final class LoopToFakes {

  public final Context context;
  public final VirtualTime virtual;
  public final RpcCounters counters = new RpcCounters();
  public final WorkQueue workQueue;
  public final Endpoints endpoints;
  public final HttpTransport transport;
  public final RetryLoop loop;

  /** A loop to {@code fakes}, in this order: four requests at once, attempts of 5 s. */
  public LoopToFakes(Vertx vertx, List<FakeDaemon> fakes) {
    this(vertx, fakes, 0);
  }

  /** As {@link #LoopToFakes(Vertx, List)}, a read hedged after {@code hedgeAfterMs} (0: never). */
  public LoopToFakes(Vertx vertx, List<FakeDaemon> fakes, long hedgeAfterMs) {
    context = vertx.getOrCreateContext();
    virtual = new VirtualTime(context);
    List<DaemonUrl> urls = fakes.stream()
        .map(fake -> DaemonUrl.parse(fake.url("user", "pass"), null, false)).toList();
    workQueue = new WorkQueue(virtual, 4, 100);
    endpoints = new Endpoints(vertx, urls, new Endpoints.BreakerSettings(3, 60_000, 10),
        counters);
    transport = Transports.plain(vertx, 4);
    loop = new RetryLoop(virtual, transport, workQueue, endpoints, counters,
        new RetryLoop.Settings(100, 800, 5_000, hedgeAfterMs));
  }

  /** {@code ms} from now on the loop's (virtual) clock. */
  public Deadline deadline(long ms) {
    return Deadline.in(ms, virtual);
  }

  /** Runs {@code work} on the loop's context, as the verticle calls the loop. */
  public <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      // A future that is not there (a mutant's null) fails the test at once.
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.tryFail(e);
      }
    });
    return promise.future();
  }

  /**
   * Completes as {@code outcome}; meanwhile fires the loop's timers whenever no request holds
   * a slot and {@code quiet} holds (nothing else of the test's is on the wire).
   */
  public <T> Future<T> drive(Future<T> outcome, BooleanSupplier quiet) {
    return virtual.runUntil(outcome, () -> workQueue.inFlight() == 0 && quiet.getAsBoolean());
  }

  public void close() {
    endpoints.close();
    transport.close();
  }
}
