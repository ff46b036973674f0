package io.daemonverticle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The window the service's load and the Java wire client keep: exactly N requests outstanding
 * from the first until the last has been sent, each answer answered at once by the next
 * request, never more than N.
 */
class InFlightTest {

  @Test
  void theWindowStaysFullUntilTheLastIsSentWhicheverAnswersFirst() {
    Random random = new Random(33);
    InFlight flight = new InFlight(47, 10);
    List<Integer> outstanding = new ArrayList<>();
    int opened = flight.open();
    for (int i = 0; i < opened; i++) {
      outstanding.add(i);
    }
    assertThat(opened).isEqualTo(10);
    int answers = 0;
    while (!outstanding.isEmpty()) {
      outstanding.remove(random.nextInt(outstanding.size()));
      answers++;
      if (flight.answered()) {
        outstanding.add(flight.lastSent());
      }
      assertThat(flight.outstanding()).isEqualTo(outstanding.size())
          .as("after %d answers", answers).isEqualTo(Math.min(10, 47 - answers));
    }
    assertThat(answers).isEqualTo(47);
    assertThat(flight.done()).isTrue();
    assertThat(flight.lastSent()).as("each request sent once").isEqualTo(46);
  }

  @Test
  void aPassSmallerThanTheWindowOpensWithAllOfItAndNothingMore() {
    InFlight flight = new InFlight(3, 10);
    assertThat(flight.open()).isEqualTo(3);
    assertThat(flight.answered()).isFalse();
    assertThat(flight.answered()).isFalse();
    assertThat(flight.done()).isFalse();
    assertThat(flight.answered()).isFalse();
    assertThat(flight.done()).isTrue();
    assertThatThrownBy(flight::answered).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEmptyPassIsDoneAtOnce() {
    InFlight flight = new InFlight(0, 10);
    assertThat(flight.open()).isZero();
    assertThat(flight.done()).isTrue();
  }

  /** The service's load: {@link Workloads#rounds} on the same window, rounds of 10 units. */
  @Test
  void theServicesRoundsKeepTheirWindowFullAndCoverEveryUnitOnce() {
    List<Promise<Long>> open = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    List<Integer> firsts = new ArrayList<>();
    Future<Long> pass = Workloads.rounds(95, 10, 2, (int first, int count) -> {
      firsts.add(first);
      counts.add(count);
      Promise<Long> round = Promise.promise();
      open.add(round);
      return round.future();
    });
    assertThat(open).as("two rounds started at once").hasSize(2);
    // Answered the later round first: each answer starts the next round at once.
    for (int answered = 0; answered < 10; answered++) {
      assertThat(open.stream().filter((Promise<Long> p) -> !p.future().isComplete()).count())
          .as("in flight after %d answers", answered).isEqualTo(Math.min(2, 10 - answered));
      int last = open.size() - 1;
      while (open.get(last).future().isComplete()) {
        last--;
      }
      open.get(last).complete((long) counts.get(last));
    }
    assertThat(open).as("one start per round").hasSize(10);
    assertThat(firsts).containsExactlyInAnyOrder(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);
    assertThat(counts.get(firsts.indexOf(90))).isEqualTo(5);
    assertThat(pass.succeeded()).isTrue();
    assertThat(pass.result()).isEqualTo(95L);
  }

  @Test
  void aFailedRoundFailsThePassAndStartsNoOther() {
    List<Promise<Long>> open = new ArrayList<>();
    Future<Long> pass = Workloads.rounds(100, 10, 3, (int first, int count) -> {
      Promise<Long> round = Promise.promise();
      open.add(round);
      return round.future();
    });
    open.get(0).fail(new IllegalStateException("rawBlocks gave a wrong byte"));
    assertThat(pass.failed()).isTrue();
    assertThat(pass.cause()).hasMessageContaining("wrong byte");
    open.get(1).complete(10L);
    assertThat(open).as("no round after the failure").hasSize(3);
  }
}
