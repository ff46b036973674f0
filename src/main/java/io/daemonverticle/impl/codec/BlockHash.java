package io.daemonverticle.impl.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/** Bitcoin-style block hash: double SHA-256 of the 80-byte header, shown byte-reversed. */
public final class BlockHash {

  public static final int HEADER_SIZE = 80;

  private BlockHash() {
  }

  /**
   * Hashes the first {@value #HEADER_SIZE} bytes, so a whole raw block may be passed. Only
   * meaningful for coins whose block hash is sha256d (Bitcoin, Zcoin); X11 or Keccak coins such
   * as Dash or SmartCash hash differently.
   */
  public static String hexHash(byte[] header80) {
    Objects.requireNonNull(header80, "header");
    if (header80.length < HEADER_SIZE) {
      throw new IllegalArgumentException(
          "block header must be at least " + HEADER_SIZE + " bytes, got " + header80.length);
    }
    MessageDigest sha256 = sha256();
    sha256.update(header80, 0, HEADER_SIZE);
    byte[] hash = sha256.digest(sha256.digest());
    return HashHex.hashToHex(hash, 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
