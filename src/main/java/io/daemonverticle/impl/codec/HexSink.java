package io.daemonverticle.impl.codec;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One hex string of a reply, fed in the pieces it arrives in: checked digit by digit and kept
 * either decoded (blocks) or as its text (txids, raw transactions that are answered as hex).
 * Kept in slabs that grow from 1 KiB to 128 KiB, so a small string costs little, a large one
 * is never copied to grow and no slab is a G1 humongous object. Blocks go into the reply as
 * these slabs (see {@link #addTo}); other results are copied once, at the end.
 */
public final class HexSink {

  private static final int FIRST_SLAB = 1024;
  private static final int LARGEST_SLAB = 128 * 1024;

  private final boolean text;
  private final boolean vectors;
  private final List<byte[]> slabs = new ArrayList<>();
  private final List<Integer> used = new ArrayList<>();
  private byte[] slab;
  private int pos;
  private long kept;
  private long digits;
  private int high = -1;

  /** @param text keep the hex text itself instead of decoding it */
  public HexSink(boolean text) {
    this(text, HexBulk.VECTORS);
  }

  /** @param vectors whether the bulk goes through {@link HexBulk} (tests try both ways) */
  HexSink(boolean text, boolean vectors) {
    this.text = text;
    this.vectors = vectors;
  }

  /**
   * Takes digits from {@code bytes[from, to)} up to the closing quote.
   *
   * @return the index just after the closing quote, or -1 when the piece ended first
   * @throws IllegalArgumentException at a byte that is no hex digit (an escape included)
   */
  public int feed(byte[] bytes, int from, int to) {
    int p = from;
    while (p < to) {
      if (high < 0) {
        p = fast(bytes, p, to);
        if (p >= to) {
          break;
        }
      }
      byte b = bytes[p];
      if (b == '"') {
        return p + 1;
      }
      int n = HexDigits.nibble(b);
      if (n < 0) {
        throw new IllegalArgumentException("a hex result holds " + describe(b) + " after "
            + digits + " digits");
      }
      digits++;
      if (text) {
        put(b);
      } else if (high < 0) {
        high = n;
      } else {
        put((byte) (high << 4 | n));
        high = -1;
      }
      p++;
    }
    return -1;
  }

  /**
   * A vector step at a time while there is one (see {@link HexBulk}), then eight digits at a
   * time while there are eight; stops at anything else.
   */
  private int fast(byte[] bytes, int from, int to) {
    int p = vectors ? bulk(bytes, from, to) : from;
    int step = text ? 8 : 4;
    while (p + 8 <= to) {
      long v = HexDigits.read8(bytes, p);
      if (!HexDigits.allHex(v)) {
        break;
      }
      if (slab == null || pos + step > slab.length) {
        nextSlab();
      }
      if (text) {
        HexDigits.write8(slab, pos, v);
      } else {
        HexDigits.write4(slab, pos, HexDigits.pack(v));
      }
      pos += step;
      kept += step;
      digits += 8;
      p += 8;
    }
    return p;
  }

  private int bulk(byte[] bytes, int from, int to) {
    int p = from;
    int stepDigits = HexBulk.step();
    int stepOut = text ? stepDigits : stepDigits / 2;
    while (to - p >= stepDigits) {
      if (slab == null || slab.length - pos < stepOut) {
        nextSlab();
      }
      // As many digits as the slab has room for: the kernels write whole steps.
      int room = text ? slab.length - pos : (slab.length - pos) * 2;
      int end = p + Math.min(to - p, room);
      int taken = text ? HexBulk.copy(bytes, p, end, slab, pos)
          : HexBulk.decode(bytes, p, end, slab, pos);
      if (taken == 0) {
        break;
      }
      int out = text ? taken : taken / 2;
      pos += out;
      kept += out;
      digits += taken;
      p += taken;
    }
    return p;
  }

  /** The closing quote was seen: the string must have a whole number of bytes. */
  public void finish() {
    if ((digits & 1) != 0) {
      throw new IllegalArgumentException("a hex result has an odd number of digits ("
          + digits + ")");
    }
    if (slab != null) {
      used.add(pos);
    }
  }

  /** Bytes kept: decoded bytes, or hex characters in text mode. */
  public long length() {
    return kept;
  }

  /** Copies what is kept into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    int at = offset;
    for (int i = 0; i < slabs.size(); i++) {
      int n = used.get(i);
      System.arraycopy(slabs.get(i), 0, dst, at, n);
      at += n;
    }
  }

  /**
   * Copies the first {@code max} bytes kept (or all, when fewer) into {@code dst}: a block's
   * header, to hash it without a copy of the block.
   *
   * @return how many bytes were copied
   */
  public int copyStart(byte[] dst, int max) {
    int at = 0;
    for (int i = 0; i < slabs.size() && at < max; i++) {
      int n = Math.min(i < used.size() ? used.get(i) : pos, max - at);
      System.arraycopy(slabs.get(i), 0, dst, at, n);
      at += n;
    }
    return at;
  }

  /** Adds what is kept to {@code out} as it lies (its slabs wrapped, not copied). */
  public void addTo(CompositeByteBuf out) {
    for (int i = 0; i < slabs.size(); i++) {
      out.addComponent(true, Unpooled.wrappedBuffer(slabs.get(i), 0, used.get(i)));
    }
  }

  /** What is kept, as one array. */
  public byte[] toBytes() {
    if (kept > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a hex result of " + kept + " bytes is too large");
    }
    if (slabs.size() == 1 && used.get(0) == slabs.get(0).length) {
      return slabs.get(0);
    }
    byte[] all = new byte[(int) kept];
    copyTo(all, 0);
    return all;
  }

  /** The hex text (text mode). */
  public String text() {
    byte[] all = toBytes();
    return new String(all, 0, (int) kept, StandardCharsets.ISO_8859_1);
  }

  private void put(byte b) {
    if (slab == null || pos == slab.length) {
      nextSlab();
    }
    slab[pos++] = b;
    kept++;
  }

  private void nextSlab() {
    if (slab != null) {
      used.add(pos);
    }
    int size = slab == null ? FIRST_SLAB : Math.min(LARGEST_SLAB, slab.length * 2);
    slab = new byte[size];
    slabs.add(slab);
    pos = 0;
  }

  private static String describe(byte b) {
    if (b == '\\') {
      return "an escape";
    }
    return b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xFF);
  }
}
