package io.daemonverticle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Two readings of an instance's status tell what it did in between, the status request of the
 * first not counted: it is answered after the reading it carries.
 */
class InstanceCountersTest {

  private static JsonObject status(String instance, long answered, long restBlocks) {
    return new JsonObject()
        .put("node", new JsonObject().put("clusterNodeId", "n1").put("instance", instance))
        .put("answered", answered)
        .put("counters", new JsonObject().put("requests", 99L).put("restBlocks", restBlocks));
  }

  @Test
  void betweenTwoReadingsOnlyWhatOthersAskedCounts() {
    InstanceCounters before = InstanceCounters.ofStatus(status("n1/d/a", 40, 500));
    InstanceCounters idle = InstanceCounters.ofStatus(status("n1/d/a", 41, 500));
    InstanceCounters busy = InstanceCounters.ofStatus(status("n1/d/a", 61, 700));

    assertThat(idle.since(before).answered()).as("only the first reading's own request")
        .isZero();
    assertThat(idle.since(before).restBlocks()).isZero();
    assertThat(busy.since(before)).isEqualTo(new InstanceCounters("n1", "n1/d/a", 20, 200));
  }

  @Test
  void aJsonLineReadsBackAsItWasWritten() {
    InstanceCounters counters = InstanceCounters.ofStatus(status("n1/d/a", 7, 3));
    assertThat(InstanceCounters.ofJson(counters.json().put("type", "status")))
        .isEqualTo(counters);
  }

  @Test
  void readingsOfTwoInstancesAreNotSubtracted() {
    InstanceCounters one = InstanceCounters.ofStatus(status("n1/d/a", 7, 3));
    InstanceCounters other = InstanceCounters.ofStatus(status("n1/d/b", 9, 3));
    assertThatThrownBy(() -> other.since(one)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two instances");
  }

  /** An instance that is not clustered has no cluster node id, and is still itself. */
  @Test
  void anInstanceOutsideAClusterHasNoNodeId() {
    JsonObject alone = status("x/d/a", 5, 0);
    alone.getJsonObject("node").putNull("clusterNodeId");
    InstanceCounters before = InstanceCounters.ofStatus(alone);
    InstanceCounters after = InstanceCounters.ofStatus(alone.copy().put("answered", 6L));
    assertThat(after.since(before)).isEqualTo(new InstanceCounters(null, "x/d/a", 0, 0));
  }
}
