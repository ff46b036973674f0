package io.daemonverticle.impl.kinds;

import io.daemonverticle.impl.ops.BitcoinDaemon;
import io.daemonverticle.impl.ops.DaemonContext;

/** Builds the operations of the configured daemon kind: the one place a kind is chosen. */
public final class DaemonKinds {

  private DaemonKinds() {
  }

  public static BitcoinDaemon create(DaemonContext ctx) {
    return switch (ctx.kind()) {
      case DEFAULT -> new BitcoinDaemon(ctx);
      default -> throw new IllegalArgumentException("daemon kind " + ctx.kind().configName()
          + " is not available yet");
    };
  }
}
