package io.daemonverticle;

import java.util.Set;

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
   * Every action of the contract. A daemon kind serves some of them: a name here that the
   * configured kind lacks is answered "not served by this kind", any other "unknown".
   */
  public static final Set<String> ALL = Set.of(HEIGHT, CACHED_HEIGHT, BLOCK_HEX_HASHES,
      DESERIALISED_BLOCK, RAW_BLOCKS, MEMPOOL_HASHES, ESTIMATE_FEE, RELAY_FEE, NETWORK_INFO,
      MEMPOOL_INFO, INDEX_INFO, GET_RAW_TRANSACTION, GET_RAW_TRANSACTIONS, TX_SPENDING_PREVOUT,
      BROADCAST_TRANSACTION, BROADCAST_PACKAGE, TEST_MEMPOOL_ACCEPT, MASTERNODE_BROADCAST,
      MASTERNODE_LIST, PROTX, SMART_REWARDS, STATUS);

  /** Suffix of the address on which height changes are published. */
  public static final String HEIGHT_TOPIC_SUFFIX = ".height";

  private Actions() {
  }
}
