package io.daemonverticle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark's heap search finds the smallest passing heap in a few trials. */
class HeapSearchTest {

  @Test
  void findsTheSmallestPassingHeapOfTheLadderWhereverItIs() throws Exception {
    int[] ladder = HeapSearch.LADDER_MB;
    for (int smallest = 0; smallest <= ladder.length; smallest++) {
      int need = smallest < ladder.length ? ladder[smallest] : Integer.MAX_VALUE;
      HeapSearch.Result result = HeapSearch.search((int mb) -> mb >= need);
      assertThat(result.neededMb()).as("need %d", need)
          .isEqualTo(smallest < ladder.length ? need : -1);
      // A binary search: a JVM start per trial is what makes the benchmark slow.
      assertThat(result.tried()).hasSizeLessThanOrEqualTo(5);
      result.tried().forEach((Integer mb, Boolean passed) -> assertThat(passed)
          .isEqualTo(mb >= need));
    }
  }

  @Test
  void saysWhenEvenTheSmallestOrNoHeapPasses() throws Exception {
    assertThat(HeapSearch.search((int mb) -> true).text()).isEqualTo("≤ 16 MB");
    assertThat(HeapSearch.search((int mb) -> false).text()).isEqualTo("> 2048 MB");
    assertThat(HeapSearch.search((int mb) -> mb >= 80).text()).isEqualTo("80 MB");
  }
}
