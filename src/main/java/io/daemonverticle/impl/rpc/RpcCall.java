package io.daemonverticle.impl.rpc;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;

/** One JSON-RPC method call; params null means the request carries no params key. */
public record RpcCall(String method, JsonArray params) {

  /**
   * The call with these positional parameters (none: no params key). Nulls are kept: some
   * methods take a JSON null in a position.
   */
  public static RpcCall of(String method, Object... params) {
    return new RpcCall(method, params.length == 0 ? null
        : new JsonArray(new ArrayList<>(Arrays.asList(params))));
  }
}
