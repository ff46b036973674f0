package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.resilience.RetryLoop;
import io.daemonverticle.impl.resilience.WorkQueue;
import io.daemonverticle.impl.time.NanoClock;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.Offloader;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;

/**
 * A batch of hex results cut into sub-batches of consecutive calls that go to the daemon over
 * several connections at once. bitcoind answers one batch on one of its {@code -rpcthreads},
 * item after item: a 10 MB batch of blocks keeps one core of the daemon busy while the others
 * wait (and, with the scalar decoder, one of our workers, as a reply's hex is read in order).
 * Its sub-batches are answered by several daemon threads (and decoded by several workers
 * while the event loop receives; the vector decoder decodes them on the loop).
 *
 * <p>All of it is one attempt of the retry loop, its sub-batches sent on {@link Lanes}: the
 * attempt's own work-queue slot carries the first; each other lane takes a slot only when one
 * is free now and gives it back as soon as a request waits, as the REST fetch's GETs do, so
 * {@code maxWorkqueue} still bounds the HTTP requests in flight. The sub-batches share the
 * attempt's time; the first one that fails ends the others and fails the attempt, which the
 * retry loop then tries again as a whole. The finisher gets every item in request order, as
 * from one batch, so what it checks (errors, sizes, {@code maxBatchBytes}) is checked on the
 * whole.
 */
public final class HexBatchLanes {

  private final HttpTransport transport;
  private final WorkQueue workQueue;
  private final Offloader offloader;
  /** What an attempt's time, shared by its sub-batches, is measured on. */
  private final NanoClock clock;

  public HexBatchLanes(HttpTransport transport, WorkQueue workQueue, Offloader offloader,
                       NanoClock clock) {
    this.transport = transport;
    this.workQueue = workQueue;
    this.offloader = offloader;
    this.clock = clock;
  }

  /** One sub-batch: its JSON-RPC payload and the ids it carries, {@code firstId} onwards. */
  public record SubBatch(Buffer payload, long firstId, int count) {
  }

  /**
   * The attempts of a batch sent as {@code parts} (its calls in order, cut into consecutive
   * runs); {@code finisher} gets all the items in request order.
   */
  public <T> RetryLoop.Exchange<T> exchange(List<SubBatch> parts, boolean text,
                                            HexFinisher<T> finisher) {
    int total = 0;
    for (SubBatch part : parts) {
      total += part.count();
    }
    int count = total;
    return (url, timeoutMs, cancel) -> {
      Deadline end = Deadline.in(timeoutMs, clock);
      return Lanes.run(workQueue, parts.size(), (index, stop) -> {
        SubBatch part = parts.get(index);
        return transport.post(url, part.payload(), Math.max(1, end.remainingMs()),
            new HexBatchReader<>(offloader,
                new HexBatchScanner(part.firstId(), part.count(), text, url.toString()),
                HexFinisher.<HexItem[]>perItem(Function.identity())),
            stop);
      }, cancel).compose(items -> {
        HexItem[] all = new HexItem[count];
        long bytes = 0;
        int at = 0;
        for (HexItem[] some : items) {
          for (HexItem item : some) {
            bytes += item.hex() == null ? 0 : item.hex().length();
            all[at++] = item;
          }
        }
        return offloader.run(finisher.byteWork() ? bytes : 0, () -> finisher.apply(all));
      });
    };
  }
}
