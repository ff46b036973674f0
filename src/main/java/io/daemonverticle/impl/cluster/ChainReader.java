package io.daemonverticle.impl.cluster;

import io.vertx.core.Future;

/** What the tip tracker asks the daemon while it looks for a fork. */
public interface ChainReader {

  /** The hash of the daemon's best chain at {@code height} ({@code getblockhash}). */
  Future<String> hashAt(int height);

  /**
   * The parent of a block the daemon knows, in its best chain or not ({@code getblockheader}'s
   * {@code previousblockhash}): how the old branch is followed below the hashes kept.
   */
  Future<String> parentOf(String hash);

  /**
   * Whether the daemon knows the block at all ({@code getblockheader} answers it), in its best
   * chain or not: a daemon that has not seen the published tip is behind it, not on a fork.
   */
  Future<Boolean> knows(String hash);
}
