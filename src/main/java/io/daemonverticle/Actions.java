package io.daemonverticle;

import io.daemonverticle.ActionSpec.Reply;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The action names of the contract, sent in the {@code action} header. */
public final class Actions {
  /** The delivery header that names the action. */
  public static final String HEADER = "action";
  /** The optional delivery header with the request's deadline in milliseconds. */
  public static final String TIMEOUT_HEADER = "timeout-ms";
  /**
   * The longest deadline a service has: the most a {@value #TIMEOUT_HEADER} header may ask for,
   * and the most {@code requestTimeoutMs} may be.
   */
  public static final long MAX_TIMEOUT_MS = 600_000;

  /** The daemon's block count (getblockcount); updates the cached height. */
  public static final String HEIGHT = "height";
  /** The last height seen, without asking the daemon. */
  public static final String CACHED_HEIGHT = "cachedHeight";
  /** The hashes of {@code count} blocks from height {@code first}. */
  public static final String BLOCK_HEX_HASHES = "blockHexHashes";
  /** One block as the daemon's JSON (verbose getblock). */
  public static final String DESERIALISED_BLOCK = "deserialisedBlock";
  /** Raw blocks by hash, framed as {@link BlockFrames} reads them. */
  public static final String RAW_BLOCKS = "rawBlocks";
  /** The txids in the daemon's mempool. */
  public static final String MEMPOOL_HASHES = "mempoolHashes";
  /** The fee rate for confirmation within {@code blocks} blocks. */
  public static final String ESTIMATE_FEE = "estimateFee";
  /** The daemon's minimum relay fee. */
  public static final String RELAY_FEE = "relayFee";
  /** getnetworkinfo, cached for {@code cacheTtlMs} across the cluster. */
  public static final String NETWORK_INFO = "networkInfo";
  /** getmempoolinfo, cached for {@code cacheTtlMs} across the cluster. */
  public static final String MEMPOOL_INFO = "mempoolInfo";
  /** getindexinfo: the daemon's optional indexes. */
  public static final String INDEX_INFO = "indexInfo";
  /** One transaction, as hex or as the daemon's JSON. */
  public static final String GET_RAW_TRANSACTION = "getRawTransaction";
  /** Many transactions as hex, null where the daemon has none. */
  public static final String GET_RAW_TRANSACTIONS = "getRawTransactions";
  /** The transaction spending one outpoint (gettxspendingprevout). */
  public static final String TX_SPENDING_PREVOUT = "txSpendingPrevout";
  /** Sends a raw transaction to the network (sendrawtransaction). */
  public static final String BROADCAST_TRANSACTION = "broadcastTransaction";
  /** Sends a package of raw transactions (submitpackage). */
  public static final String BROADCAST_PACKAGE = "broadcastPackage";
  /** Whether the mempool would accept raw transactions (testmempoolaccept). */
  public static final String TEST_MEMPOOL_ACCEPT = "testMempoolAccept";
  /** Dash: masternodebroadcast. */
  public static final String MASTERNODE_BROADCAST = "masternodeBroadcast";
  /** Dash: masternodelist. */
  public static final String MASTERNODE_LIST = "masternodeList";
  /** Dash: protx. */
  public static final String PROTX = "protx";
  /** SmartCash: smartrewards. */
  public static final String SMART_REWARDS = "smartRewards";
  /** What this service instance is doing: its URLs, circuits, queue and counters. */
  public static final String STATUS = "status";

