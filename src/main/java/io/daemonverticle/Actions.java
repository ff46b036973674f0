package io.daemonverticle;

import java.util.Set;

/** The action names of the contract, sent in the {@code action} header. */
public final class Actions {
  public static final String HEADER = "action";
  public static final String TIMEOUT_HEADER = "timeout-ms";
  /**
   * The longest deadline a service has: the most a {@value #TIMEOUT_HEADER} header may ask for,
   * and the most {@code requestTimeoutMs} may be.
   */
  public static final long MAX_TIMEOUT_MS = 600_000;

  public static final String HEIGHT = "height";
  public static final String CACHED_HEIGHT = "cachedHeight";
  public static final String BLOCK_HEX_HASHES = "blockHexHashes";
  public static final String DESERIALISED_BLOCK = "deserialisedBlock";
  public static final String RAW_BLOCKS = "rawBlocks";
  public static final String MEMPOOL_HASHES = "mempoolHashes";
  public static final String ESTIMATE_FEE = "estimateFee";
  public static final String RELAY_FEE = "relayFee";
  public static final String NETWORK_INFO = "networkInfo";
  public static final String MEMPOOL_INFO = "mempoolInfo";
  public static final String INDEX_INFO = "indexInfo";
  public static final String GET_RAW_TRANSACTION = "getRawTransaction";
  public static final String GET_RAW_TRANSACTIONS = "getRawTransactions";
  public static final String TX_SPENDING_PREVOUT = "txSpendingPrevout";
  public static final String BROADCAST_TRANSACTION = "broadcastTransaction";
  public static final String BROADCAST_PACKAGE = "broadcastPackage";
  public static final String TEST_MEMPOOL_ACCEPT = "testMempoolAccept";
  public static final String MASTERNODE_BROADCAST = "masternodeBroadcast";
  public static final String MASTERNODE_LIST = "masternodeList";
  public static final String PROTX = "protx";
  public static final String SMART_REWARDS = "smartRewards";
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
