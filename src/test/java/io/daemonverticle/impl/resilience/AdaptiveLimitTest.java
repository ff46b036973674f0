package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The learnt limit of one URL: a burst of refusals cuts it once (to half the level the first
 * refused request was sent at), a refusal of a request sent after the cut cuts again, every
 * {@code limit} answers raise it by one up to the maximum, and other failures leave it alone.
 * {@code BackPressureTest} checks the whole against a fake work queue; this pins the numbers.
 */
class AdaptiveLimitTest {

  @Test
  void startsAtItsMaximumOfAtLeastOne() {
    AdaptiveLimit limit = new AdaptiveLimit(16);
    assertThat(limit.current()).isEqualTo(16);
    assertThat(limit.max()).isEqualTo(16);
    assertThat(limit.inFlight()).isZero();
    assertThat(new AdaptiveLimit(1).current()).isEqualTo(1);
    assertThatThrownBy(() -> new AdaptiveLimit(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must be at least 1, not 0");
  }

  @Test
  void aBurstOfRefusalsCutsTheLimitOnceNotOncePerRefusal() {
    AdaptiveLimit limit = new AdaptiveLimit(16);
    List<AdaptiveLimit.Ticket> burst = send(limit, 12);
    assertThat(limit.inFlight()).isEqualTo(12);
    assertThat(burst).extracting(AdaptiveLimit.Ticket::level)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(burst.get(0).alone()).isTrue();
    assertThat(burst.get(1).alone()).isFalse();
    // The daemon's queue held 4: the other 8 are refused, all in the same round.
    List<Boolean> cuts = new ArrayList<>();
    for (AdaptiveLimit.Ticket ticket : burst.subList(4, 12)) {
      cuts.add(limit.refused(ticket));
    }
    assertThat(cuts).containsExactly(true, false, false, false, false, false, false, false);
    // Half the level the first refused request went out at (5 in flight): 2, not 1.
    assertThat(limit.current()).isEqualTo(2);
    assertThat(limit.inFlight()).isEqualTo(4);
    burst.subList(0, 4).forEach(limit::failed);
    assertThat(limit.inFlight()).isZero();
    assertThat(limit.current()).isEqualTo(2);
  }

  @Test
  void aRefusalOfARequestSentAfterTheCutCutsAgain() {
    AdaptiveLimit limit = new AdaptiveLimit(16);
    List<AdaptiveLimit.Ticket> before = send(limit, 10);
    assertThat(limit.refused(before.get(9))).isTrue();
    assertThat(limit.current()).isEqualTo(5);
    AdaptiveLimit.Ticket after = limit.sent();
    assertThat(after.round()).isEqualTo(before.get(0).round() + 1);
    assertThat(after.level()).isEqualTo(10);
    // Sent at 10 in flight, but the limit is 5 now: half of 5.
    assertThat(limit.refused(after)).isTrue();
    assertThat(limit.current()).isEqualTo(2);
    // The first round's late refusals still say nothing new.
    assertThat(limit.refused(before.get(8))).isFalse();
    assertThat(limit.current()).isEqualTo(2);
  }

  @Test
  void neverBelowOne() {
    AdaptiveLimit limit = new AdaptiveLimit(16);
    AdaptiveLimit.Ticket alone = limit.sent();
    assertThat(limit.refused(alone)).isTrue();
    assertThat(limit.current()).isEqualTo(1);
    assertThat(limit.refused(limit.sent())).isTrue();
    assertThat(limit.current()).isEqualTo(1);
  }

  @Test
  void everyLimitAnswersRaiseItByOneUpToTheMaximum() {
    AdaptiveLimit limit = new AdaptiveLimit(4);
    List<AdaptiveLimit.Ticket> four = send(limit, 4);
    assertThat(limit.refused(four.get(3))).isTrue();
    assertThat(limit.current()).isEqualTo(2);
    four.subList(0, 3).forEach(limit::failed);
    answer(limit, 1);
    assertThat(limit.current()).isEqualTo(2);
    answer(limit, 1);
    assertThat(limit.current()).isEqualTo(3);
    answer(limit, 2);
    assertThat(limit.current()).isEqualTo(3);
    answer(limit, 1);
    assertThat(limit.current()).isEqualTo(4);
    answer(limit, 20);
    assertThat(limit.current()).isEqualTo(4);
    // A cut starts the count again: answers before it do not count towards the next raise.
    answer(limit, 3);
    assertThat(limit.refused(limit.sent())).isTrue();
    assertThat(limit.current()).isEqualTo(1);
    answer(limit, 1);
    assertThat(limit.current()).isEqualTo(2);
  }

  @Test
  void otherFailuresSayNothingAboutCapacity() {
    AdaptiveLimit limit = new AdaptiveLimit(8);
    List<AdaptiveLimit.Ticket> tickets = send(limit, 8);
    assertThat(limit.refused(tickets.get(7))).isTrue();
    assertThat(limit.current()).isEqualTo(4);
    for (int i = 0; i < 20; i++) {
      limit.failed(limit.sent());
    }
    assertThat(limit.current()).isEqualTo(4);
    assertThat(limit.inFlight()).isEqualTo(7);
  }

  private static List<AdaptiveLimit.Ticket> send(AdaptiveLimit limit, int count) {
    List<AdaptiveLimit.Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tickets.add(limit.sent());
    }
    return tickets;
  }

  private static void answer(AdaptiveLimit limit, int count) {
    for (int i = 0; i < count; i++) {
      limit.answered(limit.sent());
    }
  }
}
