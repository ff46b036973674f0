package io.daemonverticle.it;

import io.daemonverticle.impl.codec.BlockHash;
import io.daemonverticle.impl.codec.ByteCursor;
import io.daemonverticle.impl.codec.HashHex;
import io.daemonverticle.impl.codec.TxId;
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

  /**
   * Parses one transaction at the cursor, which it leaves just after it: its id and length
   * by the service's own {@link TxId}, its counts and whether it is a coinbase here.
   */
  static Tx parseTx(byte[] raw, ByteCursor cursor) {
    int start = cursor.position();
    TxId.Read tx = TxId.read(raw, start);
    cursor.skip(4);
    if (cursor.remaining() >= 2 && raw[cursor.position()] == 0
        && raw[cursor.position() + 1] == 1) {
      cursor.skip(2);
    }
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
    cursor.skip(tx.end() - cursor.position());
    return new Tx(tx.txid(), coinbase, inputs, outputs, tx.end() - start);
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
