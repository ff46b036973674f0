package io.daemonverticle.impl.rpc;

import io.daemonverticle.BlockFrames;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A binary reply (a REST block) kept as the chunks it arrived in: framing it appends them to
 * the reply once, with no copy to gather them first. Also the {@link ReplyReader} that keeps
 * them: each chunk counted against the attempt's byte budget as it comes.
 */
public final class ReceivedBytes implements BlockFrames.Block, ReplyReader<ReceivedBytes> {

  private final List<Buffer> chunks = new ArrayList<>();
  /** Adds a chunk's length to the attempt's total and throws when it is over the budget. */
  private final LongUnaryOperator budget;
  private long length;

  ReceivedBytes(LongUnaryOperator budget) {
    this.budget = budget;
  }

  @Override
  public void chunk(Buffer chunk) {
    budget.applyAsLong(chunk.length());
    chunks.add(chunk);
    length += chunk.length();
  }

  @Override
  public Future<ReceivedBytes> end() {
    return Future.succeededFuture(this);
  }

  @Override
  public void abandon() {
    chunks.clear();
    length = 0;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void appendTo(Buffer out) {
    for (Buffer chunk : chunks) {
      out.appendBuffer(chunk);
    }
  }

  /** The bytes in one array, for a kind's per-block work. */
  public byte[] toBytes() {
    byte[] bytes = new byte[Math.toIntExact(length)];
    int at = 0;
    for (Buffer chunk : chunks) {
      chunk.getBytes(bytes, at);
      at += chunk.length();
    }
    return bytes;
  }
}
