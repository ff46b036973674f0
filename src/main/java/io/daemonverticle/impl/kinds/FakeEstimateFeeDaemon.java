package io.daemonverticle.impl.kinds;

import io.daemonverticle.impl.ops.BitcoinDaemon;
import io.daemonverticle.impl.ops.DaemonContext;
import io.daemonverticle.impl.ops.FixedFees;

/** ElectrumX's FakeEstimateFeeDaemon: fixed fee answers, no daemon request for them. */
public class FakeEstimateFeeDaemon extends BitcoinDaemon {

  public FakeEstimateFeeDaemon(DaemonContext ctx) {
    super(ctx, FixedFees.of(ctx));
  }
}
