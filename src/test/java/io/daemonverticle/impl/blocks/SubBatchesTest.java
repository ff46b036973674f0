package io.daemonverticle.impl.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a blocks request is cut: by the size of the last request's blocks. */
class SubBatchesTest {

  @Test
  void oneBatchUntilABlockSizeIsKnown() {
    assertThat(new SubBatches().forBlocks(1000)).isEqualTo(1);
  }

  @Test
  void oneSubBatchPerTwoMebibytesOfBlocks() {
    SubBatches subBatches = new SubBatches();
    subBatches.observe(10_000_000, 10);
    // 1 MB blocks: two make 2 MB, under 2 MiB; three are enough for a sub-batch.
    assertThat(subBatches.forBlocks(2)).isEqualTo(1);
    assertThat(subBatches.forBlocks(3)).isEqualTo(1);
    assertThat(subBatches.forBlocks(5)).isEqualTo(2);
    assertThat(subBatches.forBlocks(10)).isEqualTo(4);
    assertThat(subBatches.forBlocks(16)).isEqualTo(7);
  }

  @Test
  void neverMoreThanTheBlocksNorTheMost() {
    SubBatches subBatches = new SubBatches();
    subBatches.observe(32L * 1024 * 1024, 1);
    assertThat(subBatches.forBlocks(3)).as("one block each").isEqualTo(3);
    assertThat(subBatches.forBlocks(100)).isEqualTo(SubBatches.MAX_SUB_BATCHES);
  }

  @Test
  void theLastRequestDecidesAndAnEmptyOneChangesNothing() {
    SubBatches subBatches = new SubBatches();
    subBatches.observe(40_000_000, 10);
    subBatches.observe(0, 0);
    assertThat(subBatches.forBlocks(10)).isEqualTo(8);
    subBatches.observe(3_000, 10);
    assertThat(subBatches.forBlocks(10)).as("small blocks again").isEqualTo(1);
  }
}
