package io.daemonverticle.impl.blocks;

import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.transport.ReplyReader;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
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

  /**
   * The blocks framed as the contract's rawBlocks reply without copying them: one buffer made
   * of each block's 4-byte length and the chunks it arrived in, as they are. A copy costs as
   * much as receiving them did.
   */
  public static Buffer framed(List<ReceivedBytes> blocks) {
    CompositeByteBuf frames = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    long total = 0;
    for (ReceivedBytes block : blocks) {
      total += 4 + block.length;
      frames.addComponent(true, Unpooled.buffer(4).writeInt(Math.toIntExact(block.length)));
      for (Buffer chunk : block.chunks) {
        frames.addComponent(true, ((BufferInternal) chunk).getByteBuf());
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw DaemonException.badRequest("the blocks asked for add up to more than 2 GB: ask "
          + "for fewer at a time");
    }
    return BufferInternal.buffer(frames);
  }

  /**
   * Copies the first {@code max} bytes (or all, when fewer) into {@code dst}: a block's header,
   * to hash it without gathering the block.
   *
   * @return how many bytes were copied
   */
  public int copyStart(byte[] dst, int max) {
    int at = 0;
    for (int i = 0; i < chunks.size() && at < max; i++) {
      Buffer chunk = chunks.get(i);
      int n = Math.min(chunk.length(), max - at);
      chunk.getBytes(0, n, dst, at);
      at += n;
    }
    return at;
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
