package io.daemonverticle.impl.kinds;

import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.jsonrpc.RpcCall;
import io.daemonverticle.impl.jsonrpc.RpcResult;
import io.daemonverticle.impl.resilience.ChainCheck;
import io.daemonverticle.impl.resilience.UrlPoll;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks one daemon URL, in one batch, which chain it is on and how far along it is:
 * {@code getblockchaininfo} (its {@code chain} against the configured network where the
 * daemon reports one; its blocks, headers, initial download and prune height),
 * and, when the URL is not yet known good, {@code getblockhash 0} against the genesis hash (the
 * {@code genesisHash} key, else the coin table's; failing both, every URL must agree with
 * the first one that answered).
 *
 * <p>A URL that answers is judged; one that does not fails the future with its transport
 * failure and is judged later. A daemon that answers {@code getblockhash 0} with an error
 * cannot say which chain it is on: it serves unverified, and is asked again each period.
 */
public final class ChainProbe implements ChainCheck {

  private static final Logger LOG = LoggerFactory.getLogger(ChainProbe.class);

  /**
   * The names daemons give each network in {@code getblockchaininfo.chain} (bitcoind and its
   * forks: main, test, regtest, signet, testnet4; dcrd: mainnet, testnet3, simnet, regnet),
   * by ElectrumX's net name. A net not listed here is not compared by name (block 0 still is).
   */
  static final Map<String, Set<String>> CHAIN_NAMES = Map.of(
      "mainnet", Set.of("main", "mainnet"),
      "testnet", Set.of("test", "testnet", "testnet3"),
      "testnet4", Set.of("testnet4"),
      "regtest", Set.of("regtest", "regnet"),
      "signet", Set.of("signet"),
      "simnet", Set.of("simnet"));

  private final JsonRpc rpc;
  private final String net;
  private final String describedGenesis;
  private final int syncingLag;
  private String genesis;
  private String genesisFrom;

  /**
   * @param net        the configured network (ElectrumX's name)
   * @param genesis    the expected block 0 hash (null: the first URL's is taken)
   * @param genesisOf  where {@code genesis} comes from, for the messages
   * @param syncingLag headers this many or more ahead of blocks mean still syncing (0: never)
   */
  public ChainProbe(JsonRpc rpc, String net, String genesis, String genesisOf, int syncingLag) {
    this.rpc = rpc;
    this.net = net.trim().toLowerCase(Locale.ROOT);
    this.genesis = genesis == null ? null : genesis.toLowerCase(Locale.ROOT);
    this.genesisFrom = genesisOf;
    this.describedGenesis = genesisOf;
    this.syncingLag = syncingLag;
  }

  @Override
  public Future<Outcome> check(DaemonUrl url, long timeoutMs) {
    return ask(url, timeoutMs, true);
  }

  /**
   * As {@link #check}; {@code withGenesis} false leaves out block 0, for a URL already known
   * good (its chain name is still compared: the cheap poll of each period).
   */
  public Future<Outcome> ask(DaemonUrl url, long timeoutMs, boolean withGenesis) {
    List<RpcCall> calls = new ArrayList<>(2);
    calls.add(RpcCall.of("getblockchaininfo"));
    if (withGenesis) {
      calls.add(RpcCall.of("getblockhash", 0));
    }
    return rpc.batchAt(url, calls, timeoutMs).map(results -> judge(url, results,
        withGenesis));
  }

  private Outcome judge(DaemonUrl url, List<RpcResult> results, boolean withGenesis) {
    JsonObject info = results.get(0).failed() ? null
        : results.get(0).result() instanceof JsonObject o ? o : null;
    String chain = info == null ? null : info.getValue("chain") instanceof String s ? s : null;
    UrlPoll poll = poll(info);
    String mismatch = chainMismatch(url, chain);
    String unknown = null;
    if (mismatch == null && withGenesis) {
      RpcResult block0 = results.get(1);
      if (block0.failed() || !(block0.result() instanceof String)) {
        unknown = url + " cannot tell which chain it is on: getblockhash 0 answered "
            + (block0.failed() ? block0.error().encode() : String.valueOf(block0.result()));
        LOG.debug("{}", unknown);
      } else {
        mismatch = genesisMismatch(url, (String) block0.result());
      }
    }
    return new Outcome(mismatch, chain, poll, withGenesis, unknown);
  }

  private String chainMismatch(DaemonUrl url, String chain) {
    Set<String> names = CHAIN_NAMES.get(net);
    if (chain == null || names == null || names.contains(chain.toLowerCase(Locale.ROOT))) {
      return null;
    }
    return url + " is on chain \"" + chain + "\", not on the configured net " + net;
  }

  private String genesisMismatch(DaemonUrl url, String hash) {
    String seen = hash.toLowerCase(Locale.ROOT);
    if (genesis == null) {
      genesis = seen;
      genesisFrom = "the block 0 of " + url + ", the first URL that answered";
      LOG.info("no genesis hash known for this coin and net: every daemon URL must have {}'s "
          + "block 0, {}", url, seen);
      return null;
    }
    return seen.equals(genesis) ? null : url + " is on another chain: its block 0 is " + seen
        + ", not " + genesis + " (" + genesisFrom + ")";
  }

  /** Where the expected genesis hash came from (null until known). */
  public String genesisSource() {
    return genesis == null ? describedGenesis : genesisFrom;
  }

  /**
   * The URL's height from getblockchaininfo: a daemon without it (the legacy kinds) has no
   * known height, so it never lags (the one call per period stays one).
   */
  private UrlPoll poll(JsonObject info) {
    Integer blocks = info == null ? null : whole(info.getValue("blocks"));
    if (blocks == null) {
      return null;
    }
    Integer headers = info == null ? null : whole(info.getValue("headers"));
    boolean syncing = info != null && Boolean.TRUE.equals(info.getValue("initialblockdownload"))
        || syncingLag > 0 && headers != null && headers - blocks >= syncingLag;
    Integer pruneHeight = info != null && Boolean.TRUE.equals(info.getValue("pruned"))
        ? whole(info.getValue("pruneheight")) : null;
    return new UrlPoll(blocks, headers, syncing, pruneHeight);
  }

  private static Integer whole(Object value) {
    if (value instanceof Number n && n.doubleValue() == n.longValue()
        && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    return null;
  }
}
