package example.modular;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** An application's use of the service, written in a module of its own. */
public final class Embedded {

  private Embedded() {
  }

  /**
   * Deploys the service with {@code config} and asks it, through DaemonClient, for the daemon's
   * height and the hash of block 0.
   */
  public static Future<JsonObject> heightAndGenesis(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new DaemonVerticle(), new DeploymentOptions().setConfig(config))
        .compose(id -> {
          DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
          return client.height().compose(height -> client.blockHexHashes(0, 1)
              .map(hashes -> new JsonObject().put("height", height)
                  .put("genesis", hashes.get(0))));
        });
  }
}
