package io.daemonverticle.impl.blocks;

import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.codec.HexSink;
import io.daemonverticle.impl.jsonrpc.PrunedBlock;
import io.daemonverticle.impl.transport.TransientFailure;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the operations make of a batch of hex results (the finishers of
 * {@link HexBatches#batch}): framed blocks, decoded bytes, or the hex texts. Any item with a
 * JSON-RPC error fails the whole with all the errors (422), as {@code JsonRpc.resultsOrFail}
 * does, unless errors are to be replaced; a result that is not hex is a transient failure of
 * the URL that gave it.
 */
public final class HexResults {

  private HexResults() {
  }

  /**
   * The blocks framed in request order: as they were decoded, not copied, when the kind has
   * no per-block byte work ({@code hook} null), else each passed through it and framed into one
   * buffer sized once.
   */
  public static Buffer framedBlocks(HexItem[] items, UnaryOperator<byte[]> hook, long maxBytes) {
    failOnErrors(items);
    long total = 0;
    for (HexItem item : items) {
      total += hexOf(item, "a block").length();
    }
    BatchBytes.check(total, maxBytes);
    if (hook == null) {
      return framedSinks(items);
    }
    List<BlockFrames.Block> blocks = new ArrayList<>(items.length);
    for (HexItem item : items) {
      HexSink hex = hexOf(item, "a block");
      blocks.add(new ArrayBlock(apply(hook, hex.toBytes())));
    }
    return BlockFrames.writeBlocks(blocks);
  }

  /**
   * The decoded blocks framed as the contract's rawBlocks reply without copying them: each
   * block's 4-byte length and then the slabs it was decoded into, as they are (a copy of 10 MB
   * of blocks costs a tenth of what decoding them did, and a G1 humongous array).
   */
  private static Buffer framedSinks(HexItem[] items) {
    CompositeByteBuf frames = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    long total = 0;
    for (HexItem item : items) {
      HexSink hex = item.hex();
      total += 4 + hex.length();
      if (total > Integer.MAX_VALUE) {
        throw DaemonException.badRequest("the blocks asked for add up to more than 2 GB: ask "
            + "for fewer at a time");
      }
      frames.addComponent(true, Unpooled.buffer(4).writeInt((int) hex.length()));
      hex.addTo(frames);
    }
    return BufferInternal.buffer(frames);
  }

  /** The blocks fetched as bytes (REST), framed as {@link #framedBlocks} frames hex ones. */
  public static Buffer framedReceived(List<ReceivedBytes> received, UnaryOperator<byte[]> hook) {
    if (hook == null) {
      return ReceivedBytes.framed(received);
    }
    List<BlockFrames.Block> blocks = new ArrayList<>(received.size());
    for (ReceivedBytes block : received) {
      blocks.add(new ArrayBlock(apply(hook, block.toBytes())));
    }
    return BlockFrames.writeBlocks(blocks);
  }

  /** How many bytes the blocks add up to. */
  public static long size(List<ReceivedBytes> received) {
    long total = 0;
    for (ReceivedBytes block : received) {
      total += block.length();
    }
    return total;
  }

  /** Each result's bytes, in request order. */
  public static List<byte[]> decoded(HexItem[] items) {
    failOnErrors(items);
    List<byte[]> out = new ArrayList<>(items.length);
    for (HexItem item : items) {
      out.add(hexOf(item, "hex").toBytes());
    }
    return out;
  }

  /**
   * Each result's hex text in request order. With {@code replaceErrors} an item that failed is
   * null instead of failing the whole. A null result is kept as null only where
   * {@code nullAllowed} (a transaction the daemon does not have); any other result that is not
   * hex (an object, a number, text that is not hex) is a transient failure of the URL that gave
   * it, never passed on as if it were a transaction or a hash.
   */
  public static JsonArray texts(HexItem[] items, boolean replaceErrors, boolean nullAllowed) {
    if (!replaceErrors) {
      failOnErrors(items);
    }
    JsonArray out = new JsonArray(new ArrayList<>(items.length));
    for (HexItem item : items) {
      if (item.failed() || (nullAllowed && item.hex() == null && item.otherResult() == null)) {
        out.addNull();
      } else {
        out.add(hexOf(item, "hex").text());
      }
    }
    return out;
  }

  /**
   * Fails with the daemon's errors when any item has one: 422, or asked elsewhere when a block
   * is pruned there ({@code PrunedBlock}).
   */
  public static void failOnErrors(HexItem[] items) {
    JsonArray errors = null;
    for (HexItem item : items) {
      if (item.failed()) {
        if (errors == null) {
          errors = new JsonArray();
        }
        errors.add(item.error());
      }
    }
    if (errors != null) {
      throw PrunedBlock.failure(errors);
    }
  }

  private static HexSink hexOf(HexItem item, String what) {
    if (item.hex() == null) {
      throw new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
          "daemon gave a non-string where " + what + " in hex was expected");
    }
    return item.hex();
  }

  /** A codec's refusal is the daemon's malformed data: answered 503 saying what was wrong. */
  private static byte[] apply(UnaryOperator<byte[]> hook, byte[] block) {
    try {
      return hook.apply(block);
    } catch (IllegalArgumentException e) {
      throw DaemonException.unavailable("daemon gave a malformed block: " + e.getMessage());
    }
  }

  private record ArrayBlock(byte[] bytes) implements BlockFrames.Block {
    @Override
    public long length() {
      return bytes.length;
    }

    @Override
    public void appendTo(Buffer out) {
      out.appendBytes(bytes);
    }
  }
}
