package io.daemonverticle.impl.cluster;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** A block as the tip follower knows it: its height and its hash (64 hex characters). */
public record Tip(int height, String hash) {

  public Tip {
    Objects.requireNonNull(hash, "hash");
    if (height < 0) {
      throw new IllegalArgumentException("negative height " + height);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("height", height).put("hash", hash);
  }
}
