package io.daemonverticle.impl.rpc;

import io.vertx.core.json.JsonArray;

/** One JSON-RPC method call; params null means the request carries no params key. */
public record RpcCall(String method, JsonArray params) {

  public static RpcCall of(String method, Object... params) {
    return new RpcCall(method, params.length == 0 ? null : new JsonArray(java.util.List.of(params)));
  }
}
