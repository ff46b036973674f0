package io.daemonverticle.impl.blocks;

import io.daemonverticle.DaemonException;

/**
 * The bound on one rawBlocks reply ({@code maxBatchBytes}): the blocks of a request, as the
 * daemon gives them, may add up to at most that many bytes; more is the request's fault, the
 * same at every URL, and answered 400.
 */
public final class BatchBytes {

  private BatchBytes() {
  }

  /** Fails when {@code total} bytes of blocks pass {@code max}. */
  public static void check(long total, long max) {
    if (total > max) {
      throw over(max);
    }
  }

  static DaemonException over(long max) {
    return DaemonException.badRequest("the blocks asked for add up to more than maxBatchBytes ("
        + max + " bytes): ask for fewer at a time");
  }
}
