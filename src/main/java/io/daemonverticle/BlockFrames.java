package io.daemonverticle;

import io.daemonverticle.impl.codec.BlockHash;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The rawBlocks reply format of the contract, written by the service and read by its callers:
 * the blocks in request order, each as a 4-byte big-endian length and then its bytes. Public
 * because a caller using the event bus directly (not {@link DaemonClient}) reads it too.
 */
public final class BlockFrames {

  private BlockFrames() {
  }

  /** A block's bytes, however they are held, that can be appended to a reply. */
  public interface Block {
    /** {@return the block's size in bytes} */
    long length();

    /**
     * Appends the block's bytes, {@link #length()} of them.
     *
     * @param out where the block's bytes are appended
     */
    void appendTo(Buffer out);
  }

  /**
   * Frames the blocks into one buffer, sized once: no copy to grow it.
   *
   * @param blocks the blocks, in request order
   * @return the framed reply
   * @throws DaemonException 400 when they add up to more than one buffer can hold
   */
  public static Buffer writeBlocks(List<? extends Block> blocks) {
    long total = 0;
    for (Block block : blocks) {
      total += 4 + block.length();
    }
    if (total > Integer.MAX_VALUE) {
      throw DaemonException.badRequest("the blocks asked for add up to more than 2 GB: ask "
          + "for fewer at a time");
    }
    Buffer out = Buffer.buffer((int) total);
    for (Block block : blocks) {
      out.appendInt((int) block.length());
      block.appendTo(out);
    }
    return out;
  }

  /**
   * The framed size of these blocks.
   *
   * @param blocks the blocks
   * @return their bytes plus 4 for each block's length
   */
  public static long size(List<byte[]> blocks) {
    long total = 0;
    for (byte[] block : blocks) {
      total += 4 + block.length;
    }
    return total;
  }

  /**
   * Frames the blocks into one buffer, sized once.
   *
   * @param blocks the blocks, in request order
   * @return the framed reply
   * @throws DaemonException 400 when they add up to more than one buffer can hold
   */
  public static Buffer write(List<byte[]> blocks) {
    long total = size(blocks);
    if (total > Integer.MAX_VALUE) {
      throw DaemonException.badRequest("the blocks asked for add up to more than 2 GB: ask "
          + "for fewer at a time");
    }
    Buffer out = Buffer.buffer((int) total);
    for (byte[] block : blocks) {
      out.appendInt(block.length).appendBytes(block);
    }
    return out;
  }

  /**
   * Splits a framed reply into its blocks (slices of it, not copies).
   *
   * @param framed a rawBlocks reply
   * @return its blocks, in order
   * @throws IllegalArgumentException when a length runs past the end: not a rawBlocks reply
   */
  public static List<Buffer> read(Buffer framed) {
    List<Buffer> blocks = new ArrayList<>();
    int pos = 0;
    while (pos < framed.length()) {
      int length = pos + 4 <= framed.length() ? framed.getInt(pos) : -1;
      if (length < 0 || (long) pos + 4 + length > framed.length()) {
        throw new IllegalArgumentException("not a rawBlocks reply: block #" + (blocks.size() + 1)
            + " runs past the end at byte " + pos);
      }
      blocks.add(framed.slice(pos + 4, pos + 4 + length));
      pos += 4 + length;
    }
    return blocks;
  }

  /**
   * A block's id where the coin's block hash is the double SHA-256 of its 80-byte header
   * (Bitcoin, Litecoin, Zcoin; Dash, SmartCash and Decred hash their headers differently).
   *
   * @param block a raw block, or at least its header
   * @return the hash as daemons show it (byte-reversed hex), or null for fewer than 80 bytes
   */
  public static String sha256dHash(Buffer block) {
    if (block.length() < BlockHash.HEADER_SIZE) {
      return null;
    }
    return BlockHash.hexHash(block.getBytes(0, BlockHash.HEADER_SIZE));
  }
}
