package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.jsonrpc.RpcCall;
import io.daemonverticle.impl.jsonrpc.RpcPayload;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.resilience.RetryLoop;
import io.daemonverticle.impl.transport.Offloader;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON-RPC batches whose results are hex strings (raw blocks, raw transactions, block
 * hashes): the byte path beside {@link JsonRpc}'s tree path. The reply is never parsed into a
 * tree: {@link HexBatchScanner} reads it as it arrives, and a large batch may be cut into
 * sub-batches sent over several connections ({@link HexBatchLanes}). Ids come from the
 * client's one counter, so both paths number their payloads alike.
 */
public final class HexBatches {

  private final JsonRpc rpc;
  private final RetryLoop retryLoop;
  private final Offloader offloader;
  private final HexBatchLanes lanes;

  public HexBatches(JsonRpc rpc, RetryLoop retryLoop, Offloader offloader,
                    HexBatchLanes lanes) {
    this.rpc = rpc;
    this.retryLoop = retryLoop;
    this.offloader = offloader;
    this.lanes = lanes;
  }

  /**
   * A batch whose results are hex strings (raw blocks, raw transactions, block hashes), read
   * in one pass as it arrives (see {@link HexBatchScanner}): each result decoded, or kept as
   * its text when {@code text}. The finisher turns the items, in request order, into the
   * result; it runs inside the attempt (on a worker thread for a large reply when it works
   * through the bytes), so what it finds wrong with the reply is a failure of that attempt,
   * retried like any other.
   */
  public <T> Future<T> batch(List<RpcCall> calls, boolean text,
                                HexFinisher<T> finisher, Deadline deadline) {
    if (calls.isEmpty()) {
      try {
        return Future.succeededFuture(finisher.apply(new HexItem[0]));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return send(exchange(calls, text, finisher), deadline);
  }

  /**
   * As {@link #batch(List, boolean, HexFinisher, Deadline)}, the calls cut into
   * {@code subBatches} runs of consecutive calls sent at once over several connections (see
   * {@link HexBatchLanes}); 1 or less: one batch.
   */
  public <T> Future<T> batch(List<RpcCall> calls, boolean text,
                                HexFinisher<T> finisher, Deadline deadline,
                                int subBatches) {
    if (calls.isEmpty()) {
      return batch(calls, text, finisher, deadline);
    }
    return send(exchange(calls, text, finisher, subBatches), deadline);
  }

  /**
   * The attempts of {@link #batch} (of a non-empty batch), for a caller that tries
   * something else first in each attempt (the blocks' REST fetch).
   */
  public <T> RetryLoop.Exchange<T> exchange(List<RpcCall> calls, boolean text,
                                                    HexFinisher<T> finisher) {
    return exchange(calls, text, finisher, 1);
  }

  /** As {@link #exchange(List, boolean, HexFinisher)}, in {@code subBatches} runs. */
  public <T> RetryLoop.Exchange<T> exchange(List<RpcCall> calls, boolean text,
                                                    HexFinisher<T> finisher,
                                                    int subBatches) {
    int parts = Math.max(1, Math.min(subBatches, calls.size()));
    long firstId = rpc.reserveIds(calls.size());
    if (parts == 1) {
      int count = calls.size();
      return retryLoop.post(RpcPayload.batch(calls, firstId), url -> new HexBatchReader<>(
          offloader, new HexBatchScanner(firstId, count, text, url.toString()), finisher));
    }
    List<HexBatchLanes.SubBatch> subs = new ArrayList<>(parts);
    int from = 0;
    for (int i = 0; i < parts; i++) {
      // Consecutive runs whose sizes differ by one at most, the larger ones first.
      int to = from + calls.size() / parts + (i < calls.size() % parts ? 1 : 0);
      subs.add(new HexBatchLanes.SubBatch(
          RpcPayload.batch(calls.subList(from, to), firstId + from), firstId + from, to - from));
      from = to;
    }
    return lanes.exchange(subs, text, finisher);
  }

  /** Runs the exchange's attempts through the retry loop (not hedged). */
  public <T> Future<T> send(RetryLoop.Exchange<T> exchange, Deadline deadline) {
    return retryLoop.exchange(exchange, deadline, false);
  }
}
