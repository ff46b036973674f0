package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.impl.codec.Vectors;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;

/** Deploys a daemon kind against a fake daemon, and reads the real block vectors. */
final class KindHarness {

  static final HexFormat HEX = HexFormat.of();

  private KindHarness() {
  }

  /**
   * The test config for this fake with the given keys (coin, net, daemonKind …) over it. The
   * fake's chain is no real coin's: it says it is on the configured net, and the config names
   * its block 0 as the genesis hash, so that the chain check passes for any coin.
   */
  static JsonObject config(FakeDaemon fake, JsonObject overrides) {
    JsonObject config = Deployments.config(fake).put("genesisHash", FakeChain.GENESIS_HASH)
        .mergeIn(overrides);
    if (fake.chain() != null) {
      String net = config.getString("net");
      fake.chain().chainName("mainnet".equals(net) ? "main" : "testnet".equals(net) ? "test" : net);
    }
    return config;
  }

  static Future<DaemonClient> deploy(Vertx vertx, FakeDaemon fake, JsonObject overrides) {
    JsonObject config = config(fake, overrides);
    return Deployments.deploy(vertx, config)
        .map((String id) -> DaemonClient.create(vertx, config.getString("address")));
  }

  static JsonObject coin(String coin, String net) {
    return new JsonObject().put("coin", coin).put("net", net);
  }

  /** Each recorded call as {@code method params} where params is the JSON the daemon got. */
  static List<String> calls(FakeDaemon fake) {
    return fake.calls().stream()
        .map((JsonObject c) -> c.getString("method") + " " + c.getValue("params"))
        .toList();
  }

  static JsonArray params(Object... values) {
    return new JsonArray(List.of(values));
  }

  static JsonObject vector(String name) {
    return Vectors.load(name);
  }

  static byte[] block(JsonObject vector) {
    return HEX.parseHex(vector.getString("block"));
  }
}
