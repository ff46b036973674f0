package io.daemonverticle.impl.kinds;

import io.daemonverticle.impl.ops.BitcoinDaemon;
import io.daemonverticle.impl.ops.DaemonContext;
import io.daemonverticle.impl.rpc.Deadline;
import io.vertx.core.Future;

/** ElectrumX's FakeEstimateFeeDaemon: fixed fee answers, no daemon request for them. */
public class FakeEstimateFeeDaemon extends BitcoinDaemon {

  private final FixedFees fees;

  public FakeEstimateFeeDaemon(DaemonContext ctx) {
    super(ctx);
    this.fees = FixedFees.of(ctx);
  }

  @Override
  public Future<Object> estimateFee(int blocks, String mode, Deadline deadline) {
    return fees.estimateFee();
  }

  @Override
  public Future<Object> relayFee(Deadline deadline) {
    return fees.relayFee();
  }
}
