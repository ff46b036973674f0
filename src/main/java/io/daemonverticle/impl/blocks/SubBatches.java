package io.daemonverticle.impl.blocks;

/**
 * How many sub-batches a blocks request is cut into (see {@code HexBatchLanes}), from the
 * size of the blocks of the last request: a sync asks for neighbouring blocks, and they are
 * of a size. Cutting pays only where decoding a batch takes longer than sending one more HTTP
 * request: at least {@link #BYTES_PER_SUB_BATCH} of blocks each. Until a request has shown the
 * blocks' size (the first one, small regtest blocks), one batch.
 */
public final class SubBatches {

  /** The fewest bytes of blocks worth a sub-batch of their own. */
  static final long BYTES_PER_SUB_BATCH = 2L * 1024 * 1024;
  /** Most sub-batches of one request. */
  static final int MAX_SUB_BATCHES = 8;

  /** The average block of the last request, in bytes; 0: none seen yet. */
  private long averageBlockBytes;

  /** How many sub-batches for {@code blocks} blocks. */
  public int forBlocks(int blocks) {
    long expected = averageBlockBytes * blocks;
    long parts = expected / BYTES_PER_SUB_BATCH;
    return (int) Math.max(1, Math.min(parts, Math.min(blocks, MAX_SUB_BATCHES)));
  }

  /** A request's {@code blocks} blocks added up to {@code bytes}. */
  public void observe(long bytes, int blocks) {
    if (blocks > 0) {
      averageBlockBytes = bytes / blocks;
    }
  }
}
