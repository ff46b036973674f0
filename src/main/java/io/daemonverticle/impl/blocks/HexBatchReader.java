package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.codec.HexBulk;
import io.daemonverticle.impl.transport.Offloader;
import io.daemonverticle.impl.transport.ReplyReader;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a batch of hex results as its chunks arrive, with a {@link HexBatchScanner}: the hex
 * is checked and decoded in the chunks' own bytes (no copy per chunk), and never held whole.
 *
 * <p>With the vector decoder ({@link HexBulk}) every chunk is read on the event loop as it
 * comes: a chunk is at most 64 KiB, decoded in a few microseconds, and then it is garbage, so
 * the hex of a reply is never held (the bench measured the same speed as handing the chunks to
 * a worker, in 32 MB of heap instead of 40-48). Without it, a small reply is read on the loop
 * too, but once the reply passes {@code offloadBytes} the chunks are handed in runs to a worker
 * thread, one run at a time and in order, so the slower scalar decoding overlaps receiving.
 * Either way the event loop never decodes more than one chunk at a time, and the final step
 * (the chunks still pending, matching ids, the {@link HexFinisher}) runs on a worker only when
 * its work passes {@code offloadBytes}: the pending bytes, and every byte of the reply when the
 * finisher works through them.
 */
public final class HexBatchReader<T> implements ReplyReader<T> {

  /** How many received bytes make one run for the worker. */
  private static final int RUN_BYTES = 64 * 1024;

  private final Offloader offloader;
  private final HexBatchScanner scanner;
  private final HexFinisher<T> finisher;
  private final boolean onLoop;
  private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
  private long pendingBytes;
  private long received;
  /** A run is on the worker: the scanner is its until the run ends. */
  private boolean working;
  private RuntimeException failure;
  private volatile boolean abandoned;
  private Promise<T> ended;

  public HexBatchReader(Offloader offloader, HexBatchScanner scanner,
                        HexFinisher<T> finisher) {
    this(offloader, scanner, finisher, HexBulk.VECTORS);
  }

  /** @param onLoop decode every chunk on the loop as it comes (tests try both ways) */
  HexBatchReader(Offloader offloader, HexBatchScanner scanner, HexFinisher<T> finisher,
                 boolean onLoop) {
    this.offloader = offloader;
    this.scanner = scanner;
    this.finisher = finisher;
    this.onLoop = onLoop;
  }

  @Override
  public void chunk(Buffer chunk) {
    if (failure != null) {
      throw failure;
    }
    received += chunk.length();
    if (!working && pending.isEmpty() && (onLoop || !offloader.isLarge(received))) {
      feed(scanner, chunk);
      return;
    }
    pending.add(chunk);
    pendingBytes += chunk.length();
    if (!working && pendingBytes >= RUN_BYTES) {
      run();
    }
  }

  /** Hands what is pending to the worker, in order; the loop goes on receiving. */
  private void run() {
    List<Buffer> run = takePending();
    working = true;
    offloader.onWorker(() -> {
      for (Buffer chunk : run) {
        if (abandoned) {
          break;
        }
        feed(scanner, chunk);
      }
      return null;
    }).onComplete(ar -> {
      working = false;
      if (ar.failed()) {
        failure = ar.cause() instanceof RuntimeException e ? e
            : new IllegalStateException(ar.cause());
      }
      if (ended != null) {
        finish();
      } else if (failure == null && pendingBytes >= RUN_BYTES) {
        run();
      }
    });
  }

  @Override
  public Future<T> end() {
    ended = Promise.promise();
    finish();
    return ended.future();
  }

  /** After the last chunk: once no run is on the worker, the rest and the result. */
  private void finish() {
    if (failure != null) {
      ended.tryFail(failure);
      return;
    }
    if (working) {
      return;
    }
    long restBytes = pendingBytes;
    List<Buffer> rest = takePending();
    offloader.run(finisher.byteWork() ? received : restBytes, () -> {
      for (Buffer chunk : rest) {
        feed(scanner, chunk);
      }
      return finisher.apply(scanner.end());
    }).onComplete(ended);
  }

  @Override
  public void abandon() {
    abandoned = true;
    pending.clear();
  }

  private List<Buffer> takePending() {
    List<Buffer> taken = new ArrayList<>(pending);
    pending.clear();
    pendingBytes = 0;
    return taken;
  }

  /** Feeds a chunk's bytes where they lie when it has an array, else a copy. */
  static void feed(HexBatchScanner scanner, Buffer chunk) {
    if (chunk instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.hasArray()) {
        int from = buf.arrayOffset() + buf.readerIndex();
        scanner.feed(buf.array(), from, from + buf.readableBytes());
        return;
      }
    }
    scanner.feed(chunk);
  }
}