  /**
   * The declaration of every action of the contract, in the contract's order: the one table
   * that the request checks, the typed client, the HTTP front, the meters and the docs read.
   * A new action is a name above, a line here, and the kind's operation it calls.
   */
  public static final List<ActionSpec> SPECS = List.of(
      ActionSpec.action(HEIGHT)
          .reply(Reply.NUMBER, "number: the daemon's block count; updates the shared cached "
              + "height").electrumx("height()").build(),
      ActionSpec.action(CACHED_HEIGHT)
          .reply(Reply.NUMBER_OR_NULL, "number or null: the last height any node of the "
              + "cluster saw, without asking the daemon").electrumx("cached_height()").build(),
      ActionSpec.action(BLOCK_HEX_HASHES).params(ActionParam.FIRST, ActionParam.COUNT)
          .reply(Reply.JSON_ARRAY, "JsonArray of hex block hashes, heights "
              + "first..first+count-1").electrumx("block_hex_hashes()").build(),
      ActionSpec.action(DESERIALISED_BLOCK).params(ActionParam.HASH)
          .reply(Reply.JSON_OBJECT, "JsonObject: verbose getblock")
          .electrumx("deserialised_block()").build(),
      ActionSpec.action(RAW_BLOCKS).params(ActionParam.HASHES)
          .reply(Reply.FRAMES, "Buffer: the blocks in request order, each as a 4-byte "
              + "big-endian length and then its bytes").electrumx("raw_blocks()").build(),
      ActionSpec.action(MEMPOOL_HASHES)
          .reply(Reply.JSON_ARRAY, "JsonArray of txids").electrumx("mempool_hashes()").build(),
      ActionSpec.action(ESTIMATE_FEE).params(ActionParam.BLOCKS, ActionParam.MODE)
          .reply(Reply.NUMBER, "number, coin units per kB; -1 when the daemon has no "
              + "estimate").electrumx("estimatefee()").build(),
      ActionSpec.action(RELAY_FEE)
          .reply(Reply.NUMBER, "number, coin units per kB").electrumx("relayfee()").build(),
      ActionSpec.action(NETWORK_INFO)
          .reply(Reply.JSON_OBJECT, "JsonObject, at most cacheTtlMs old, shared across the "
              + "cluster").electrumx("getnetworkinfo()").build(),
      ActionSpec.action(MEMPOOL_INFO)
          .reply(Reply.JSON_OBJECT, "JsonObject with mempoolminfee, minrelaytxfee, "
              + "incrementalrelayfee").electrumx("mempool_info()").build(),
      ActionSpec.action(INDEX_INFO)
          .reply(Reply.JSON_OBJECT, "JsonObject").electrumx("getindexinfo()").build(),
      ActionSpec.action(GET_RAW_TRANSACTION).params(ActionParam.TXID, ActionParam.VERBOSE)
          .reply(Reply.JSON, "hex string, or JsonObject when verbose")
          .electrumx("getrawtransaction()").build(),
      ActionSpec.action(GET_RAW_TRANSACTIONS)
          .params(ActionParam.TXIDS, ActionParam.REPLACE_ERRORS)
          .reply(Reply.JSON_ARRAY, "JsonArray of hex strings, null for a txid the daemon "
              + "could not give").electrumx("getrawtransactions()").build(),
      ActionSpec.action(TX_SPENDING_PREVOUT).params(ActionParam.TXID, ActionParam.VOUT)
          .reply(Reply.JSON_OBJECT, "JsonObject").electrumx("gettxspendingprevout()").build(),
      ActionSpec.action(BROADCAST_TRANSACTION).params(ActionParam.RAW_TX).broadcast()
          .reply(Reply.STRING, "txid string").electrumx("broadcast_transaction()").build(),
      ActionSpec.action(BROADCAST_PACKAGE).params(ActionParam.RAW_TXS).broadcast()
          .reply(Reply.JSON_OBJECT, "JsonObject").electrumx("broadcast_package()").build(),
      ActionSpec.action(TEST_MEMPOOL_ACCEPT).params(ActionParam.RAW_TXS)
          .reply(Reply.JSON_ARRAY, "JsonArray").electrumx("testmempoolaccept()").build(),
      ActionSpec.action(MASTERNODE_BROADCAST).params(ActionParam.PARAMS).broadcast()
          .kinds(DaemonKind.DASH, DaemonKind.SMARTCASH, DaemonKind.ZCOIN_MTP)
          .reply(Reply.JSON, "the daemon's JSON result")
          .electrumx("masternode_broadcast(); SmartCash: smartnodebroadcast, Zcoin: "
              + "znodebroadcast").build(),
      ActionSpec.action(MASTERNODE_LIST).params(ActionParam.PARAMS)
          .kinds(DaemonKind.DASH, DaemonKind.SMARTCASH, DaemonKind.ZCOIN_MTP)
          .reply(Reply.JSON, "the daemon's JSON result")
          .electrumx("masternode_list(); SmartCash: smartnodelist, Zcoin: znodelist").build(),
      ActionSpec.action(PROTX).params(ActionParam.PARAMS)
          .kinds(DaemonKind.DASH, DaemonKind.ZCOIN_MTP)
          .reply(Reply.JSON, "the daemon's JSON result").electrumx("protx()").build(),
      ActionSpec.action(SMART_REWARDS).params(ActionParam.PARAMS)
          .kinds(DaemonKind.SMARTCASH)
          .reply(Reply.JSON, "the daemon's JSON result").electrumx("smartrewards()").build(),
      ActionSpec.action(STATUS)
          .reply(Reply.JSON_OBJECT, "JsonObject: node (which instance answered: cluster node "
              + "id and deployment), kind, coin, net, urls and currentUrl with credentials "
              + "removed, per-URL circuit state, limit (requests it is given at once, learnt "
              + "from its back-pressure), inFlight, chainCheck (UNCHECKED, UNVERIFIED, GOOD, "
              + "QUARANTINED), quarantined (the reason, else null), chain, height, behind, "
              + "syncing, lagging, pruneHeight and advice (see [What the service doubts]"
              + "(#what-the-service-doubts)), cachedHeight, tip (`{height, hash}` of the tip "
              + "this instance last published or read, null before the first; publications: "
              + "tip publications it made; republications: of those, made again for a poller "
              + "that had not confirmed them), clusterError (what it "
              + "could not read from the cluster within 800 ms, else null), inFlight, queued, "
              + "counters (requests, retries, failovers, transientFailures, daemonErrors, "
              + "unavailable, backPressure, hedges, offloaded: reply work sent to a worker "
              + "thread, restBlocks: blocks fetched over REST, restFallbacks: REST answers "
              + "that sent a request over JSON-RPC, maxInFlightSeen), blockIntegrity (how "
              + "served blocks are checked against their hashes: sha256d, or unchecked and "
              + "why)").build());

