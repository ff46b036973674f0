package io.daemonverticle.impl.kinds;


/** ElectrumX's FakeEstimateFeeDaemon: fixed fee answers, no daemon request for them. */
public class FakeEstimateFeeDaemon extends BitcoinDaemon {

  public FakeEstimateFeeDaemon(DaemonContext ctx) {
    super(ctx, FixedFees.of(ctx));
  }
}
