package io.daemonverticle.impl.kinds;


/**
 * ElectrumX's FakeEstimateLegacyRPCDaemon: blocks rebuilt as the legacy kind does, fees fixed
 * as the fakeEstimateFee kind does.
 */
public class FakeEstimateLegacyDaemon extends LegacyDaemon {

  public FakeEstimateLegacyDaemon(DaemonContext ctx) {
    super(ctx, FixedFees.of(ctx));
  }
}
