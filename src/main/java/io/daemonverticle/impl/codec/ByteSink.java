package io.daemonverticle.impl.codec;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/** Little-endian writer, the counterpart of {@link ByteCursor}, for rebuilding blocks. */
public final class ByteSink {

  private static final long MAX_U32 = 0xffff_ffffL;

  private final ByteArrayOutputStream out;

  public ByteSink() {
    this(64);
  }

  public ByteSink(int initialCapacity) {
    out = new ByteArrayOutputStream(initialCapacity);
  }

  /** CompactSize encoding of {@code value} as a fresh array. */
  public static byte[] encodeVarint(long value) {
    return new ByteSink(9).varint(value).toByteArray();
  }

  public ByteSink u8(int value) {
    if (value < 0 || value > 0xff) {
      throw new IllegalArgumentException("u8 out of range: " + value);
    }
    out.write(value);
    return this;
  }

  public ByteSink u16le(int value) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException("u16 out of range: " + value);
    }
    out.write(value);
    out.write(value >>> 8);
    return this;
  }

  public ByteSink i32le(int value) {
    writeLittleEndian(value, 4);
    return this;
  }

  /** Takes a long so that values from 2^31 to 2^32-1 need no sign tricks at the call site. */
  public ByteSink u32le(long value) {
    if (value < 0 || value > MAX_U32) {
      throw new IllegalArgumentException("u32 out of range: " + value);
    }
    writeLittleEndian(value, 4);
    return this;
  }

  public ByteSink i64le(long value) {
    writeLittleEndian(value, 8);
    return this;
  }

  /** Writes the shortest CompactSize form, the only one Bitcoin Core accepts. */
  public ByteSink varint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint cannot encode a negative value: " + value);
    }
    if (value < 0xfd) {
      out.write((int) value);
    } else if (value <= 0xffff) {
      out.write(0xfd);
      writeLittleEndian(value, 2);
    } else if (value <= MAX_U32) {
      out.write(0xfe);
      writeLittleEndian(value, 4);
    } else {
      out.write(0xff);
      writeLittleEndian(value, 8);
    }
    return this;
  }

  public ByteSink bytes(byte[] bytes) {
    out.writeBytes(Objects.requireNonNull(bytes, "bytes"));
    return this;
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private void writeLittleEndian(long value, int width) {
    for (int i = 0; i < width; i++) {
      out.write((int) (value >>> (8 * i)));
    }
  }
}
