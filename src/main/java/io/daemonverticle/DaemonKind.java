package io.daemonverticle;

import java.util.Arrays;
import java.util.Locale;

/**
 * The daemon variants of ElectrumX, by their configuration name ({@code daemonKind}) and by
 * the ElectrumX class name the coin table uses.
 */
public enum DaemonKind {
  DEFAULT("default", "Daemon"),
  DASH("dash", "DashDaemon"),
  SMARTCASH("smartcash", "SmartCashDaemon"),
  ZCOIN_MTP("zcoinMtp", "ZcoinMtpDaemon"),
  DECRED("decred", "DecredDaemon"),
  LEGACY("legacy", "LegacyRPCDaemon"),
  PRE_LEGACY("preLegacy", "PreLegacyRPCDaemon"),
  FAKE_ESTIMATE_FEE("fakeEstimateFee", "FakeEstimateFeeDaemon"),
  FAKE_ESTIMATE_LEGACY("fakeEstimateLegacy", "FakeEstimateLegacyRPCDaemon");

  private final String configName;
  private final String electrumxClass;

  DaemonKind(String configName, String electrumxClass) {
    this.configName = configName;
    this.electrumxClass = electrumxClass;
  }

  public String configName() {
    return configName;
  }

  public String electrumxClass() {
    return electrumxClass;
  }

  /** Accepts the configuration name or the ElectrumX class name, in any case. */
  public static DaemonKind parse(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (DaemonKind kind : values()) {
      if (kind.configName.toLowerCase(Locale.ROOT).equals(wanted)
          || kind.electrumxClass.toLowerCase(Locale.ROOT).equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown daemon kind \"" + name + "\"; known kinds: "
        + String.join(", ", Arrays.stream(values()).map(k -> k.configName).toList()));
  }
}
