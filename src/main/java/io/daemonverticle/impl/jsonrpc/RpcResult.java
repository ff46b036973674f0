package io.daemonverticle.impl.jsonrpc;

import io.vertx.core.json.JsonObject;

/** One item of a batch reply: the result, or the daemon's JSON-RPC error for that item. */
public record RpcResult(Object result, JsonObject error) {

  public boolean failed() {
    return error != null;
  }
}
