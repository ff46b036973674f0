package io.daemonverticle.impl.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hex digits to bytes, 8 at a time: 8 ASCII characters are read as one little-endian
 * {@code long}, checked all at once and turned into 4 bytes with shifts and masks (SWAR). The
 * daemon's hex is the bulk of a blocks reply, and decoding it is what limits rawBlocks (issue
 * 13 measured 618 MB/s of blocks this way against 505 MB/s with a byte lookup table, on one
 * event loop). Exact: every input byte is checked, upper and lower case are taken, anything
 * else is refused (HexDigitsTest tries every byte value in every position).
 */
public final class HexDigits {

  static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final byte[] NIBBLE = new byte[256];

  static {
    java.util.Arrays.fill(NIBBLE, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      NIBBLE[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      NIBBLE[c] = (byte) (c - 'a' + 10);
      NIBBLE[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
    }
  }

  private HexDigits() {
  }

  /** The value of one hex digit, or -1 for any other byte. */
  public static int nibble(byte b) {
    return NIBBLE[b & 0xFF];
  }

  /** Whether all 8 bytes of {@code v} are hex digits (0-9, a-f, A-F). */
  public static boolean allHex(long v) {
    // With every byte below 0x80, adding a constant to each byte cannot carry into the next
    // one, and the sum's high bit says whether the byte reached a bound.
    if ((v & HIGH_BITS) != 0) {
      return false;
    }
    long atLeast0 = v + 0x5050505050505050L;
    long pastDigits = v + 0x4646464646464646L;
    long lower = v | 0x2020202020202020L;
    long atLeastA = lower + 0x1F1F1F1F1F1F1F1FL;
    long pastF = lower + 0x1919191919191919L;
    long ok = (atLeast0 & ~pastDigits) | (atLeastA & ~pastF);
    return (ok & HIGH_BITS) == HIGH_BITS;
  }

  /**
   * The 4 bytes that 8 hex digits (checked by {@link #allHex}) stand for, as a little-endian
   * int: the first two digits are its lowest byte.
   */
  public static int pack(long v) {
    // Letters have bit 6 set, digits not; a letter's low nibble is its value - 9.
    long letters = (v >>> 6) & 0x0101010101010101L;
    long nibbles = (v & 0x0F0F0F0F0F0F0F0FL) + letters * 9;
    long t = ((nibbles << 4) | (nibbles >>> 8)) & 0x00FF00FF00FF00FFL;
    t = (t | (t >>> 8)) & 0x0000FFFF0000FFFFL;
    t = (t | (t >>> 16)) & 0x00000000FFFFFFFFL;
    return (int) t;
  }

  /** Reads 8 bytes at {@code pos} as a little-endian long. */
  public static long read8(byte[] bytes, int pos) {
    return (long) LONG_LE.get(bytes, pos);
  }

  /** Writes {@code value} as 4 little-endian bytes at {@code pos}. */
  public static void write4(byte[] bytes, int pos, int value) {
    INT_LE.set(bytes, pos, value);
  }

  /** Writes {@code value} as 8 little-endian bytes at {@code pos}. */
  public static void write8(byte[] bytes, int pos, long value) {
    LONG_LE.set(bytes, pos, value);
  }
}
