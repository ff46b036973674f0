package io.daemonverticle.impl.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How a coin hashes a block's header into the block's hash, for the hash functions the JDK
 * has (ElectrumX's {@code Coin.header_hash}). Only the header's bytes are hashed: at most
 * {@link #MAX_HEADER_SIZE} bytes from the start of the block, never the block.
 */
public enum HeaderHash {

  /** Double SHA-256 of the 80-byte header: Bitcoin and the coins that keep its block hash. */
  SHA256D {
    @Override
    public int headerSize(byte[] start, int available) {
      return BlockHash.HEADER_SIZE;
    }
  },

  /**
   * Zcoin: double SHA-256 of the 80-byte header, or of the 180 bytes an MTP block's header
   * has before its proof (ElectrumX's {@code Zcoin.header_hash}; the proof is not hashed).
   */
  ZCOIN_MTP {
    @Override
    public int headerSize(byte[] start, int available) {
      if (available < 4) {
        return BlockHash.HEADER_SIZE;
      }
      return ZcoinMtp.isMtp(start) ? ZcoinMtp.MTP_HEADER_DATA_START : BlockHash.HEADER_SIZE;
    }
  };

  /** The most header bytes any of these hashes reads from a block's start. */
  public static final int MAX_HEADER_SIZE = ZcoinMtp.MTP_HEADER_DATA_START;

  /**
   * How many bytes from the block's start make its header, from the first {@code available}
   * bytes of the block in {@code start}.
   */
  public abstract int headerSize(byte[] start, int available);

  /**
   * Whether the block whose first {@code available} bytes are in {@code start} (at least its
   * header: {@link #MAX_HEADER_SIZE} bytes, or the whole block when shorter) has the hash
   * {@code wanted} (serialized byte order, as {@link HashHex#hexToHash} gives). A block shorter
   * than its header has no such hash.
   */
  public boolean hashes(byte[] start, int available, byte[] wanted) {
    int size = headerSize(start, available);
    if (available < size) {
      return false;
    }
    return MessageDigest.isEqual(sha256d(start, size), wanted);
  }

  /** The display hex of the header's hash, for saying what a wrong block hashed to. */
  public String hexHash(byte[] start, int available) {
    int size = headerSize(start, available);
    if (available < size) {
      return "nothing (" + available + " bytes, shorter than a header)";
    }
    return HashHex.hashToHex(sha256d(start, size), 0);
  }

  private static byte[] sha256d(byte[] bytes, int length) {
    MessageDigest sha256 = sha256();
    sha256.update(bytes, 0, length);
    return sha256.digest(sha256.digest());
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
