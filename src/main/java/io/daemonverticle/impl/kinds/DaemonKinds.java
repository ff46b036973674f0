package io.daemonverticle.impl.kinds;


/**
 * Builds the operations of the configured daemon kind: the one place a kind is chosen. A new
 * kind is a {@link io.daemonverticle.DaemonKind} constant, a small subclass of
 * {@link BitcoinDaemon} (or of another kind) overriding what differs, and a line here.
 *
 * @throws IllegalArgumentException when the kind cannot serve this coin (e.g. a fixed fee is
 *     missing), which fails the deployment with that message
 */
public final class DaemonKinds {

  private DaemonKinds() {
  }

  public static BitcoinDaemon create(DaemonContext ctx) {
    return switch (ctx.kind()) {
      case DEFAULT -> new BitcoinDaemon(ctx);
      case DASH -> new DashDaemon(ctx);
      case SMARTCASH -> new SmartCashDaemon(ctx);
      case ZCOIN_MTP -> new ZcoinMtpDaemon(ctx);
      case DECRED -> new DecredDaemon(ctx);
      case LEGACY -> new LegacyDaemon(ctx);
      case PRE_LEGACY -> new PreLegacyDaemon(ctx);
      case FAKE_ESTIMATE_FEE -> new FakeEstimateFeeDaemon(ctx);
      case FAKE_ESTIMATE_LEGACY -> new FakeEstimateLegacyDaemon(ctx);
    };
  }
}
