package io.daemonverticle.bench;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fake daemon serves, asked of it directly (not through the service) before a
 * workload's first pass, and the checks that the service's answers are that, byte for byte: a
 * benchmark that times wrong answers must fail, not report their speed. Every block of the fake
 * holds the same transactions behind its own 80-byte header (fake-daemon.js), so a block is
 * right when its header hashes to the hash asked for and the rest equals block 0's; a
 * transaction's hex must equal the fake's, and the height its tip.
 *
 * <p>Comparing every byte of a block costs about a tenth of a millisecond a megabyte (10 MB in
 * 0.9-1.7 ms on the bench's 2-core machine), as long as the service takes to deliver it over
 * REST: in a timed pass it would halve the figure it checks. So the untimed passes, which run
 * the same service code first, compare every byte; a timed pass compares each block's length,
 * its header's hash and a stripe of a 64th of the rest, the next stripe for the next block, so
 * that every byte offset is compared every 64 blocks (about 1 % of the request's time).
 * Transactions and heights are compared whole in every pass.
 */
final class Expected {

  private static final int HEADER_BYTES = 80;
  /** A timed pass compares one stripe in this many of each block's bytes after the header. */
  static final int STRIPES = 64;
  /** getblockhash, getblock and getrawtransaction calls per batch asked of the fake. */
  private static final int FETCH_BATCH = 500;

  private final int tip;
  private final byte[] body;
  private final List<String> txids;
  private final Map<String, String> txHex;
  /** The stripe the next block of a timed pass is compared in. */
  private int stripe;

  /**
   * @param tip   the fake's height
   * @param body  the bytes of every block after its header
   * @param txHex block 0's transactions' hex by txid, in block order (an ordered map)
   */
  Expected(int tip, byte[] body, Map<String, String> txHex) {
    this.tip = tip;
    this.body = body.clone();
    this.txids = List.copyOf(txHex.keySet());
    this.txHex = Map.copyOf(txHex);
  }

  /**
   * Asks the fake daemon for its tip, block 0 raw and verbose, and block 0's transactions if
   * {@code transactions} (else none are expected: they are not held in the heap of a JVM whose
   * heap the benchmark measures with blocks).
   */
  static Expected fetch(FakeDaemonPort daemon, boolean transactions)
      throws IOException, InterruptedException {
    int tip = daemon.batch(new JsonArray().add(call("getblockcount", new JsonArray())))
        .getInteger(0);
    String hash = daemon.batch(new JsonArray().add(call("getblockhash", new JsonArray().add(0))))
        .getString(0);
    JsonArray blocks = daemon.batch(new JsonArray()
        .add(call("getblock", new JsonArray().add(hash).add(false)))
        .add(call("getblock", new JsonArray().add(hash).add(1))));
    byte[] block = HexFormat.of().parseHex(blocks.getString(0));
    if (block.length < HEADER_BYTES || !headerHash(Buffer.buffer(block)).equals(hash)) {
      throw new IOException("the fake daemon's block 0 does not hash to " + hash);
    }
    byte[] body = new byte[block.length - HEADER_BYTES];
    System.arraycopy(block, HEADER_BYTES, body, 0, body.length);
    JsonArray ids = blocks.getJsonObject(1).getJsonArray("tx");
    Map<String, String> txHex = new LinkedHashMap<>();
    for (int first = 0; transactions && first < ids.size(); first += FETCH_BATCH) {
      JsonArray calls = new JsonArray();
      for (int i = first; i < Math.min(ids.size(), first + FETCH_BATCH); i++) {
        calls.add(call("getrawtransaction", new JsonArray().add(ids.getString(i)).add(0)));
      }
      JsonArray hexes = daemon.batch(calls);
      for (int i = 0; i < hexes.size(); i++) {
        txHex.put(ids.getString(first + i), hexes.getString(i));
      }
    }
    return new Expected(tip, body, txHex);
  }

  private static JsonObject call(String method, JsonArray params) {
    return new JsonObject().put("jsonrpc", "1.0").put("method", method).put("params", params)
        .put("id", 0);
  }

  /**
   * Block 0's txids, in block order: what the transactions workload asks for; none if fetched
   * without them.
   */
  List<String> txids() {
    return txids;
  }

  /** The size of every block. */
  int blockBytes() {
    return HEADER_BYTES + body.length;
  }

  /** @throws IllegalStateException unless {@code height} is the fake's tip */
  void height(int height) {
    if (height != tip) {
      throw new IllegalStateException("height gave " + height + ", the fake daemon's tip is "
          + tip);
    }
  }

  /**
   * @return the transactions' count
   * @throws IllegalStateException unless each hex is the fake's for the txid asked in its place
   */
  long transactions(List<String> asked, List<String> hexes) {
    if (hexes.size() != asked.size()) {
      throw new IllegalStateException("getRawTransactions gave " + hexes.size()
          + " answers for " + asked.size() + " txids");
    }
    for (int i = 0; i < asked.size(); i++) {
      String expected = txHex.get(asked.get(i));
      if (expected == null || !expected.equals(hexes.get(i))) {
        throw new IllegalStateException("getRawTransactions gave a wrong transaction for "
            + asked.get(i) + ": " + abbreviated(hexes.get(i)));
      }
    }
    return asked.size();
  }

  /**
   * @param everyByte whether to compare every byte, or one stripe of each block (above)
   * @return the blocks' bytes
   * @throws IllegalStateException unless each block is the fake's block of the hash asked in
   *     its place: its length, its header's hash, and the bytes compared
   */
  long blocks(List<String> asked, List<Buffer> blocks, boolean everyByte) {
    if (blocks.size() != asked.size()) {
      throw new IllegalStateException("rawBlocks gave " + blocks.size() + " blocks for "
          + asked.size() + " hashes");
    }
    long bytes = 0;
    for (int i = 0; i < blocks.size(); i++) {
      Buffer block = blocks.get(i);
      String hash = asked.get(i);
      if (block.length() != blockBytes()) {
        throw new IllegalStateException("rawBlocks gave " + block.length() + " bytes for "
            + hash + ", not " + blockBytes());
      }
      if (!headerHash(block).equals(hash)) {
        throw new IllegalStateException("rawBlocks gave a block whose header hashes to "
            + headerHash(block) + " for " + hash);
      }
      long wrong;
      if (everyByte) {
        wrong = mismatch(block, HEADER_BYTES, body, 0, body.length);
      } else {
        int size = (body.length + STRIPES - 1) / STRIPES;
        int from = Math.min(stripe * size, body.length);
        stripe = (stripe + 1) % STRIPES;
        wrong = mismatch(block, HEADER_BYTES + from, body, from,
            Math.min(size, body.length - from));
      }
      if (wrong >= 0) {
        throw new IllegalStateException("rawBlocks gave a wrong byte at " + wrong + " of "
            + hash);
      }
      bytes += block.length();
    }
    return bytes;
  }

  /**
   * Where the {@code length} bytes of {@code buffer} from {@code from} first differ from those
   * of {@code expected} from {@code expectedFrom}, as an index into the buffer, or -1 if they
   * are equal. Compared piece by piece where the buffer is a composite of received chunks,
   * with the JDK's vectorised mismatch, not copied. The buffer must hold the bytes.
   */
  static long mismatch(Buffer buffer, int from, byte[] expected, int expectedFrom,
                       int length) {
    ByteBuf buf = ((BufferInternal) buffer).getByteBuf();
    int at = 0;
    for (ByteBuffer piece : buf.nioBuffers(buf.readerIndex() + from, length)) {
      int n = piece.remaining();
      int differs = ByteBuffer.wrap(expected, expectedFrom + at, n).mismatch(piece);
      if (differs >= 0) {
        return from + at + (long) differs;
      }
      at += n;
    }
    return -1;
  }

  /** A block's id: the double SHA-256 of its 80-byte header, byte-reversed, in hex. */
  static String headerHash(Buffer block) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha.digest(sha.digest(block.getBytes(0, HEADER_BYTES)));
      for (int i = 0, j = hash.length - 1; i < j; i++, j--) {
        byte b = hash[i];
        hash[i] = hash[j];
        hash[j] = b;
      }
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviated(String hex) {
    return hex == null ? "null" : hex.length() <= 24 ? hex
        : hex.substring(0, 24) + "... (" + hex.length() + " digits)";
  }
}
