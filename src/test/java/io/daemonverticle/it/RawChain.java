package io.daemonverticle.it;

import io.daemonverticle.impl.codec.BlockHash;
import io.daemonverticle.impl.codec.ByteCursor;
import io.daemonverticle.impl.codec.HashHex;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal, independent parser of Bitcoin blocks for the integration tests: header, then
 * every transaction (version, inputs, outputs, segwit witnesses, locktime), with txids
 * computed from the non-witness serialisation. Fails on any byte it cannot account for.
 */
final class RawChain {

  private RawChain() {
  }

  /** One parsed transaction. */
  record Tx(String txid, boolean coinbase, int inputs, int outputs, int size) {
  }

  /** One parsed block. */
  record Block(String hash, String previousHash, List<Tx> txs, int size) {
  }

  static Block parseBlock(byte[] raw) {
    ByteCursor cursor = new ByteCursor(raw);
    cursor.skip(4);
    String previous = HashHex.hashToHex(cursor.bytes(32), 0);
    cursor.skip(32 + 4 + 4 + 4);
    int count = cursor.count();
    List<Tx> txs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      txs.add(parseTx(raw, cursor));
    }
    if (!cursor.atEnd()) {
      throw new IllegalArgumentException(cursor.remaining() + " bytes left after " + count
          + " transactions");
    }
    return new Block(BlockHash.hexHash(raw), previous, txs, raw.length);
  }

  /** Parses one transaction at the cursor, which it leaves just after it. */
  static Tx parseTx(byte[] raw, ByteCursor cursor) {
    int start = cursor.position();
    cursor.skip(4);
    boolean segwit = false;
    int afterVersion = cursor.position();
    if (cursor.remaining() >= 2 && raw[afterVersion] == 0 && raw[afterVersion + 1] == 1) {
      segwit = true;
      cursor.skip(2);
    }
    int bodyStart = cursor.position();
    int inputs = cursor.count(41);
    boolean coinbase = false;
    for (int i = 0; i < inputs; i++) {
      byte[] prevHash = cursor.bytes(32);
      long prevIndex = cursor.u32le();
      coinbase = inputs == 1 && prevIndex == 0xffff_ffffL && Arrays.equals(prevHash,
          new byte[32]);
      cursor.skipVarBytes();
      cursor.skip(4);
    }
    int outputs = cursor.count(9);
    for (int i = 0; i < outputs; i++) {
      cursor.skip(8);
      cursor.skipVarBytes();
    }
    int bodyEnd = cursor.position();
    if (segwit) {
      for (int i = 0; i < inputs; i++) {
        int items = cursor.count();
        for (int j = 0; j < items; j++) {
          cursor.skipVarBytes();
        }
      }
    }
    int lockStart = cursor.position();
    cursor.skip(4);
    ByteArrayOutputStream stripped = new ByteArrayOutputStream();
    stripped.write(raw, start, 4);
    stripped.write(raw, bodyStart, bodyEnd - bodyStart);
    stripped.write(raw, lockStart, 4);
    String txid = HashHex.hashToHex(sha256d(stripped.toByteArray()), 0);
    return new Tx(txid, coinbase, inputs, outputs, cursor.position() - start);
  }

  static byte[] sha256d(byte[] bytes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return sha.digest(sha.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
