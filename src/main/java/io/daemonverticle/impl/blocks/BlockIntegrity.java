package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.codec.HashHex;
import io.daemonverticle.impl.codec.HeaderHash;
import io.daemonverticle.impl.codec.HexSink;
import io.daemonverticle.impl.resilience.RetryLoop;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.core.Future;
import java.util.List;

/**
 * Whether the blocks a daemon gave are the blocks asked for: each block's header, hashed with
 * the coin's header hash, must give the hash it was asked by. A daemon (or a proxy, or a cache
 * in front of it) that gives other bytes fails that attempt as {@code WRONG_BYTES}, a transient
 * failure of its URL, and the block is asked of another URL; it is never served.
 *
 * <p>Cheap: only the header's bytes (80, or 180 for a Zcoin MTP block) are copied out of the
 * block as it was received and hashed, twice SHA-256; the block itself is not copied. A coin
 * whose header hash the JDK does not have (Dash's X11, Decred's BLAKE-256, SmartCash's Keccak)
 * is left unchecked, and says why in {@link #describe()} (the status reply).
 */
public final class BlockIntegrity {

  private final HeaderHash hash;
  private final String unchecked;

  private BlockIntegrity(HeaderHash hash, String unchecked) {
    this.hash = hash;
    this.unchecked = unchecked;
  }

  /** Blocks checked with {@code hash}. */
  public static BlockIntegrity checkedBy(HeaderHash hash) {
    return new BlockIntegrity(hash, null);
  }

  /** Blocks served unchecked, {@code why} said in the status reply. */
  public static BlockIntegrity unchecked(String why) {
    return new BlockIntegrity(null, why);
  }

  /** Whether blocks are checked at all. */
  public boolean checks() {
    return hash != null;
  }

  /** What the status reply says: {@code sha256d}, or {@code unchecked (why)}. */
  public String describe() {
    if (hash == null) {
      return "unchecked (" + unchecked + ")";
    }
    return hash == HeaderHash.SHA256D ? "sha256d" : "sha256d (Zcoin MTP headers: 180 bytes)";
  }

  /** Checks the blocks decoded from a JSON-RPC reply against the hashes, in request order. */
  public void checkHex(List<String> hashes, HexItem[] items) {
    if (hash == null) {
      return;
    }
    byte[] start = new byte[HeaderHash.MAX_HEADER_SIZE];
    for (int i = 0; i < items.length; i++) {
      HexSink hex = items[i].hex();
      if (hex != null) {
        check(hashes.get(i), start, hex.copyStart(start, start.length));
      }
    }
  }

  /** Checks the blocks received over REST against the hashes, in request order. */
  public void checkReceived(List<String> hashes, List<ReceivedBytes> blocks) {
    if (hash == null) {
      return;
    }
    byte[] start = new byte[HeaderHash.MAX_HEADER_SIZE];
    for (int i = 0; i < blocks.size(); i++) {
      check(hashes.get(i), start, blocks.get(i).copyStart(start, start.length));
    }
  }

  private void check(String wanted, byte[] start, int available) {
    if (!hash.hashes(start, available, HashHex.hexToHash(wanted, "block hash"))) {
      // Without the URL: the check runs where it is not known; namingUrl adds it.
      throw new TransientFailure(TransientFailure.Kind.WRONG_BYTES, "block " + wanted
          + " came as bytes whose header hashes to " + hash.hexHash(start, available));
    }
  }

  /**
   * The attempts of {@code exchange}, a wrong block's failure naming the URL that gave it (the
   * check runs where the URL is not known): the log and a 503 say which daemon to look at.
   */
  public <T> RetryLoop.Exchange<T> namingUrl(RetryLoop.Exchange<T> exchange) {
    if (hash == null) {
      return exchange;
    }
    return (url, timeoutMs, cancel) -> exchange.attempt(url, timeoutMs, cancel)
        .recover(failure -> Future.failedFuture(failure instanceof TransientFailure wrong
            && wrong.kind() == TransientFailure.Kind.WRONG_BYTES
            ? new TransientFailure(TransientFailure.Kind.WRONG_BYTES,
                "wrong bytes from " + url + ": " + wrong.getMessage())
            : failure));
  }
}
