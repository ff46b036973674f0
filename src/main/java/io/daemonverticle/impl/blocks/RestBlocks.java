package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.resilience.RetryLoop;
import io.daemonverticle.impl.resilience.RpcCounters;
import io.daemonverticle.impl.resilience.WorkQueue;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Raw blocks over the daemon's REST interface where a URL serves it (bitcoind with
 * {@code -rest}: {@code GET /rest/block/<hash>.bin}, the block's bytes with no hex and no
 * JSON), JSON-RPC everywhere else. Runs on the verticle's event loop.
 *
 * <p>Whether a URL serves REST is probed with {@code GET /rest/chaininfo.json} by the first
 * blocks request sent there, and again after any transport failure there (the daemon may
 * have come back with other flags) or {@code reprobeMs} after a URL said no. A URL that does
 * not serve it, or that answers a block's GET with anything but its bytes (404 for a block it
 * does not have, a proxy's refusal), gets the same request over JSON-RPC in the same attempt,
 * so its answer (the daemon's own error for an unknown block) is JSON-RPC's. Only the
 * daemon's back-pressure and transport failures fail the attempt, to be retried as any other.
 *
 * <p>The GETs of one request go out several at a time: bitcoind serves a JSON-RPC batch on
 * one thread, REST requests on all of its {@code -rpcthreads}. The attempt's own work-queue
 * slot carries the first; each other takes a slot only when one is free now (never ahead of a
 * request waiting for one) and gives it back as soon as a request waits ({@link Lanes}), so
 * {@code maxWorkqueue} still bounds the HTTP requests in flight. All GETs share the attempt's
 * time and the attempt's byte budget ({@code maxReplyBytes}).
 */
public final class RestBlocks {

  static final String PROBE_PATH = "/rest/chaininfo.json";
  public static final String BINARY = "application/octet-stream";

  private final HttpTransport transport;
  private final WorkQueue workQueue;
  private final RpcCounters counters;
  private final long maxReplyBytes;
  private final long maxBatchBytes;
  private final long reprobeMs;
  private final LongSupplier clockMs;
  /** What each URL said to the last probe; absent: not probed since its last failure. */
  private final Map<DaemonUrl, Probed> probed =
      java.util.Collections.synchronizedMap(new IdentityHashMap<>());

  public RestBlocks(HttpTransport transport, WorkQueue workQueue, RpcCounters counters,
                    long maxReplyBytes, long maxBatchBytes, long reprobeMs,
                    LongSupplier clockMs) {
    this.transport = transport;
    this.workQueue = workQueue;
    this.counters = counters;
    this.maxReplyBytes = maxReplyBytes;
    this.maxBatchBytes = maxBatchBytes;
    this.reprobeMs = reprobeMs;
    this.clockMs = clockMs;
  }

  /**
   * The attempts of a blocks request: the blocks over REST, made into the result by
   * {@code finisher} (given them in request order), where the URL serves REST; else, or when
   * a block's GET is answered with anything but its bytes, {@code jsonRpc}'s attempt.
   */
  public <T> RetryLoop.Exchange<T> orElse(List<String> hashes,
                                          Function<List<ReceivedBytes>, Future<T>> finisher,
                                          RetryLoop.Exchange<T> jsonRpc) {
    return (url, timeoutMs, cancel) -> {
      long endMs = clockMs.getAsLong() + timeoutMs;
      return serves(url, timeoutMs, cancel).compose(serves -> {
        if (!serves) {
          return jsonRpc.attempt(url, left(endMs), cancel);
        }
        ByteBudget budget = new ByteBudget(url);
        return Lanes.run(workQueue, hashes.size(), (index, stop) -> transport.get(url,
                "/rest/block/" + hashes.get(index) + ".bin", BINARY, left(endMs),
                new ReceivedBytes(budget::count), stop), cancel)
            .compose(blocks -> {
              counters.recordRestBlocks(blocks.size());
              return finisher.apply(blocks);
            }, failure -> {
              if (answeredOtherwise(failure)) {
                counters.recordRestFallback();
                if (!(failure instanceof TransientFailure tf) || tf.httpStatus() != 404) {
                  // Not a block it lacks: this URL does not serve us REST now.
                  probed.put(url, new Probed(false, clockMs.getAsLong()));
                }
                return jsonRpc.attempt(url, left(endMs), cancel);
              }
              forget(url, failure);
              return Future.failedFuture(failure);
            });
      });
    };
  }

  /**
   * What the URL said to the last probe: true, it serves REST; false, it answered without it
   * (bitcoind without {@code -rest}: 404); null, not probed since its last failure. Read by the
   * status from any thread.
   */
  public Boolean servesRest(DaemonUrl url) {
    Probed last = probed.get(url);
    return last == null ? null : last.serves();
  }

  /** Whether the URL serves REST, probing it when not known. */
  private Future<Boolean> serves(DaemonUrl url, long timeoutMs, Future<Void> cancel) {
    Probed last = probed.get(url);
    if (last != null && (last.serves() || clockMs.getAsLong() - last.atMs() < reprobeMs)) {
      return Future.succeededFuture(last.serves());
    }
    // A probe of each request that finds the URL unknown: bounded by its own attempt, and
    // tiny, so concurrent first requests do not wait on one another's.
    return transport.get(url, PROBE_PATH, "application/json", timeoutMs,
            new ReceivedBytes(n -> n), cancel)
        .map(reply -> true)
        .recover(failure -> {
          if (answeredOtherwise(failure)) {
            return Future.succeededFuture(false);
          }
          return Future.failedFuture(failure);
        })
        .andThen(ar -> {
          if (ar.succeeded()) {
            probed.put(url, new Probed(ar.result(), clockMs.getAsLong()));
          } else {
            forget(url, ar.cause());
          }
        });
  }

  /** After a failure of the URL itself (not of ours): probe it again next time. */
  private void forget(DaemonUrl url, Throwable failure) {
    if (failure instanceof TransientFailure tf
        && tf.kind() != TransientFailure.Kind.CANCELLED) {
      probed.remove(url);
    }
  }

  /**
   * An HTTP answer that is not what REST gives (404, 401, a proxy's page, JSON where bytes
   * were due): the URL is up and JSON-RPC may serve the request. The daemon's back-pressure
   * is not such an answer: it is full, for REST and JSON-RPC alike.
   */
  private static boolean answeredOtherwise(Throwable failure) {
    return failure instanceof TransientFailure tf && tf.httpStatus() != 0
        && tf.kind() != TransientFailure.Kind.BACK_PRESSURE;
  }

  private long left(long endMs) {
    return Math.max(1, endMs - clockMs.getAsLong());
  }

  private record Probed(boolean serves, long atMs) {
  }

  /** The bytes of one attempt's blocks, all GETs together, against both bounds. */
  private final class ByteBudget {
    final DaemonUrl url;
    long bytes;

    ByteBudget(DaemonUrl url) {
      this.url = url;
    }

    long count(long chunkBytes) {
      bytes += chunkBytes;
      if (bytes > maxBatchBytes) {
        // Deterministic: the same blocks are as large at every URL and every attempt.
        throw BatchBytes.over(maxBatchBytes);
      }
      if (bytes > maxReplyBytes) {
        throw new TransientFailure(TransientFailure.Kind.TOO_LONG, "blocks from " + url
            + " are longer than maxReplyBytes (" + maxReplyBytes + " bytes): cut off");
      }
      return bytes;
    }
  }
}
