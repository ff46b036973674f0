package io.daemonverticle.bench;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What one DaemonVerticle instance has counted, read from its status reply: the requests it
 * answered and the blocks it fetched over REST. Two readings tell what it did in between, which
 * is how the bench knows which node's instance served a client.
 *
 * @param node       the cluster node id of the instance's Vert.x (null when not clustered)
 * @param instance   the instance's own id
 * @param answered   the requests it has answered, status requests included
 * @param restBlocks the blocks it has fetched over REST
 */
record InstanceCounters(String node, String instance, long answered, long restBlocks) {

  /** The counters of a status reply. */
  static InstanceCounters ofStatus(JsonObject status) {
    JsonObject node = status.getJsonObject("node", new JsonObject());
    return new InstanceCounters(node.getString("clusterNodeId"), node.getString("instance"),
        status.getLong("answered"), status.getJsonObject("counters").getLong("restBlocks"));
  }

  static InstanceCounters ofJson(JsonObject json) {
    return new InstanceCounters(json.getString("node"), json.getString("instance"),
        json.getLong("answered"),
        json.getLong("restBlocks"));
  }

  JsonObject json() {
    return new JsonObject().put("node", node).put("instance", instance)
        .put("answered", answered)
        .put("restBlocks", restBlocks);
  }

  /**
   * What the instance did between {@code before} and this reading, not counting the status
   * request that read {@code before}: the instance counts it as answered only after it took
   * the reading it answers with.
   *
   * @throws IllegalArgumentException for readings of two instances
   */
  InstanceCounters since(InstanceCounters before) {
    if (!Objects.equals(node, before.node) || !Objects.equals(instance, before.instance)) {
      throw new IllegalArgumentException("readings of two instances: " + before.json().encode()
          + ", " + json().encode());
    }
    return new InstanceCounters(node, instance, answered - before.answered - 1,
        restBlocks - before.restBlocks);
  }
}
