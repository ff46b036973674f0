package io.daemonverticle.impl.kinds;

import io.daemonverticle.impl.resilience.Deadline;
import io.vertx.core.Future;

/**
 * ElectrumX's PreLegacyRPCDaemon: the legacy kind for daemons so old that their getblock
 * takes {@code false} where newer ones take {@code true} to give the block as JSON.
 */
public class PreLegacyDaemon extends LegacyDaemon {

  public PreLegacyDaemon(DaemonContext ctx) {
    super(ctx);
  }

  @Override
  public Future<Object> deserialisedBlock(String hash, Deadline deadline) {
    return rpc.call("getblock", deadline, hash, false);
  }
}
