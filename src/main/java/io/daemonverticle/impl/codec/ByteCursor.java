package io.daemonverticle.impl.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * Bounds-checked little-endian reader over a byte array.
 *
 * <p>Block bytes come from a remote daemon and may be truncated or corrupt, so every read checks
 * the remaining length first and fails with an {@link IllegalArgumentException} naming the field
 * and offset, rather than leaking an {@code ArrayIndexOutOfBoundsException} from deep inside a
 * parser.
 */
public final class ByteCursor {

  private final byte[] bytes;
  private int position;

  public ByteCursor(byte[] bytes) {
    this(bytes, 0);
  }

  public ByteCursor(byte[] bytes, int start) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    if (start < 0 || start > bytes.length) {
      throw new IllegalArgumentException(
          "start offset " + start + " is outside an input of " + bytes.length + " bytes");
    }
    this.position = start;
  }

  /** Offset of the next byte to be read, counted from the start of the whole array. */
  public int position() {
    return position;
  }

  public int remaining() {
    return bytes.length - position;
  }

  public boolean atEnd() {
    return position == bytes.length;
  }

  public int u8() {
    require(1, "u8");
    return bytes[position++] & 0xff;
  }

  public int u16le() {
    require(2, "u16le");
    int value = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8;
    position += 2;
    return value;
  }

  public int i32le() {
    require(4, "i32le");
    int value = littleEndianInt(position);
    position += 4;
    return value;
  }

  /** Returned as a long because uint32 fields (versions, times, indexes) use the full 32 bits. */
  public long u32le() {
    require(4, "u32le");
    long value = littleEndianInt(position) & 0xffff_ffffL;
    position += 4;
    return value;
  }

  public long i64le() {
    require(8, "i64le");
    long low = littleEndianInt(position) & 0xffff_ffffL;
    long high = littleEndianInt(position + 4);
    position += 8;
    return high << 32 | low;
  }

  /**
   * Reads a Bitcoin CompactSize integer.
   *
   * <p>Non-canonical encodings (e.g. {@code fd 01 00}) are accepted, as ElectrumX accepts them:
   * this reader indexes what a daemon already validated, it does not enforce consensus rules.
   * Values of 2^63 and above are rejected because no length or count on any chain gets there and
   * they would turn negative in a Java long.
   */
  public long varint() {
    int start = position;
    int prefix = u8();
    long value;
    if (prefix < 0xfd) {
      return prefix;
    } else if (prefix == 0xfd) {
      value = readVarintBody(2, start);
    } else if (prefix == 0xfe) {
      value = readVarintBody(4, start);
    } else {
      value = readVarintBody(8, start);
      if (value < 0) {
        throw new IllegalArgumentException(
            "varint at offset " + start + " is 2^63 or more (" + Long.toUnsignedString(value)
                + "), too large to be a length or count");
      }
    }
    return value;
  }

  /** Reads a CompactSize element count where every element occupies at least one byte. */
  public int count() {
    return count(1);
  }

  /**
   * Reads a CompactSize element count and rejects it unless that many elements of at least
   * {@code minBytesEach} bytes could fit in what is left, so a corrupt count fails at once with a
   * clear message instead of driving a long loop into a truncation error.
   */
  public int count(int minBytesEach) {
    if (minBytesEach < 1) {
      throw new IllegalArgumentException("minBytesEach must be positive: " + minBytesEach);
    }
    int start = position;
    long count = varint();
    if (count > remaining() / minBytesEach) {
      throw new IllegalArgumentException(
          "count " + count + " at offset " + start + " cannot fit: " + count + " elements of at least "
              + minBytesEach + " byte(s) each need more than the " + remaining() + " bytes remaining");
    }
    return (int) count;
  }

  public void skip(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot skip a negative byte count: " + n);
    }
    if (n > remaining()) {
      throw truncated(n, "skip");
    }
    position += (int) n;
  }

  /** Skips a CompactSize-prefixed byte string (a script) and returns its length. */
  public int skipVarBytes() {
    int start = position;
    long length = varint();
    if (length > remaining()) {
      throw new IllegalArgumentException(
          "truncated input: length-prefixed bytes at offset " + start + " claim " + length + " bytes but only "
              + remaining() + " remain");
    }
    position += (int) length;
    return (int) length;
  }

  public byte[] bytes(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot read a negative byte count: " + n);
    }
    require(n, "bytes");
    byte[] out = Arrays.copyOfRange(bytes, position, position + n);
    position += n;
    return out;
  }

  private long readVarintBody(int width, int start) {
    if (remaining() < width) {
      throw new IllegalArgumentException(
          "truncated input: varint at offset " + start + " announces " + width
              + " more bytes but only " + remaining() + " remain");
    }
    long value = 0;
    for (int i = width - 1; i >= 0; i--) {
      value = value << 8 | (bytes[position + i] & 0xff);
    }
    position += width;
    return value;
  }

  private int littleEndianInt(int at) {
    return (bytes[at] & 0xff)
        | (bytes[at + 1] & 0xff) << 8
        | (bytes[at + 2] & 0xff) << 16
        | (bytes[at + 3] & 0xff) << 24;
  }

  private void require(int n, String what) {
    if (n > remaining()) {
      throw truncated(n, what);
    }
  }

  private IllegalArgumentException truncated(long n, String what) {
    return new IllegalArgumentException(
        "truncated input: " + what + " at offset " + position + " needs " + n + " bytes but only "
            + remaining() + " remain");
  }
}
