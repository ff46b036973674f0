package io.daemonverticle.impl.blocks;

import java.util.function.Function;

/**
 * What a batch of hex results becomes once its reply is read: it runs inside the attempt, so
 * what it finds wrong with the reply is that attempt's failure, retried like any other.
 *
 * <p>Where it runs depends on its work. One that works through every byte of the results (a
 * kind's per-block hook, building Strings or byte arrays from them) runs on a worker thread for
 * a reply past {@code offloadBytes}, so that it never holds the event loop. One whose work is
 * per item (framing the slabs the blocks were decoded into) runs on the event loop: handing it
 * to a worker and back would only add two thread hand-overs to every request (the bench: 10 %
 * of rawBlocks' speed over JSON-RPC).
 *
 * @param function the items, in request order, to the result
 * @param byteWork whether its work grows with the bytes of the results
 */
public record HexFinisher<T>(Function<HexItem[], T> function, boolean byteWork) {

  /** A finisher whose work is per item, not per byte. */
  public static <T> HexFinisher<T> perItem(Function<HexItem[], T> function) {
    return new HexFinisher<>(function, false);
  }

  /** A finisher that works through every byte of the results. */
  public static <T> HexFinisher<T> byteWork(Function<HexItem[], T> function) {
    return new HexFinisher<>(function, true);
  }

  T apply(HexItem[] items) {
    return function.apply(items);
  }
}
