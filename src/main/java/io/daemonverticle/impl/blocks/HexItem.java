package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.codec.HexSink;
import io.vertx.core.json.JsonObject;

/**
 * One item of a batch reply read by {@link HexBatchScanner}: its hex result, or its other
 * result (null, a number, an object: no hex), or the daemon's error for it.
 */
public record HexItem(HexSink hex, Object otherResult, JsonObject error) {

  public boolean failed() {
    return error != null;
  }
}
