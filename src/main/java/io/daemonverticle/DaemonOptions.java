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
 * configuration table (src/site/markdown/configuration.md: each key's default, environment
 * variable and meaning in full) all come from those declarations.
 *
 * <p>Each key has a getter and a fluent setter named after it ({@code maxLagBlocks}:
 * {@link #getMaxLagBlocks()}, {@link #setMaxLagBlocks(int)}). Setters check nothing:
 * {@link #validate()} does, and a deployment calls it.
 */
public class DaemonOptions {

  /** The default of {@code coin}. */
  public static final String DEFAULT_COIN = "Bitcoin";
  /** The default of {@code net}. */
  public static final String DEFAULT_NET = "mainnet";
  /** The default of {@code address}. */
  public static final String DEFAULT_ADDRESS = "daemon";
  /** The default of {@code maxWorkqueue}. */
  public static final int DEFAULT_MAX_WORKQUEUE = 10;
  /** The default of {@code maxQueued}. */
  public static final int DEFAULT_MAX_QUEUED = 1000;
  /** The default of {@code initRetryMs}. */
  public static final long DEFAULT_INIT_RETRY_MS = 250;
  /** The default of {@code maxRetryMs}. */
  public static final long DEFAULT_MAX_RETRY_MS = 4000;
  /** The default of {@code maxBatch}. */
  public static final int DEFAULT_MAX_BATCH = 1000;
  /** The default of {@code requestTimeoutMs}. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 25000;
  /** The default of {@code attemptTimeoutMs}. */
  public static final long DEFAULT_ATTEMPT_TIMEOUT_MS = 10000;
  /** The default of {@code heightPollMs}. */
  public static final long DEFAULT_HEIGHT_POLL_MS = 5000;
  /** The default of {@code cacheTtlMs}. */
  public static final long DEFAULT_CACHE_TTL_MS = 60000;
  /** The default of {@code breakerMaxFailures}. */
  public static final int DEFAULT_BREAKER_MAX_FAILURES = 3;
  /** The default of {@code breakerResetMs}. */
  public static final long DEFAULT_BREAKER_RESET_MS = 4000;
  /** The default of {@code offloadBytes}. */
  public static final int DEFAULT_OFFLOAD_BYTES = 256 * 1024;
  /**
   * The default of {@code maxReplyBytes}. A reply carries a block as hex, twice its size: 256 MiB of reply holds 128 MiB of blocks
   * (e.g. two of 64 MB, or a batch of maxBatchBytes' 64 MB with room to spare), plus 1 MiB for
   * the JSON around them.
   */
  public static final long DEFAULT_MAX_REPLY_BYTES = 256L * 1024 * 1024 + 1024 * 1024;
  /** The default of {@code cacheLeaseMs}. */
  public static final long DEFAULT_CACHE_LEASE_MS = 30000;
  /** The default of {@code restBlocks}. */
  public static final boolean DEFAULT_REST_BLOCKS = true;
  /** The default of {@code maxBatchBytes}. */
  public static final long DEFAULT_MAX_BATCH_BYTES = 64L * 1024 * 1024;
  /** The default of {@code hedgeAfterMs}. */
  public static final long DEFAULT_HEDGE_AFTER_MS = 0;
  /** The default of {@code maxLagBlocks}. */
  public static final int DEFAULT_MAX_LAG_BLOCKS = 2;
  /** The default of {@code tipLongPoll}. */
  public static final boolean DEFAULT_TIP_LONG_POLL = true;
  /**
   * The default of {@code httpHost}: the HTTP front listens on loopback only unless told
   * otherwise.
   */
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

  /** Every key at its default; {@code daemonUrl} is unset, and required to deploy. */
  public DaemonOptions() {
  }

  /**
   * A copy, secrets included.
   *
   * @param other the options to copy
   */
  public DaemonOptions(DaemonOptions other) {
    this(other.toJson());
  }

  /**
   * Reads the options from a config object; absent (or null) keys keep their defaults, keys
   * that are not options are ignored. Values are not checked here: see {@link #validate()}.
   *
   * @param json a deployment config, as {@link #toJson()} writes it
   * @throws IllegalArgumentException naming the key when a value has the wrong JSON type
   */
  public DaemonOptions(JsonObject json) {
    values.read(json);
  }

  /**
   * Applies the environment overrides: each key that declares an environment variable (the
   * configuration table's env column: {@code DAEMON_URL}, {@code COIN}, {@code NET},
   * {@code HTTP_PORT}, ...) takes its value when it is set and not blank.
   *
   * @param env the variables, e.g. {@code System.getenv()}
   * @return this
   * @throws IllegalArgumentException naming the key when a value cannot be read as its type
   */
  public DaemonOptions withEnvironment(Map<String, String> env) {
    values.readEnvironment(env);
    return this;
  }

  /**
   * Checks the settings (ranges, blank strings, a backoff ceiling below its floor, ...); the
   * daemon URLs, coin and kind are checked where they are resolved, when the verticle starts.
   * Setters check nothing: deployment calls this.
   *
   * @return this
   * @throws IllegalArgumentException naming the first key whose value is not allowed
   */
  public DaemonOptions validate() {
    values.validate();
    return this;
  }

  /**
   * Every key, as a deployment config: secrets (httpToken) and the daemon URL's credentials
   * included, since a copy must deploy the same service. Never log it; see {@link #toString()}.
   *
   * @return a new object; unset keys are left out
   */
  public JsonObject toJson() {
    return values.toJson();
  }

  /**
   * As {@link #toJson()}, for logs and replies: secrets and URL credentials masked.
   *
   * @return a new object, safe to log
   */
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

  /** {@return the daemon URLs, comma-separated, credentials included; required, null until set ({@code daemonUrl})} */
  public String getDaemonUrl() { return values.get(DAEMON_URL); }
  /** Sets {@link #getDaemonUrl() daemonUrl}.
   * @param daemonUrl comma-separated URLs, {@code http(s)://user:pass@host:port/}
   * @return this */
  public DaemonOptions setDaemonUrl(String daemonUrl) { values.set(DAEMON_URL, daemonUrl); return this; }
  /** {@return the coin's name in the coin table, in any case ({@code coin})} */
  public String getCoin() { return values.get(COIN); }
  /** Sets {@link #getCoin() coin}.
   * @param coin a coin of the coin table; not null
   * @return this */
  public DaemonOptions setCoin(String coin) { values.set(COIN, Objects.requireNonNull(coin)); return this; }
  /** {@return the coin's network: mainnet, testnet, regtest… ({@code net})} */
  public String getNet() { return values.get(NET); }
  /** Sets {@link #getNet() net}.
   * @param net a network of the coin; not null
   * @return this */
  public DaemonOptions setNet(String net) { values.set(NET, Objects.requireNonNull(net)); return this; }
  /** {@return the kind's config name, or null for the coin table's ({@code daemonKind})} */
  public String getDaemonKind() { return values.get(DAEMON_KIND); }
  /** Sets {@link #getDaemonKind() daemonKind}.
   * @param daemonKind see {@link DaemonKind#parse(String)}, or null
   * @return this */
  public DaemonOptions setDaemonKind(String daemonKind) { values.set(DAEMON_KIND, daemonKind); return this; }
  /** {@return the service's event-bus address ({@code address})} */
  public String getAddress() { return values.get(ADDRESS); }
  /** Sets {@link #getAddress() address}.
   * @param address not blank
   * @return this */
  public DaemonOptions setAddress(String address) { values.set(ADDRESS, address); return this; }
  /** {@return the most HTTP requests in flight to the daemon at once, per verticle instance ({@code maxWorkqueue})} */
  public int getMaxWorkqueue() { return values.get(MAX_WORKQUEUE); }
  /** Sets {@link #getMaxWorkqueue() maxWorkqueue}.
   * @param maxWorkqueue at least 1
   * @return this */
  public DaemonOptions setMaxWorkqueue(int maxWorkqueue) { values.set(MAX_WORKQUEUE, maxWorkqueue); return this; }
  /** {@return the most requests waiting for a slot; more are answered 429 ({@code maxQueued})} */
  public int getMaxQueued() { return values.get(MAX_QUEUED); }
  /** Sets {@link #getMaxQueued() maxQueued}.
   * @param maxQueued 0 or more
   * @return this */
  public DaemonOptions setMaxQueued(int maxQueued) { values.set(MAX_QUEUED, maxQueued); return this; }
  /** {@return the shortest backoff between attempts, in ms; the ceiling doubles from it ({@code initRetryMs})} */
  public long getInitRetryMs() { return values.get(INIT_RETRY_MS); }
  /** Sets {@link #getInitRetryMs() initRetryMs}.
   * @param initRetryMs at least 1
   * @return this */
  public DaemonOptions setInitRetryMs(long initRetryMs) { values.set(INIT_RETRY_MS, initRetryMs); return this; }
  /** {@return the longest backoff between attempts, in ms ({@code maxRetryMs})} */
  public long getMaxRetryMs() { return values.get(MAX_RETRY_MS); }
  /** Sets {@link #getMaxRetryMs() maxRetryMs}.
   * @param maxRetryMs at least {@code initRetryMs}
   * @return this */
  public DaemonOptions setMaxRetryMs(long maxRetryMs) { values.set(MAX_RETRY_MS, maxRetryMs); return this; }
  /** {@return the most items in one batch action; more is answered 400 ({@code maxBatch})} */
  public int getMaxBatch() { return values.get(MAX_BATCH); }
  /** Sets {@link #getMaxBatch() maxBatch}.
   * @param maxBatch at least 1
   * @return this */
  public DaemonOptions setMaxBatch(int maxBatch) { values.set(MAX_BATCH, maxBatch); return this; }
  /** {@return how long a request may keep retrying before it is answered 503, in ms ({@code requestTimeoutMs})} */
  public long getRequestTimeoutMs() { return values.get(REQUEST_TIMEOUT_MS); }
  /** Sets {@link #getRequestTimeoutMs() requestTimeoutMs}.
   * @param requestTimeoutMs 1 to {@link Actions#MAX_TIMEOUT_MS}
   * @return this */
  public DaemonOptions setRequestTimeoutMs(long requestTimeoutMs) { values.set(REQUEST_TIMEOUT_MS, requestTimeoutMs); return this; }
  /** {@return the longest single HTTP attempt, connection to last byte, in ms ({@code attemptTimeoutMs})} */
  public long getAttemptTimeoutMs() { return values.get(ATTEMPT_TIMEOUT_MS); }
  /** Sets {@link #getAttemptTimeoutMs() attemptTimeoutMs}.
   * @param attemptTimeoutMs at least 1
   * @return this */
  public DaemonOptions setAttemptTimeoutMs(long attemptTimeoutMs) { values.set(ATTEMPT_TIMEOUT_MS, attemptTimeoutMs); return this; }
  /** {@return how often the height is polled for {@code <address>.height}, in ms; 0: never ({@code heightPollMs})} */
  public long getHeightPollMs() { return values.get(HEIGHT_POLL_MS); }
  /** Sets {@link #getHeightPollMs() heightPollMs}.
   * @param heightPollMs 0 or more
   * @return this */
  public DaemonOptions setHeightPollMs(long heightPollMs) { values.set(HEIGHT_POLL_MS, heightPollMs); return this; }
  /** {@return the daemon's ZMQ publisher followed for the tip, or null ({@code zmqUrl})} */
  public String getZmqUrl() { return values.get(ZMQ_URL); }
  /** Sets {@link #getZmqUrl() zmqUrl}.
   * @param zmqUrl {@code tcp://host:port} (or {@code ipc://path}), or null
   * @return this */
  public DaemonOptions setZmqUrl(String zmqUrl) { values.set(ZMQ_URL, zmqUrl); return this; }
  /** {@return whether the tip is followed with {@code waitfornewblock} where no zmqUrl is set ({@code tipLongPoll})} */
  public boolean isTipLongPoll() { return values.get(TIP_LONG_POLL); }
  /** Sets {@link #isTipLongPoll() tipLongPoll}.
   * @param tipLongPoll false: the poll alone (or ZMQ) follows the tip
   * @return this */
  public DaemonOptions setTipLongPoll(boolean tipLongPoll) { values.set(TIP_LONG_POLL, tipLongPoll); return this; }
  /** {@return how long network and mempool info are served from the shared cache, in ms ({@code cacheTtlMs})} */
  public long getCacheTtlMs() { return values.get(CACHE_TTL_MS); }
  /** Sets {@link #getCacheTtlMs() cacheTtlMs}.
   * @param cacheTtlMs 0 or more
   * @return this */
  public DaemonOptions setCacheTtlMs(long cacheTtlMs) { values.set(CACHE_TTL_MS, cacheTtlMs); return this; }
  /** {@return how long a node may hold the lease to refresh a cache entry, in ms ({@code cacheLeaseMs})} */
  public long getCacheLeaseMs() { return values.get(CACHE_LEASE_MS); }
  /** Sets {@link #getCacheLeaseMs() cacheLeaseMs}.
   * @param cacheLeaseMs at least 1
   * @return this */
  public DaemonOptions setCacheLeaseMs(long cacheLeaseMs) { values.set(CACHE_LEASE_MS, cacheLeaseMs); return this; }
  /** {@return the lag in blocks from which a URL serves only as a last resort; 0: off ({@code maxLagBlocks})} */
  public int getMaxLagBlocks() { return values.get(MAX_LAG_BLOCKS); }
  /** Sets {@link #getMaxLagBlocks() maxLagBlocks}.
   * @param maxLagBlocks 0 or more
   * @return this */
  public DaemonOptions setMaxLagBlocks(int maxLagBlocks) { values.set(MAX_LAG_BLOCKS, maxLagBlocks); return this; }
  /** {@return the block 0 hash every URL must have, or null for the coin table's ({@code genesisHash})} */
  public String getGenesisHash() { return values.get(GENESIS_HASH); }
  /** Sets {@link #getGenesisHash() genesisHash}.
   * @param genesisHash 64 hex characters, or null
   * @return this */
  public DaemonOptions setGenesisHash(String genesisHash) { values.set(GENESIS_HASH, genesisHash); return this; }
  /** {@return how long a read waits before it is also sent to the next URL, in ms; 0: never ({@code hedgeAfterMs})} */
  public long getHedgeAfterMs() { return values.get(HEDGE_AFTER_MS); }
  /** Sets {@link #getHedgeAfterMs() hedgeAfterMs}.
   * @param hedgeAfterMs 0 or more
   * @return this */
  public DaemonOptions setHedgeAfterMs(long hedgeAfterMs) { values.set(HEDGE_AFTER_MS, hedgeAfterMs); return this; }
  /** {@return the failures in a row that open a URL's circuit ({@code breakerMaxFailures})} */
  public int getBreakerMaxFailures() { return values.get(BREAKER_MAX_FAILURES); }
  /** Sets {@link #getBreakerMaxFailures() breakerMaxFailures}.
   * @param breakerMaxFailures at least 1
   * @return this */
  public DaemonOptions setBreakerMaxFailures(int breakerMaxFailures) { values.set(BREAKER_MAX_FAILURES, breakerMaxFailures); return this; }
  /** {@return how long an open circuit stays open before one request tries it, in ms ({@code breakerResetMs})} */
  public long getBreakerResetMs() { return values.get(BREAKER_RESET_MS); }
  /** Sets {@link #getBreakerResetMs() breakerResetMs}.
   * @param breakerResetMs at least 1
   * @return this */
  public DaemonOptions setBreakerResetMs(long breakerResetMs) { values.set(BREAKER_RESET_MS, breakerResetMs); return this; }
  /** {@return the reply size above which a reply is parsed on a worker thread, in bytes ({@code offloadBytes})} */
  public int getOffloadBytes() { return values.get(OFFLOAD_BYTES); }
  /** Sets {@link #getOffloadBytes() offloadBytes}.
   * @param offloadBytes 0 or more
   * @return this */
  public DaemonOptions setOffloadBytes(int offloadBytes) { values.set(OFFLOAD_BYTES, offloadBytes); return this; }
  /** {@return the longest daemon reply read, in bytes; a longer one is a transient failure ({@code maxReplyBytes})} */
  public long getMaxReplyBytes() { return values.get(MAX_REPLY_BYTES); }
  /** Sets {@link #getMaxReplyBytes() maxReplyBytes}.
   * @param maxReplyBytes at least 1
   * @return this */
  public DaemonOptions setMaxReplyBytes(long maxReplyBytes) { values.set(MAX_REPLY_BYTES, maxReplyBytes); return this; }
  /** {@return the most bytes of blocks in one rawBlocks reply; more is answered 400 ({@code maxBatchBytes})} */
  public long getMaxBatchBytes() { return values.get(MAX_BATCH_BYTES); }
  /** Sets {@link #getMaxBatchBytes() maxBatchBytes}.
   * @param maxBatchBytes at least 1
   * @return this */
  public DaemonOptions setMaxBatchBytes(long maxBatchBytes) { values.set(MAX_BATCH_BYTES, maxBatchBytes); return this; }
  /** {@return whether raw blocks come over the daemon's REST interface where it answers ({@code restBlocks})} */
  public boolean isRestBlocks() { return values.get(REST_BLOCKS); }
  /** Sets {@link #isRestBlocks() restBlocks}.
   * @param restBlocks false: JSON-RPC only
   * @return this */
  public DaemonOptions setRestBlocks(boolean restBlocks) { values.set(REST_BLOCKS, restBlocks); return this; }
  /** {@return the {@code socks5://} or {@code http://} proxy to the daemon, or null ({@code proxyUrl})} */
  public String getProxyUrl() { return values.get(PROXY_URL); }
  /** Sets {@link #getProxyUrl() proxyUrl}.
   * @param proxyUrl the proxy's URL, or null
   * @return this */
  public DaemonOptions setProxyUrl(String proxyUrl) { values.set(PROXY_URL, proxyUrl); return this; }
  /** {@return the bitcoind {@code .cookie} file to read credentials from, or null ({@code cookieFile})} */
  public String getCookieFile() { return values.get(COOKIE_FILE); }
  /** Sets {@link #getCookieFile() cookieFile}.
   * @param cookieFile a path, or null
   * @return this */
  public DaemonOptions setCookieFile(String cookieFile) { values.set(COOKIE_FILE, cookieFile); return this; }
  /** {@return the fakeEstimate kinds' fee estimate, or null for the coin table's ({@code estimateFee})} */
  public Double getEstimateFee() { return values.get(ESTIMATE_FEE); }
  /** Sets {@link #getEstimateFee() estimateFee}.
   * @param estimateFee coin units per kB, or null
   * @return this */
  public DaemonOptions setEstimateFee(Double estimateFee) { values.set(ESTIMATE_FEE, estimateFee); return this; }
  /** {@return the fakeEstimate kinds' relay fee, or null for the coin table's ({@code relayFee})} */
  public Double getRelayFee() { return values.get(RELAY_FEE); }
  /** Sets {@link #getRelayFee() relayFee}.
   * @param relayFee coin units per kB, or null
   * @return this */
  public DaemonOptions setRelayFee(Double relayFee) { values.set(RELAY_FEE, relayFee); return this; }
  /** {@return the lowest daemon version the start-up check accepts, or null ({@code minDaemonVersion})} */
  public String getMinDaemonVersion() { return values.get(MIN_DAEMON_VERSION); }
  /** Sets {@link #getMinDaemonVersion() minDaemonVersion}.
   * @param minDaemonVersion e.g. {@code "0.21.0"}, or null
   * @return this */
  public DaemonOptions setMinDaemonVersion(String minDaemonVersion) { values.set(MIN_DAEMON_VERSION, minDaemonVersion); return this; }
  /** {@return the indexes the start-up check requires (an unmodifiable copy) ({@code requiredIndexes})} */
  public List<String> getRequiredIndexes() { return List.copyOf(values.get(REQUIRED_INDEXES)); }
  /** Sets {@link #getRequiredIndexes() requiredIndexes}.
   * @param requiredIndexes index names, e.g. {@code txindex}
   * @return this */
  public DaemonOptions setRequiredIndexes(List<String> requiredIndexes) { values.set(REQUIRED_INDEXES, new ArrayList<>(requiredIndexes)); return this; }
  /** {@return the PEM or .jks file of the certificates to trust for https daemons, or null ({@code daemonCaFile})} */
  public String getDaemonCaFile() { return values.get(DAEMON_CA_FILE); }
  /** Sets {@link #getDaemonCaFile() daemonCaFile}.
   * @param daemonCaFile a path, or null
   * @return this */
  public DaemonOptions setDaemonCaFile(String daemonCaFile) { values.set(DAEMON_CA_FILE, daemonCaFile); return this; }
  /** {@return whether any daemon certificate is trusted ({@code trustAllDaemonCertificates})} */
  public boolean isTrustAllDaemonCertificates() { return values.get(TRUST_ALL_DAEMON_CERTIFICATES); }
  /** Sets {@link #isTrustAllDaemonCertificates() trustAllDaemonCertificates}.
   * @param trustAll true to trust any
   * @return this */
  public DaemonOptions setTrustAllDaemonCertificates(boolean trustAll) { values.set(TRUST_ALL_DAEMON_CERTIFICATES, trustAll); return this; }
  /** {@return the HTTP front's port (0: any free one), or null for no HTTP front ({@code httpPort})} */
  public Integer getHttpPort() { return values.get(HTTP_PORT); }
  /** Sets {@link #getHttpPort() httpPort}.
   * @param httpPort a port, 0, or null
   * @return this */
  public DaemonOptions setHttpPort(Integer httpPort) { values.set(HTTP_PORT, httpPort); return this; }
  /** {@return the interface the HTTP front listens on ({@code httpHost})} */
  public String getHttpHost() { return values.get(HTTP_HOST); }
  /** Sets {@link #getHttpHost() httpHost}.
   * @param httpHost not blank
   * @return this */
  public DaemonOptions setHttpHost(String httpHost) { values.set(HTTP_HOST, httpHost); return this; }
  /** {@return whether the HTTP front forwards the broadcast actions (else 403) ({@code httpAllowBroadcast})} */
  public boolean isHttpAllowBroadcast() { return values.get(HTTP_ALLOW_BROADCAST); }
  /** Sets {@link #isHttpAllowBroadcast() httpAllowBroadcast}.
   * @param allow true to forward them
   * @return this */
  public DaemonOptions setHttpAllowBroadcast(boolean allow) { values.set(HTTP_ALLOW_BROADCAST, allow); return this; }
  /** {@return the bearer token HTTP routes but {@code /health} need, or null; never log it ({@code httpToken})} */
  public String getHttpToken() { return values.get(HTTP_TOKEN); }
  /** Sets {@link #getHttpToken() httpToken}.
   * @param httpToken the token, or null
   * @return this */
  public DaemonOptions setHttpToken(String httpToken) { values.set(HTTP_TOKEN, httpToken); return this; }
}
