package example.sealed;

import io.daemonverticle.impl.bus.LocalServices;

/** Reaches past the public API: the compiler must refuse it. */
public final class ReachesIn {

  public static String localAddress() {
    return LocalServices.localAddress("daemon");
  }
}
