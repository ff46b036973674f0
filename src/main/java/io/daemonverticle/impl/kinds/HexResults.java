package io.daemonverticle.impl.kinds;

import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.codec.HexSink;
import io.daemonverticle.impl.rpc.BatchBytes;
import io.daemonverticle.impl.rpc.HexItem;
import io.daemonverticle.impl.rpc.ReceivedBytes;
import io.daemonverticle.impl.rpc.TransientFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the operations make of a batch of hex results (the finishers of
 * {@code JsonRpc.hexBatch}): framed blocks, decoded bytes, or the hex texts. Any item with a
 * JSON-RPC error fails the whole with all the errors (422), as {@code JsonRpc.resultsOrFail}
 * does, unless errors are to be replaced; a result that is not hex is a transient failure of
 * the URL that gave it.
 */
final class HexResults {

  private HexResults() {
  }

  /**
   * The blocks framed in request order into one buffer sized once, each passed through the
   * kind's per-block byte work first (null: none, the decoded bytes are framed as they are).
   */
  static Buffer framedBlocks(HexItem[] items, UnaryOperator<byte[]> hook, long maxBytes) {
    failOnErrors(items);
    long total = 0;
    for (HexItem item : items) {
      total += hexOf(item, "a block").length();
    }
    BatchBytes.check(total, maxBytes);
    List<BlockFrames.Block> blocks = new ArrayList<>(items.length);
    for (HexItem item : items) {
      HexSink hex = hexOf(item, "a block");
      blocks.add(hook == null ? new SinkBlock(hex) : new ArrayBlock(apply(hook, hex.toBytes())));
    }
    return BlockFrames.writeBlocks(blocks);
  }

  /** The blocks fetched as bytes (REST), framed as {@link #framedBlocks} frames hex ones. */
  static Buffer framedReceived(List<ReceivedBytes> received, UnaryOperator<byte[]> hook) {
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
  static long size(List<ReceivedBytes> received) {
    long total = 0;
    for (ReceivedBytes block : received) {
      total += block.length();
    }
    return total;
  }

  /** Each result's bytes, in request order. */
  static List<byte[]> decoded(HexItem[] items) {
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
  static JsonArray texts(HexItem[] items, boolean replaceErrors, boolean nullAllowed) {
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

  private static void failOnErrors(HexItem[] items) {
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
      throw DaemonRpcException.of(errors);
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

  private record SinkBlock(HexSink hex) implements BlockFrames.Block {
    @Override
    public long length() {
      return hex.length();
    }

    @Override
    public void appendTo(Buffer out) {
      hex.appendTo(out);
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
