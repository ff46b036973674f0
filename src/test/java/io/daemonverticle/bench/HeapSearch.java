package io.daemonverticle.bench;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The heap a workload needs: the smallest maximum heap (-Xmx) of a ladder with which a fresh
 * JVM completes it. A binary search over the ladder, on the premise that a JVM that completes
 * with some heap also completes with more.
 */
final class HeapSearch {

  static final int[] LADDER_MB = {16, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 384, 512,
      768, 1024, 1536, 2048};

  private HeapSearch() {
  }

  /** One try: does the workload complete in a JVM with this much heap? */
  interface Trial {
    boolean passes(int heapMb) throws Exception;
  }

  /**
   * @param neededMb the smallest passing heap of the ladder, -1 when even the largest failed
   * @param tried    every heap tried and whether it passed
   */
  record Result(int neededMb, SortedMap<Integer, Boolean> tried) {

    String text() {
      if (neededMb < 0) {
        return "> " + LADDER_MB[LADDER_MB.length - 1] + " MB";
      }
      return (neededMb == LADDER_MB[0] ? "≤ " : "") + neededMb + " MB";
    }
  }

  static Result search(Trial trial) throws Exception {
    SortedMap<Integer, Boolean> tried = new TreeMap<>();
    int low = 0;
    int high = LADDER_MB.length - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      boolean passed = trial.passes(LADDER_MB[mid]);
      tried.put(LADDER_MB[mid], passed);
      if (passed) {
        found = LADDER_MB[mid];
        high = mid - 1;
      } else {
        low = mid + 1;
      }
    }
    return new Result(found, tried);
  }
}
