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
   * Whether the daemon knows the block and it is not in its best chain ({@code getblockheader}
   * answers it, with {@code confirmations} -1): the daemon chose another chain. A daemon that
   * has not seen the block is behind it, and one that has it in its best chain has moved on
   * since the tip being looked at was read: neither is a reorg.
   */
  Future<Boolean> abandoned(String hash);
}
