package io.daemonverticle.impl.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A consumer is given a tip publication once, by seq and hash, among the last it saw. */
class SeenTipsTest {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  @Test
  void aPublicationIsNewOnceAndTheSameSeqOfAnotherBlockIsNew() {
    SeenTips seen = new SeenTips();
    assertThat(seen.firstTime(7, A)).isTrue();
    assertThat(seen.firstTime(7, A)).isFalse();
    // The cluster started again (its seqs with it): another block at an old seq is news.
    assertThat(seen.firstTime(7, B)).isTrue();
    assertThat(seen.firstTime(8, A)).isTrue();
  }

  @Test
  void onlyTheLastOnesAreKept() {
    SeenTips seen = new SeenTips();
    for (int seq = 1; seq <= SeenTips.KEPT; seq++) {
      assertThat(seen.firstTime(seq, A)).isTrue();
    }
    // All kept: the first is still known ...
    assertThat(seen.firstTime(1, A)).isFalse();
    assertThat(seen.firstTime(SeenTips.KEPT + 1, A)).isTrue();
    // ... until one more pushes it out; the one after it is still known.
    assertThat(seen.firstTime(1, A)).isTrue();
    assertThat(seen.firstTime(3, A)).isFalse();
  }
}
