package io.daemonverticle.impl.kinds;

import io.vertx.core.Future;

/**
 * The fixed fee answers of ElectrumX's fake-estimate daemons (the coin's ESTIMATE_FEE and
 * RELAY_FEE), for coins whose daemon cannot estimate: from the coin table, overridden by the
 * {@code estimateFee} / {@code relayFee} config keys. Both are resolved when the kind is built,
 * so a coin lacking one fails deployment instead of failing every fee request later.
 */
public final class FixedFees {

  private final double estimateFee;
  private final double relayFee;

  private FixedFees(double estimateFee, double relayFee) {
    this.estimateFee = estimateFee;
    this.relayFee = relayFee;
  }

  /** @throws IllegalArgumentException naming the missing fee and the config key to set */
  public static FixedFees of(DaemonContext ctx) {
    return new FixedFees(
        resolve(ctx, "estimateFee", ctx.options().getEstimateFee(), ctx.coin().estimateFee()),
        resolve(ctx, "relayFee", ctx.options().getRelayFee(), ctx.coin().relayFee()));
  }

  Future<Object> estimateFee() {
    return Future.succeededFuture(estimateFee);
  }

  Future<Object> relayFee() {
    return Future.succeededFuture(relayFee);
  }

  private static double resolve(DaemonContext ctx, String key, Double configured,
                                Double fromTable) {
    if (configured != null) {
      return configured;
    }
    if (fromTable != null) {
      return fromTable;
    }
    throw new IllegalArgumentException("daemon kind " + ctx.kind().configName()
        + " answers " + key + " with a fixed fee, but the coin table has none for "
        + ctx.coin().name() + " " + ctx.coin().net() + "; set the config key \"" + key + "\"");
  }
}
