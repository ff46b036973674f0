package io.daemonverticle.impl.kinds;

import io.daemonverticle.impl.ops.DaemonContext;
import io.daemonverticle.impl.rpc.Deadline;
import io.vertx.core.Future;

/**
 * ElectrumX's FakeEstimateLegacyRPCDaemon: blocks rebuilt as the legacy kind does, fees fixed
 * as the fakeEstimateFee kind does.
 */
public class FakeEstimateLegacyDaemon extends LegacyDaemon {

  private final FixedFees fees;

  public FakeEstimateLegacyDaemon(DaemonContext ctx) {
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
