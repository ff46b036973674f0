package io.daemonverticle;

import java.util.Arrays;
import java.util.Locale;

/**
 * The daemon variants of ElectrumX, by their configuration name ({@code daemonKind}) and by
 * the ElectrumX class name the coin table uses.
 */
public enum DaemonKind {
  /** Bitcoin Core and its forks: the plain kind. */
  DEFAULT("default", "Daemon"),
  /** Dash: adds the masternode actions and protx. */
  DASH("dash", "DashDaemon"),
  /** SmartCash: adds smartRewards. */
  SMARTCASH("smartcash", "SmartCashDaemon"),
  /** Zcoin (MTP): blocks without their MTP proofs; znode actions. */
  ZCOIN_MTP("zcoinMtp", "ZcoinMtpDaemon"),
  /** Decred: the tip kept out of the height, voted-down regular trees stripped. */
  DECRED("decred", "DecredDaemon"),
  /** Daemons whose getblock has no raw form: blocks rebuilt from the JSON one. */
  LEGACY("legacy", "LegacyRPCDaemon"),
  /** As legacy, for daemons whose getblock takes {@code false} for JSON. */
  PRE_LEGACY("preLegacy", "PreLegacyRPCDaemon"),
  /** Coins without fee estimation: fixed fees from the coin table. */
  FAKE_ESTIMATE_FEE("fakeEstimateFee", "FakeEstimateFeeDaemon"),
  /** Legacy blocks and fixed fees. */
  FAKE_ESTIMATE_LEGACY("fakeEstimateLegacy", "FakeEstimateLegacyRPCDaemon");

  private final String configName;
  private final String electrumxClass;

  DaemonKind(String configName, String electrumxClass) {
    this.configName = configName;
    this.electrumxClass = electrumxClass;
  }

  /** {@return the name {@code daemonKind} takes} */
  public String configName() {
    return configName;
  }

  /** {@return ElectrumX's class name for the kind, as its coin table uses it} */
  public String electrumxClass() {
    return electrumxClass;
  }

  /**
   * The kind a {@code daemonKind} value or a coin table entry names.
   *
   * @param name the configuration name or the ElectrumX class name, in any case
   * @return the kind it names
   * @throws IllegalArgumentException for a name no kind has, listing the known ones
   */
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
