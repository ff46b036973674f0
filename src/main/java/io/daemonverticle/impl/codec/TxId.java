package io.daemonverticle.impl.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A transaction's id, computed here from its raw bytes: the double SHA-256 of its serialization
 * without witness data (BIP 144), shown byte-reversed as daemons show txids. For a segwit
 * transaction that is version, inputs, outputs and lock time, leaving out the marker, the flag
 * and the witnesses. SmartCash hashes that serialization once ({@link Hash#SHA256}).
 */
public final class TxId {

  /** How a coin hashes a transaction's serialization into its id. */
  public enum Hash {
    /** Double SHA-256: Bitcoin and most of its forks. */
    SHA256D,
    /** One SHA-256: SmartCash. */
    SHA256
  }

  private TxId() {
  }

  /**
   * @param rawTxHex the transaction as hex (as sendrawtransaction takes it)
   * @return its txid, 64 lower-case hex characters
   * @throws IllegalArgumentException when the bytes are not one whole transaction
   */
  public static String of(String rawTxHex) {
    return of(rawTxHex, Hash.SHA256D);
  }

  /** As {@link #of(String)}, for a coin that hashes transactions with {@code hash}. */
  public static String of(String rawTxHex, Hash hash) {
    byte[] raw = HexFormat.of().parseHex(rawTxHex);
    Read tx = read(raw, 0, hash);
    if (tx.end() != raw.length) {
      throw new IllegalArgumentException("bytes after the transaction's lock time");
    }
    return tx.txid();
  }

  /** One transaction read from a byte array: its id, and where the next byte after it is. */
  public record Read(String txid, int end) {
  }

  /**
   * Reads the transaction that starts at {@code start} (in a block, or alone).
   *
   * @throws IllegalArgumentException when the bytes there are not a whole transaction
   */
  public static Read read(byte[] raw, int start) {
    return read(raw, start, Hash.SHA256D);
  }

  /** As {@link #read(byte[], int)}, hashing with {@code hash}. */
  public static Read read(byte[] raw, int start, Hash hash) {
    ByteCursor cursor = new ByteCursor(raw, start);
    cursor.skip(4);
    int afterVersion = cursor.position();
    boolean segwit = raw.length > afterVersion + 1 && raw[afterVersion] == 0
        && raw[afterVersion + 1] == 1;
    if (segwit) {
      cursor.skip(2);
    }
    int inputsStart = cursor.position();
    int inputs = cursor.count(41);
    for (int i = 0; i < inputs; i++) {
      cursor.skip(36);
      cursor.skipVarBytes();
      cursor.skip(4);
    }
    int outputs = cursor.count(9);
    for (int i = 0; i < outputs; i++) {
      cursor.skip(8);
      cursor.skipVarBytes();
    }
    int inputsOutputsEnd = cursor.position();
    if (segwit) {
      for (int i = 0; i < inputs; i++) {
        int items = cursor.count();
        for (int j = 0; j < items; j++) {
          cursor.skipVarBytes();
        }
      }
    }
    int lockTime = cursor.position();
    cursor.skip(4);
    MessageDigest sha256 = sha256();
    sha256.update(raw, start, 4);
    sha256.update(raw, inputsStart, inputsOutputsEnd - inputsStart);
    sha256.update(raw, lockTime, 4);
    byte[] once = sha256.digest();
    byte[] id = hash == Hash.SHA256 ? once : sha256.digest(once);
    return new Read(HashHex.hashToHex(id, 0), cursor.position());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
