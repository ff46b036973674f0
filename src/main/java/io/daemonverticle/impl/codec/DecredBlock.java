package io.daemonverticle.impl.codec;

import java.util.Objects;

/**
 * Reads and rewrites raw Decred blocks for ElectrumX's DecredDaemon.
 *
 * <p>Stakeholders vote on the previous block's regular transaction tree; when they disapprove it,
 * those transactions never happened, so the daemon hands the indexer a copy of that block with an
 * empty regular tree and only the stake tree kept.
 */
public final class DecredBlock {

  public static final int HEADER_SIZE = 180;
  public static final int PARENT_HASH_OFFSET = 4;
  public static final int VOTE_BITS_OFFSET = 100;

  /** Vote bit 0 approves the parent block's regular transaction tree. */
  private static final int VOTE_BIT_PARENT_REGULAR_TREE_VALID = 0x0001;

  /**
   * Upper 16 bits of Decred's serialized version: 0 = full, 1 = prefix only, 2 = witness only,
   * others deprecated signing forms. A block stores every transaction in full.
   */
  private static final int SERIALIZATION_FULL = 0;

  // Smallest possible encodings, used to reject counts that cannot fit before looping on them.
  private static final int MIN_INPUT_SIZE = 32 + 4 + 1 + 4;
  private static final int MIN_OUTPUT_SIZE = 8 + 2 + 1;
  private static final int MIN_WITNESS_SIZE = 8 + 4 + 4 + 1;
  private static final int MIN_TX_SIZE = 4 + 1 + 1 + 4 + 4 + 1;

  private DecredBlock() {
  }

  /** Display hex of the previous block hash, bytes [4, 36). */
  public static String parentHash(byte[] block) {
    requireHeader(block);
    return HashHex.hashToHex(block, PARENT_HASH_OFFSET);
  }

  /** The uint16 LE vote bits at bytes [100, 102), voted by this block on its parent. */
  public static int voteBits(byte[] block) {
    requireHeader(block);
    return new ByteCursor(block, VOTE_BITS_OFFSET).u16le();
  }

  public static boolean parentRegularTreeValid(int voteBits) {
    return (voteBits & VOTE_BIT_PARENT_REGULAR_TREE_VALID) != 0;
  }

  /** Offset just past the regular transaction tree, which starts right after the header. */
  public static int regularTreeEnd(byte[] block) {
    requireHeader(block);
    ByteCursor cursor = new ByteCursor(block, HEADER_SIZE);
    skipTree(cursor, "regular");
    return cursor.position();
  }

  /**
   * Parses both transaction trees and returns {@code {regular, stake}} counts, rejecting any
   * bytes left after the stake tree since they mean the block was misparsed or corrupt.
   */
  public static int[] countTransactions(byte[] block) {
    Trees trees = parseTrees(block);
    return new int[] {trees.regularCount(), trees.stakeCount()};
  }

  /**
   * The header, an empty regular tree (a single zero count byte), then the stake tree byte for
   * byte. The whole block is parsed first so that a corrupt block is refused here rather than
   * passed on half-rewritten.
   */
  public static byte[] stripRegularTree(byte[] block) {
    int stakeStart = parseTrees(block).regularEnd();
    int stakeLength = block.length - stakeStart;
    byte[] stripped = new byte[HEADER_SIZE + 1 + stakeLength];
    System.arraycopy(block, 0, stripped, 0, HEADER_SIZE);
    stripped[HEADER_SIZE] = 0;
    System.arraycopy(block, stakeStart, stripped, HEADER_SIZE + 1, stakeLength);
    return stripped;
  }

  private record Trees(int regularCount, int regularEnd, int stakeCount) {
  }

  private static Trees parseTrees(byte[] block) {
    requireHeader(block);
    ByteCursor cursor = new ByteCursor(block, HEADER_SIZE);
    int regular = skipTree(cursor, "regular");
    int regularEnd = cursor.position();
    int stake = skipTree(cursor, "stake");
    if (!cursor.atEnd()) {
      throw new IllegalArgumentException(
          "malformed Decred block: " + cursor.remaining() + " trailing bytes after the stake tree"
              + " at offset " + cursor.position());
    }
    return new Trees(regular, regularEnd, stake);
  }

  private static void requireHeader(byte[] block) {
    Objects.requireNonNull(block, "block");
    if (block.length < HEADER_SIZE) {
      throw new IllegalArgumentException(
          "Decred block of " + block.length + " bytes is shorter than its " + HEADER_SIZE
              + "-byte header");
    }
  }

  private static int skipTree(ByteCursor cursor, String tree) {
    int count;
    try {
      count = cursor.count(MIN_TX_SIZE);
    } catch (IllegalArgumentException e) {
      throw malformed(tree + " tree transaction count", e);
    }
    for (int i = 0; i < count; i++) {
      int start = cursor.position();
      try {
        skipTransaction(cursor);
      } catch (IllegalArgumentException e) {
        throw malformed(tree + " tree transaction " + i + " (of " + count + ") at offset " + start, e);
      }
    }
    return count;
  }

  private static void skipTransaction(ByteCursor cursor) {
    int version = cursor.i32le();
    int serialization = version >>> 16;
    if (serialization != SERIALIZATION_FULL) {
      throw new IllegalArgumentException(
          "serialization type " + serialization + " (version field 0x"
              + Integer.toHexString(version) + "); blocks hold only full (type 0) transactions");
    }
    int inputs = cursor.count(MIN_INPUT_SIZE);
    // prev hash, prev index, prev tree, sequence
    cursor.skip((long) inputs * MIN_INPUT_SIZE);
    int outputs = cursor.count(MIN_OUTPUT_SIZE);
    for (int i = 0; i < outputs; i++) {
      cursor.skip(8 + 2); // value, script version
      cursor.skipVarBytes();
    }
    cursor.skip(4 + 4); // lock time, expiry
    int witnessStart = cursor.position();
    int witnesses = cursor.count(MIN_WITNESS_SIZE);
    if (witnesses != inputs) {
      throw new IllegalArgumentException(
          "witness count " + witnesses + " at offset " + witnessStart + " differs from the input count "
              + inputs);
    }
    for (int i = 0; i < witnesses; i++) {
      cursor.skip(8 + 4 + 4); // value in, block height, block index
      cursor.skipVarBytes();
    }
  }

  private static IllegalArgumentException malformed(String where, IllegalArgumentException cause) {
    return new IllegalArgumentException(
        "malformed Decred block: " + where + ": " + cause.getMessage(), cause);
  }
}