  private static final Map<String, ActionSpec> BY_NAME = SPECS.stream()
      .collect(Collectors.toUnmodifiableMap(ActionSpec::name, spec -> spec));

  /**
   * Every action of the contract. A daemon kind serves some of them: a name here that the
   * configured kind lacks is answered "not served by this kind", any other "unknown".
   */
  public static final Set<String> ALL = BY_NAME.keySet();

  /**
   * The declaration of an action.
   *
   * @param name the action's name
   * @return its declaration, or null when the contract has no such action
   */
  public static ActionSpec spec(String name) {
    return name == null ? null : BY_NAME.get(name);
  }

  /**
   * The contract's action table in Markdown, one row per action, as the contract copy shows
   * it (a test keeps the two equal).
   *
   * @return the table, each line ending in a newline
   */
  public static String markdownTable() {
    StringBuilder table = new StringBuilder("| action | body | reply | kinds | ElectrumX |\n"
        + "|---|---|---|---|---|\n");
    for (ActionSpec spec : SPECS) {
      String kinds = spec.kinds().size() == DaemonKind.values().length ? "all"
          : spec.kinds().stream().map(DaemonKind::configName).collect(Collectors.joining(", "));
      table.append("| ").append(spec.name())
          .append(" | ").append(spec.describeBody())
          .append(" | ").append(spec.replyText())
          .append(" | ").append(kinds)
          .append(" | ").append(spec.electrumx()).append(" |\n");
    }
    return table.toString();
  }

  /** Suffix of the address on which height changes are published. */
  public static final String HEIGHT_TOPIC_SUFFIX = ".height";

  /** Suffix of the address on which changes of the daemon's best block are published. */
  public static final String TIP_TOPIC_SUFFIX = ".tip";

  private Actions() {
  }
}
