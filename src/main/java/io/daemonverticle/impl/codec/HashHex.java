package io.daemonverticle.impl.codec;

import java.util.HexFormat;
import java.util.Objects;

/**
 * Converts 32-byte hashes between their serialized byte order and the hex daemons display
 * (ElectrumX's hash_to_hex_str and hex_str_to_hash).
 *
 * <p>Bitcoin-family RPCs print hashes as big-endian numbers while blocks store them
 * little-endian, so the two differ by a byte reversal.
 */
public final class HashHex {

  public static final int HASH_SIZE = 32;

  private static final HexFormat HEX = HexFormat.of();

  private HashHex() {
  }

  /** Display hex of the {@value #HASH_SIZE} serialized bytes starting at {@code offset}. */
  public static String hashToHex(byte[] bytes, int offset) {
    Objects.requireNonNull(bytes, "bytes");
    if (offset < 0 || offset > bytes.length - HASH_SIZE) {
      throw new IllegalArgumentException(
          "no " + HASH_SIZE + "-byte hash at offset " + offset + " of a " + bytes.length
              + "-byte input");
    }
    byte[] hash = new byte[HASH_SIZE];
    for (int i = 0; i < HASH_SIZE; i++) {
      hash[i] = bytes[offset + HASH_SIZE - 1 - i];
    }
    return HEX.formatHex(hash);
  }

  /** Serialized bytes of a displayed hash; {@code what} names it in error messages. */
  public static byte[] hexToHash(String hex, String what) {
    Objects.requireNonNull(hex, what);
    if (hex.length() != 2 * HASH_SIZE) {
      throw new IllegalArgumentException(
          what + " must be " + 2 * HASH_SIZE + " hex digits, got " + hex.length() + ": " + hex);
    }
    byte[] bytes;
    try {
      bytes = HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid hex: " + hex, e);
    }
    reverseInPlace(bytes);
    return bytes;
  }

  private static void reverseInPlace(byte[] bytes) {
    for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
      byte b = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = b;
    }
  }
}
