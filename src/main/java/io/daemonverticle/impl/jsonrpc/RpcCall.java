package io.daemonverticle.impl.jsonrpc;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;

/** One JSON-RPC method call; params null means the request carries no params key. */
public record RpcCall(String method, JsonArray params) {

  /**
   * Methods that only read, so that sending one twice (a hedged read) is harmless. A list of
   * what is known rather than of what is not: a method missing here (a broadcast, a
   * pass-through action of some kind) is never sent twice.
   */
  private static final Set<String> READS = Set.of("getblockcount", "getblockhash", "getblock",
      "getblockheader", "getbestblockhash", "getblockchaininfo", "getrawtransaction",
      "getrawmempool", "getmempoolinfo", "getmempoolentry", "getnetworkinfo", "getinfo",
      "getindexinfo", "estimatesmartfee", "estimatefee", "gettxout", "gettxspendingprevout");

  /** True when this call only reads: it may be hedged. */
  public boolean readOnly() {
    return READS.contains(method);
  }

  /**
   * The call with these positional parameters (none: no params key). Nulls are kept: some
   * methods take a JSON null in a position.
   */
  public static RpcCall of(String method, Object... params) {
    return new RpcCall(method, params.length == 0 ? null
        : new JsonArray(new ArrayList<>(Arrays.asList(params))));
  }
}
