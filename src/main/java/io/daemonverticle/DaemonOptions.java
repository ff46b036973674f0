package io.daemonverticle;

import static io.daemonverticle.impl.config.Check.atLeast;
import static io.daemonverticle.impl.config.Check.nonNegative;
import static io.daemonverticle.impl.config.Check.notBlank;
import static io.daemonverticle.impl.config.Check.positive;
import static io.daemonverticle.impl.config.Check.positiveAtMost;
import static io.daemonverticle.impl.config.OptionType.DECIMAL;
import static io.daemonverticle.impl.config.OptionType.FLAG;
import static io.daemonverticle.impl.config.OptionType.INT;
import static io.daemonverticle.impl.config.OptionType.LONG;
import static io.daemonverticle.impl.config.OptionType.STRING;

import io.daemonverticle.impl.config.Check;
import io.daemonverticle.impl.config.OptionKey;
import io.daemonverticle.impl.config.OptionKeys;
import io.daemonverticle.impl.config.OptionTable;
import io.daemonverticle.impl.config.OptionType;
import io.daemonverticle.impl.config.OptionValues;
import io.daemonverticle.impl.config.Redactor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration of a {@link DaemonVerticle}, read from {@code config()}. Keys and defaults
 * are those of the contract; the keys marked "extension" are this project's own additions.
 * Environment variables override the JSON where {@link #withEnvironment(Map)} says so.
 *
 * <p>Each key is declared once below; reading, writing, environment, validation and the
 * README's table all come from those declarations.
 */
public class DaemonOptions {

  public static final String DEFAULT_COIN = "Bitcoin";
  public static final String DEFAULT_NET = "mainnet";
  public static final String DEFAULT_ADDRESS = "daemon";
  public static final int DEFAULT_MAX_WORKQUEUE = 10;
  public static final int DEFAULT_MAX_QUEUED = 1000;
  public static final long DEFAULT_INIT_RETRY_MS = 250;
  public static final long DEFAULT_MAX_RETRY_MS = 4000;
  public static final int DEFAULT_MAX_BATCH = 1000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 25000;
  public static final long DEFAULT_ATTEMPT_TIMEOUT_MS = 10000;
  public static final long DEFAULT_HEIGHT_POLL_MS = 5000;
  public static final long DEFAULT_CACHE_TTL_MS = 60000;
  public static final int DEFAULT_BREAKER_MAX_FAILURES = 3;
  public static final long DEFAULT_BREAKER_RESET_MS = 4000;
  public static final int DEFAULT_OFFLOAD_BYTES = 256 * 1024;
  /**
   * A reply carries a block as hex, twice its size: 256 MiB of reply holds 128 MiB of blocks
   * (e.g. two of 64 MB, or a batch of maxBatchBytes' 64 MB with room to spare), plus 1 MiB for
   * the JSON around them.
   */
  public static final long DEFAULT_MAX_REPLY_BYTES = 256L * 1024 * 1024 + 1024 * 1024;
  public static final long DEFAULT_CACHE_LEASE_MS = 30000;
  public static final boolean DEFAULT_REST_BLOCKS = true;
  public static final long DEFAULT_MAX_BATCH_BYTES = 64L * 1024 * 1024;
  public static final long DEFAULT_HEDGE_AFTER_MS = 0;
  public static final int DEFAULT_MAX_LAG_BLOCKS = 2;
  public static final boolean DEFAULT_TIP_LONG_POLL = true;
  /** The HTTP front listens on loopback only unless told otherwise. */
  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";

  // Must come before the declarations: each one adds itself here as the class initializes.
  private static final OptionKeys KEYS = new OptionKeys();

  private static final OptionKey<String> DAEMON_URL = KEYS.declare(
      OptionKey.of("daemonUrl", STRING, null).env("DAEMON_URL").shownDefault("(required)")
          .means("comma-separated daemon URLs, `http(s)://user:pass@host:port/`; scheme, port "
              + "and trailing slash may be left out (port from the coin table); credentials "
              + "required unless cookieFile is set; IPv6 hosts in brackets"));
  private static final OptionKey<String> COIN = KEYS.declare(
      OptionKey.of("coin", STRING, DEFAULT_COIN).env("COIN")
          .means("coin name from the coin table (case-insensitive)"));
  private static final OptionKey<String> NET = KEYS.declare(
      OptionKey.of("net", STRING, DEFAULT_NET).env("NET")
          .means("network of that coin: mainnet, testnet, regtest…"));
  private static final OptionKey<String> DAEMON_KIND = KEYS.declare(
      OptionKey.of("daemonKind", STRING, null).env("DAEMON_KIND")
          .shownDefault("from the coin table")
          .means("default, dash, smartcash, zcoinMtp, decred, legacy, preLegacy, "
              + "fakeEstimateFee, fakeEstimateLegacy"));
  private static final OptionKey<String> ADDRESS = KEYS.declare(
      OptionKey.of("address", STRING, DEFAULT_ADDRESS).check(notBlank())
          .means("event-bus address of the service"));
  private static final OptionKey<Integer> MAX_WORKQUEUE = KEYS.declare(
      OptionKey.of("maxWorkqueue", INT, DEFAULT_MAX_WORKQUEUE).check(positive())
          .means("most HTTP requests in flight to the daemon at once (per verticle instance)"));
  private static final OptionKey<Integer> MAX_QUEUED = KEYS.declare(
      OptionKey.of("maxQueued", INT, DEFAULT_MAX_QUEUED).check(nonNegative())
          .means("*extension*: most requests waiting for a slot; more are answered 429"));
  private static final OptionKey<Long> INIT_RETRY_MS = KEYS.declare(
      OptionKey.of("initRetryMs", LONG, DEFAULT_INIT_RETRY_MS).check(positive())
          .means("shortest backoff between attempts: each wait is random (jitter) up to a "
              + "ceiling that doubles from it to maxRetryMs"));
  private static final OptionKey<Long> MAX_RETRY_MS = KEYS.declare(
      OptionKey.of("maxRetryMs", LONG, DEFAULT_MAX_RETRY_MS).check(atLeast(INIT_RETRY_MS))
          .means("longest backoff between attempts"));
  private static final OptionKey<Integer> MAX_BATCH = KEYS.declare(
      OptionKey.of("maxBatch", INT, DEFAULT_MAX_BATCH).check(positive())
          .means("most items in one batch action; more is answered 400"));
  private static final OptionKey<Long> REQUEST_TIMEOUT_MS = KEYS.declare(
      OptionKey.of("requestTimeoutMs", LONG, DEFAULT_REQUEST_TIMEOUT_MS)
          // Typed clients wait as long as the longest deadline a service may have.
          .check(positiveAtMost(Actions.MAX_TIMEOUT_MS))
          .means("how long one request may keep retrying before it is answered 503"));
  private static final OptionKey<Long> ATTEMPT_TIMEOUT_MS = KEYS.declare(
      OptionKey.of("attemptTimeoutMs", LONG, DEFAULT_ATTEMPT_TIMEOUT_MS).check(positive())
          .means("*extension*: longest single HTTP attempt in total, connection to last byte "
              + "(bounded by the request's deadline)"));
  private static final OptionKey<Long> HEDGE_AFTER_MS = KEYS.declare(
      OptionKey.of("hedgeAfterMs", LONG, DEFAULT_HEDGE_AFTER_MS).check(nonNegative())
          .means("*extension*: a read not answered after this long is also sent to the next "
              + "URL whose circuit is not open, and the first answer wins (0: off)"));
  private static final OptionKey<Integer> MAX_LAG_BLOCKS = KEYS.declare(
      OptionKey.of("maxLagBlocks", INT, DEFAULT_MAX_LAG_BLOCKS).check(nonNegative())
          .means("a URL this many blocks or more behind the best height any URL gave in the "
              + "last minute, or still syncing, gets requests only while no URL that is not "
              + "behind can serve (0: lag is not looked at; syncing still is)"));
  private static final OptionKey<String> GENESIS_HASH = KEYS.declare(
      OptionKey.of("genesisHash", STRING, null).check(Check.blockHash())
          .shownDefault("from the coin table")
          .means("the hash of the chain's block 0 every URL must have (`getblockhash 0`); a "
              + "URL on another chain is quarantined: it serves nothing"));
  private static final OptionKey<Integer> BREAKER_MAX_FAILURES = KEYS.declare(
      OptionKey.of("breakerMaxFailures", INT, DEFAULT_BREAKER_MAX_FAILURES).check(positive())
          .means("*extension*: failures in a row after which a URL's circuit opens and requests "
              + "fail over"));
  private static final OptionKey<Long> BREAKER_RESET_MS = KEYS.declare(
      OptionKey.of("breakerResetMs", LONG, DEFAULT_BREAKER_RESET_MS).check(positive())
          .means("*extension*: how long an open circuit stays open before one request may try "
              + "it again"));
  private static final OptionKey<Long> HEIGHT_POLL_MS = KEYS.declare(
      OptionKey.of("heightPollMs", LONG, DEFAULT_HEIGHT_POLL_MS).check(nonNegative())
          .means("how often the daemon height is polled for `<address>.height`, and its best "
              + "block for `<address>.tip` (0: off)"));
  private static final OptionKey<String> ZMQ_URL = KEYS.declare(
      OptionKey.of("zmqUrl", STRING, null).env("DAEMON_ZMQ_URL")
          .means("*extension*: the daemon's ZMQ publisher (`tcp://host:port`, bitcoind "
              + "`-zmqpubhashblock` and `-zmqpubsequence`) followed for `<address>.tip` by the "
              + "node that polls"));
  private static final OptionKey<Boolean> TIP_LONG_POLL = KEYS.declare(
      OptionKey.of("tipLongPoll", FLAG, DEFAULT_TIP_LONG_POLL)
          .means("*extension*: while the tip is followed (`heightPollMs` > 0) and no `zmqUrl` "
              + "is set, follow it with `waitfornewblock` where the daemon has it (probed)"));
  private static final OptionKey<Long> CACHE_TTL_MS = KEYS.declare(
      OptionKey.of("cacheTtlMs", LONG, DEFAULT_CACHE_TTL_MS).check(nonNegative())
          .means("how long network info and mempool info are served from the shared cache"));
  private static final OptionKey<Long> CACHE_LEASE_MS = KEYS.declare(
      OptionKey.of("cacheLeaseMs", LONG, DEFAULT_CACHE_LEASE_MS).check(positive())
          .means("*extension*: how long a node may hold the cluster lease to refresh a cache "
              + "entry"));
  private static final OptionKey<Integer> OFFLOAD_BYTES = KEYS.declare(
      OptionKey.of("offloadBytes", INT, DEFAULT_OFFLOAD_BYTES).check(nonNegative())
          .means("*extension*: replies larger than this are parsed on a worker thread, and so "
              + "is work on every byte of them (a kind's block rewrite; their hex when the JVM "
              + "lacks the Vector API; with it, each chunk is decoded on the event loop as it "
              + "arrives and plain blocks are framed there)"));
  private static final OptionKey<Long> MAX_REPLY_BYTES = KEYS.declare(
      OptionKey.of("maxReplyBytes", LONG, DEFAULT_MAX_REPLY_BYTES).check(positive())
          .means("*extension*: longest daemon reply read; a longer one is cut off (its "
              + "connection closed) and is a transient failure of that URL"));
  private static final OptionKey<Long> MAX_BATCH_BYTES = KEYS.declare(
      OptionKey.of("maxBatchBytes", LONG, DEFAULT_MAX_BATCH_BYTES).check(positive())
          .means("most bytes of blocks one rawBlocks reply holds: a request whose blocks add "
              + "up to more is answered 400 (over REST as soon as the bytes pass it)"));
  private static final OptionKey<Boolean> REST_BLOCKS = KEYS.declare(
      OptionKey.of("restBlocks", FLAG, DEFAULT_REST_BLOCKS)
          .means("fetch raw blocks over the daemon's REST `/rest/block/<hash>.bin` where it "
              + "answers (probed per URL; bitcoind `-rest`), JSON-RPC otherwise; the legacy "
              + "kinds always use JSON-RPC"));
  private static final OptionKey<String> PROXY_URL = KEYS.declare(
      OptionKey.of("proxyUrl", STRING, null).env("DAEMON_PROXY_URL")
          .means("`socks5://host:port` or `http://host:port` to reach the daemon through"));
  private static final OptionKey<String> COOKIE_FILE = KEYS.declare(
      OptionKey.of("cookieFile", STRING, null).env("DAEMON_COOKIE_FILE")
          .means("bitcoind `.cookie` file; credentials are read from it (and again after a 401)"));
  private static final OptionKey<Double> ESTIMATE_FEE = KEYS.declare(
      OptionKey.of("estimateFee", DECIMAL, null).shownDefault("from the coin table")
          .means("fixed answer of the fakeEstimate kinds to `estimateFee`"));
  private static final OptionKey<Double> RELAY_FEE = KEYS.declare(
      OptionKey.of("relayFee", DECIMAL, null).shownDefault("from the coin table")
          .means("fixed answer of the fakeEstimate kinds to `relayFee`"));
  private static final OptionKey<String> MIN_DAEMON_VERSION = KEYS.declare(
      OptionKey.of("minDaemonVersion", STRING, null)
          .means("start-up check: e.g. `\"0.21.0\"` or `\"25.0\"`, compared with "
              + "`getnetworkinfo.version`"));
  private static final OptionKey<List<String>> REQUIRED_INDEXES = KEYS.declare(
      OptionKey.of("requiredIndexes", OptionType.names("index names"), List.<String>of())
          .means("start-up check: e.g. `[\"txindex\"]`, from `getindexinfo`; a missing index "
              + "fails the start, a syncing one warns"));
  private static final OptionKey<String> DAEMON_CA_FILE = KEYS.declare(
      OptionKey.of("daemonCaFile", STRING, null)
          .means("PEM (or .jks) file of the certificate(s) to trust for `https://` daemon URLs "
              + "(dcrd)"));
  private static final OptionKey<Boolean> TRUST_ALL_DAEMON_CERTIFICATES = KEYS.declare(
      OptionKey.of("trustAllDaemonCertificates", FLAG, false)
          .means("trust any certificate; only when asked for by name"));

  private static final OptionKey<Integer> HTTP_PORT = KEYS.declare(
      OptionKey.of("httpPort", INT, null).env("HTTP_PORT").check(Check.port())
          .shownDefault("none (off)")
          .means("port of the HTTP front (`POST /actions/{action}`, `/health`, "
              + "`/metrics`); 0 takes any free port; unset: no HTTP front"));
  private static final OptionKey<String> HTTP_HOST = KEYS.declare(
      OptionKey.of("httpHost", STRING, DEFAULT_HTTP_HOST).env("HTTP_HOST").check(notBlank())
          .means("interface the HTTP front listens on"));
  private static final OptionKey<Boolean> HTTP_ALLOW_BROADCAST = KEYS.declare(
      OptionKey.of("httpAllowBroadcast", FLAG, false)
          .means("let the HTTP front forward broadcastTransaction, "
              + "broadcastPackage and masternodeBroadcast (refused 403 otherwise)"));
  private static final OptionKey<String> HTTP_TOKEN = KEYS.declare(
      OptionKey.of("httpToken", STRING, null).secret()
          .means("when set, every HTTP route but `/health` (and `/health/*`) needs "
              + "`Authorization: Bearer <token>` (401 otherwise); a credential: never logged"));

  private final OptionValues values = new OptionValues(KEYS.list());

  public DaemonOptions() {
  }

  public DaemonOptions(DaemonOptions other) {
    this(other.toJson());
  }

  /** Reads the options from a config object; absent keys keep their defaults. */
  public DaemonOptions(JsonObject json) {
    values.read(json);
  }

  /**
   * Applies the environment overrides of the contract: DAEMON_URL, COIN, NET, DAEMON_KIND,
   * DAEMON_PROXY_URL and DAEMON_COOKIE_FILE, each only when set and not blank.
   */
  public DaemonOptions withEnvironment(Map<String, String> env) {
    values.readEnvironment(env);
    return this;
  }

  /** Checks the numeric settings; URL, coin and kind are checked where they are resolved. */
  public DaemonOptions validate() {
    values.validate();
    return this;
  }

  /**
   * Every key, as a deployment config: secrets (httpToken) and the daemon URL's credentials
   * included, since a copy must deploy the same service. Never log it; see {@link #toString()}.
   */
  public JsonObject toJson() {
    return values.toJson();
  }

  /** As {@link #toJson()}, for logs and replies: secrets and URL credentials masked. */
  public JsonObject toMaskedJson() {
    JsonObject json = values.toMaskedJson();
    for (OptionKey<String> url : List.of(DAEMON_URL, PROXY_URL)) {
      if (json.getValue(url.name()) instanceof String value) {
        json.put(url.name(), Redactor.maskUrlList(value));
      }
    }
    return json;
  }

  @Override
  public String toString() {
    return toMaskedJson().encode();
  }

  /** The declarations, in order; for tests that must cover every key. */
  static List<OptionKey<?>> keys() {
    return KEYS.list();
  }

  /** The README's configuration table, rendered from the declarations. */
  static String markdownTable() {
    return OptionTable.markdown(KEYS.list());
  }

  public String getDaemonUrl() { return values.get(DAEMON_URL); }
  public DaemonOptions setDaemonUrl(String daemonUrl) { values.set(DAEMON_URL, daemonUrl); return this; }
  public String getCoin() { return values.get(COIN); }
  public DaemonOptions setCoin(String coin) { values.set(COIN, Objects.requireNonNull(coin)); return this; }
  public String getNet() { return values.get(NET); }
  public DaemonOptions setNet(String net) { values.set(NET, Objects.requireNonNull(net)); return this; }
  public String getDaemonKind() { return values.get(DAEMON_KIND); }
  public DaemonOptions setDaemonKind(String daemonKind) { values.set(DAEMON_KIND, daemonKind); return this; }
  public String getAddress() { return values.get(ADDRESS); }
  public DaemonOptions setAddress(String address) { values.set(ADDRESS, address); return this; }
  public int getMaxWorkqueue() { return values.get(MAX_WORKQUEUE); }
  public DaemonOptions setMaxWorkqueue(int maxWorkqueue) { values.set(MAX_WORKQUEUE, maxWorkqueue); return this; }
  public int getMaxQueued() { return values.get(MAX_QUEUED); }
  public DaemonOptions setMaxQueued(int maxQueued) { values.set(MAX_QUEUED, maxQueued); return this; }
  public long getInitRetryMs() { return values.get(INIT_RETRY_MS); }
  public DaemonOptions setInitRetryMs(long initRetryMs) { values.set(INIT_RETRY_MS, initRetryMs); return this; }
  public long getMaxRetryMs() { return values.get(MAX_RETRY_MS); }
  public DaemonOptions setMaxRetryMs(long maxRetryMs) { values.set(MAX_RETRY_MS, maxRetryMs); return this; }
  public int getMaxBatch() { return values.get(MAX_BATCH); }
  public DaemonOptions setMaxBatch(int maxBatch) { values.set(MAX_BATCH, maxBatch); return this; }
  public long getRequestTimeoutMs() { return values.get(REQUEST_TIMEOUT_MS); }
  public DaemonOptions setRequestTimeoutMs(long requestTimeoutMs) { values.set(REQUEST_TIMEOUT_MS, requestTimeoutMs); return this; }
  public long getAttemptTimeoutMs() { return values.get(ATTEMPT_TIMEOUT_MS); }
  public DaemonOptions setAttemptTimeoutMs(long attemptTimeoutMs) { values.set(ATTEMPT_TIMEOUT_MS, attemptTimeoutMs); return this; }
  public long getHeightPollMs() { return values.get(HEIGHT_POLL_MS); }
  public DaemonOptions setHeightPollMs(long heightPollMs) { values.set(HEIGHT_POLL_MS, heightPollMs); return this; }
  public String getZmqUrl() { return values.get(ZMQ_URL); }
  public DaemonOptions setZmqUrl(String zmqUrl) { values.set(ZMQ_URL, zmqUrl); return this; }
  public boolean isTipLongPoll() { return values.get(TIP_LONG_POLL); }
  public DaemonOptions setTipLongPoll(boolean tipLongPoll) { values.set(TIP_LONG_POLL, tipLongPoll); return this; }
  public long getCacheTtlMs() { return values.get(CACHE_TTL_MS); }
  public DaemonOptions setCacheTtlMs(long cacheTtlMs) { values.set(CACHE_TTL_MS, cacheTtlMs); return this; }
  public long getCacheLeaseMs() { return values.get(CACHE_LEASE_MS); }
  public DaemonOptions setCacheLeaseMs(long cacheLeaseMs) { values.set(CACHE_LEASE_MS, cacheLeaseMs); return this; }
  public int getMaxLagBlocks() { return values.get(MAX_LAG_BLOCKS); }
  public DaemonOptions setMaxLagBlocks(int maxLagBlocks) { values.set(MAX_LAG_BLOCKS, maxLagBlocks); return this; }
  public String getGenesisHash() { return values.get(GENESIS_HASH); }
  public DaemonOptions setGenesisHash(String genesisHash) { values.set(GENESIS_HASH, genesisHash); return this; }
  public long getHedgeAfterMs() { return values.get(HEDGE_AFTER_MS); }
  public DaemonOptions setHedgeAfterMs(long hedgeAfterMs) { values.set(HEDGE_AFTER_MS, hedgeAfterMs); return this; }
  public int getBreakerMaxFailures() { return values.get(BREAKER_MAX_FAILURES); }
  public DaemonOptions setBreakerMaxFailures(int breakerMaxFailures) { values.set(BREAKER_MAX_FAILURES, breakerMaxFailures); return this; }
  public long getBreakerResetMs() { return values.get(BREAKER_RESET_MS); }
  public DaemonOptions setBreakerResetMs(long breakerResetMs) { values.set(BREAKER_RESET_MS, breakerResetMs); return this; }
  public int getOffloadBytes() { return values.get(OFFLOAD_BYTES); }
  public DaemonOptions setOffloadBytes(int offloadBytes) { values.set(OFFLOAD_BYTES, offloadBytes); return this; }
  public long getMaxReplyBytes() { return values.get(MAX_REPLY_BYTES); }
  public DaemonOptions setMaxReplyBytes(long maxReplyBytes) { values.set(MAX_REPLY_BYTES, maxReplyBytes); return this; }
  public long getMaxBatchBytes() { return values.get(MAX_BATCH_BYTES); }
  public DaemonOptions setMaxBatchBytes(long maxBatchBytes) { values.set(MAX_BATCH_BYTES, maxBatchBytes); return this; }
  public boolean isRestBlocks() { return values.get(REST_BLOCKS); }
  public DaemonOptions setRestBlocks(boolean restBlocks) { values.set(REST_BLOCKS, restBlocks); return this; }
  public String getProxyUrl() { return values.get(PROXY_URL); }
  public DaemonOptions setProxyUrl(String proxyUrl) { values.set(PROXY_URL, proxyUrl); return this; }
  public String getCookieFile() { return values.get(COOKIE_FILE); }
  public DaemonOptions setCookieFile(String cookieFile) { values.set(COOKIE_FILE, cookieFile); return this; }
  public Double getEstimateFee() { return values.get(ESTIMATE_FEE); }
  public DaemonOptions setEstimateFee(Double estimateFee) { values.set(ESTIMATE_FEE, estimateFee); return this; }
  public Double getRelayFee() { return values.get(RELAY_FEE); }
  public DaemonOptions setRelayFee(Double relayFee) { values.set(RELAY_FEE, relayFee); return this; }
  public String getMinDaemonVersion() { return values.get(MIN_DAEMON_VERSION); }
  public DaemonOptions setMinDaemonVersion(String minDaemonVersion) { values.set(MIN_DAEMON_VERSION, minDaemonVersion); return this; }
  public List<String> getRequiredIndexes() { return List.copyOf(values.get(REQUIRED_INDEXES)); }
  public DaemonOptions setRequiredIndexes(List<String> requiredIndexes) { values.set(REQUIRED_INDEXES, new ArrayList<>(requiredIndexes)); return this; }
  public String getDaemonCaFile() { return values.get(DAEMON_CA_FILE); }
  public DaemonOptions setDaemonCaFile(String daemonCaFile) { values.set(DAEMON_CA_FILE, daemonCaFile); return this; }
  public boolean isTrustAllDaemonCertificates() { return values.get(TRUST_ALL_DAEMON_CERTIFICATES); }
  public DaemonOptions setTrustAllDaemonCertificates(boolean trustAll) { values.set(TRUST_ALL_DAEMON_CERTIFICATES, trustAll); return this; }
  public Integer getHttpPort() { return values.get(HTTP_PORT); }
  public DaemonOptions setHttpPort(Integer httpPort) { values.set(HTTP_PORT, httpPort); return this; }
  public String getHttpHost() { return values.get(HTTP_HOST); }
  public DaemonOptions setHttpHost(String httpHost) { values.set(HTTP_HOST, httpHost); return this; }
  public boolean isHttpAllowBroadcast() { return values.get(HTTP_ALLOW_BROADCAST); }
  public DaemonOptions setHttpAllowBroadcast(boolean allow) { values.set(HTTP_ALLOW_BROADCAST, allow); return this; }
  public String getHttpToken() { return values.get(HTTP_TOKEN); }
  public DaemonOptions setHttpToken(String httpToken) { values.set(HTTP_TOKEN, httpToken); return this; }
}
