package io.daemonverticle.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * For a test's own scripted daemon (one that answers every request with what the test is
 * about): tells the service's chain check and per-URL poll (a batch that starts with
 * getblockchaininfo) apart, and answers it as a Bitcoin regtest node at {@link #HEIGHT} would,
 * so that the script sees only the requests the test sends.
 */
public final class ChainProbes {

  public static final int HEIGHT = 100;

  private ChainProbes() {
  }

  public static boolean isProbe(Object request) {
    return request instanceof JsonArray batch && !batch.isEmpty()
        && batch.getValue(0) instanceof JsonObject first
        && "getblockchaininfo".equals(first.getValue("method"));
  }

  /** The answers of a Bitcoin regtest node to the probe batch {@code request}. */
  public static JsonArray answer(JsonArray request) {
    return answer(request, "regtest");
  }

  /**
   * The answers to the probe batch {@code request} of a node that says it is on
   * {@code chain}, with {@link FakeChain#GENESIS_HASH} as its block 0 (a test of another coin
   * names that hash as {@code genesisHash}).
   */
  public static JsonArray answer(JsonArray request, String chain) {
    JsonArray replies = new JsonArray();
    for (int i = 0; i < request.size(); i++) {
      JsonObject call = request.getJsonObject(i);
      Object result = switch (String.valueOf(call.getValue("method"))) {
        case "getblockchaininfo" -> new JsonObject().put("chain", chain)
            .put("blocks", HEIGHT).put("headers", HEIGHT).put("initialblockdownload", false)
            .put("pruned", false);
        case "getblockhash" -> FakeChain.GENESIS_HASH;
        default -> null;
      };
      replies.add(new JsonObject().put("result", result).putNull("error")
          .put("id", call.getValue("id")));
    }
    return replies;
  }
}
