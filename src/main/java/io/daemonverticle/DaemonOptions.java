package io.daemonverticle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration of a {@link DaemonVerticle}, read from {@code config()}. Keys and defaults
 * are those of the contract; the keys marked "extension" are this project's own additions.
 * Environment variables override the JSON where {@link #withEnvironment(Map)} says so.
 */
public class DaemonOptions {

  public static final String DEFAULT_COIN = "Bitcoin";
  public static final String DEFAULT_NET = "mainnet";
  public static final String DEFAULT_ADDRESS = "daemon";
  public static final int DEFAULT_MAX_WORKQUEUE = 10;
  /** Extension: how many requests may wait for a work-queue slot before 429. */
  public static final int DEFAULT_MAX_QUEUED = 1000;
  public static final long DEFAULT_INIT_RETRY_MS = 250;
  public static final long DEFAULT_MAX_RETRY_MS = 4000;
  public static final int DEFAULT_MAX_BATCH = 1000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 25000;
  /** Extension: the longest one HTTP attempt may take before it counts as a timeout. */
  public static final long DEFAULT_ATTEMPT_TIMEOUT_MS = 10000;
  public static final long DEFAULT_HEIGHT_POLL_MS = 5000;
  public static final long DEFAULT_CACHE_TTL_MS = 60000;
  /** Extension: failures in a row after which a URL's circuit opens and requests fail over. */
  public static final int DEFAULT_BREAKER_MAX_FAILURES = 3;
  /** Extension: how long an open circuit stays open before one request may try it again. */
  public static final long DEFAULT_BREAKER_RESET_MS = 4000;
  /** Extension: reply bodies larger than this are parsed and hex-decoded off the event loop. */
  public static final int DEFAULT_OFFLOAD_BYTES = 256 * 1024;
  /** Extension: how long a node may hold the cluster-wide lease to refresh a shared cache. */
  public static final long DEFAULT_CACHE_LEASE_MS = 30000;

  private String daemonUrl;
  private String coin = DEFAULT_COIN;
  private String net = DEFAULT_NET;
  private String daemonKind;
  private String address = DEFAULT_ADDRESS;
  private int maxWorkqueue = DEFAULT_MAX_WORKQUEUE;
  private int maxQueued = DEFAULT_MAX_QUEUED;
  private long initRetryMs = DEFAULT_INIT_RETRY_MS;
  private long maxRetryMs = DEFAULT_MAX_RETRY_MS;
  private int maxBatch = DEFAULT_MAX_BATCH;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS;
  private long heightPollMs = DEFAULT_HEIGHT_POLL_MS;
  private long cacheTtlMs = DEFAULT_CACHE_TTL_MS;
  private long cacheLeaseMs = DEFAULT_CACHE_LEASE_MS;
  private int breakerMaxFailures = DEFAULT_BREAKER_MAX_FAILURES;
  private long breakerResetMs = DEFAULT_BREAKER_RESET_MS;
  private int offloadBytes = DEFAULT_OFFLOAD_BYTES;
  private String proxyUrl;
  private String cookieFile;
  private Double estimateFee;
  private Double relayFee;
  private String minDaemonVersion;
  private List<String> requiredIndexes = new ArrayList<>();
  private String daemonCaFile;
  private boolean trustAllDaemonCertificates;

  public DaemonOptions() {
  }

  public DaemonOptions(DaemonOptions other) {
    this(other.toJson());
  }

  /** Reads the options from a config object; absent keys keep their defaults. */
  public DaemonOptions(JsonObject json) {
    daemonUrl = string(json, "daemonUrl", null);
    coin = string(json, "coin", DEFAULT_COIN);
    net = string(json, "net", DEFAULT_NET);
    daemonKind = string(json, "daemonKind", null);
    address = string(json, "address", DEFAULT_ADDRESS);
    maxWorkqueue = integer(json, "maxWorkqueue", DEFAULT_MAX_WORKQUEUE);
    maxQueued = integer(json, "maxQueued", DEFAULT_MAX_QUEUED);
    initRetryMs = number(json, "initRetryMs", DEFAULT_INIT_RETRY_MS);
    maxRetryMs = number(json, "maxRetryMs", DEFAULT_MAX_RETRY_MS);
    maxBatch = integer(json, "maxBatch", DEFAULT_MAX_BATCH);
    requestTimeoutMs = number(json, "requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS);
    attemptTimeoutMs = number(json, "attemptTimeoutMs", DEFAULT_ATTEMPT_TIMEOUT_MS);
    heightPollMs = number(json, "heightPollMs", DEFAULT_HEIGHT_POLL_MS);
    cacheTtlMs = number(json, "cacheTtlMs", DEFAULT_CACHE_TTL_MS);
    cacheLeaseMs = number(json, "cacheLeaseMs", DEFAULT_CACHE_LEASE_MS);
    breakerMaxFailures = integer(json, "breakerMaxFailures", DEFAULT_BREAKER_MAX_FAILURES);
    breakerResetMs = number(json, "breakerResetMs", DEFAULT_BREAKER_RESET_MS);
    offloadBytes = integer(json, "offloadBytes", DEFAULT_OFFLOAD_BYTES);
    proxyUrl = string(json, "proxyUrl", null);
    cookieFile = string(json, "cookieFile", null);
    estimateFee = decimal(json, "estimateFee");
    relayFee = decimal(json, "relayFee");
    minDaemonVersion = string(json, "minDaemonVersion", null);
    Object indexes = json.getValue("requiredIndexes");
    if (indexes instanceof JsonArray array) {
      for (Object o : array) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("requiredIndexes must be an array of index names");
        }
        requiredIndexes.add(s);
      }
    } else if (indexes instanceof String s && !s.isBlank()) {
      for (String name : s.split(",")) {
        requiredIndexes.add(name.trim());
      }
    } else if (indexes != null) {
      throw new IllegalArgumentException("requiredIndexes must be an array of index names");
    }
    daemonCaFile = string(json, "daemonCaFile", null);
    Object trustAll = json.getValue("trustAllDaemonCertificates");
    if (trustAll != null && !(trustAll instanceof Boolean)) {
      throw new IllegalArgumentException("trustAllDaemonCertificates must be true or false");
    }
    trustAllDaemonCertificates = Boolean.TRUE.equals(trustAll);
  }

  /**
   * Applies the environment overrides of the contract: DAEMON_URL, COIN, NET, DAEMON_KIND,
   * DAEMON_PROXY_URL and DAEMON_COOKIE_FILE, each only when set and not blank.
   */
  public DaemonOptions withEnvironment(Map<String, String> env) {
    daemonUrl = env(env, "DAEMON_URL", daemonUrl);
    coin = env(env, "COIN", coin);
    net = env(env, "NET", net);
    daemonKind = env(env, "DAEMON_KIND", daemonKind);
    proxyUrl = env(env, "DAEMON_PROXY_URL", proxyUrl);
    cookieFile = env(env, "DAEMON_COOKIE_FILE", cookieFile);
    return this;
  }

  /** Checks the numeric settings; URL, coin and kind are checked where they are resolved. */
  public DaemonOptions validate() {
    positive("maxWorkqueue", maxWorkqueue);
    nonNegative("maxQueued", maxQueued);
    positive("initRetryMs", initRetryMs);
    if (maxRetryMs < initRetryMs) {
      throw new IllegalArgumentException("maxRetryMs must be at least initRetryMs");
    }
    positive("maxBatch", maxBatch);
    positive("requestTimeoutMs", requestTimeoutMs);
    positive("attemptTimeoutMs", attemptTimeoutMs);
    nonNegative("heightPollMs", heightPollMs);
    nonNegative("cacheTtlMs", cacheTtlMs);
    positive("cacheLeaseMs", cacheLeaseMs);
    positive("breakerMaxFailures", breakerMaxFailures);
    positive("breakerResetMs", breakerResetMs);
    nonNegative("offloadBytes", offloadBytes);
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address must not be empty");
    }
    return this;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIfNotNull(json, "daemonUrl", daemonUrl);
    json.put("coin", coin).put("net", net);
    putIfNotNull(json, "daemonKind", daemonKind);
    json.put("address", address)
        .put("maxWorkqueue", maxWorkqueue)
        .put("maxQueued", maxQueued)
        .put("initRetryMs", initRetryMs)
        .put("maxRetryMs", maxRetryMs)
        .put("maxBatch", maxBatch)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("attemptTimeoutMs", attemptTimeoutMs)
        .put("heightPollMs", heightPollMs)
        .put("cacheTtlMs", cacheTtlMs)
        .put("cacheLeaseMs", cacheLeaseMs)
        .put("breakerMaxFailures", breakerMaxFailures)
        .put("breakerResetMs", breakerResetMs)
        .put("offloadBytes", offloadBytes);
    putIfNotNull(json, "proxyUrl", proxyUrl);
    putIfNotNull(json, "cookieFile", cookieFile);
    putIfNotNull(json, "estimateFee", estimateFee);
    putIfNotNull(json, "relayFee", relayFee);
    putIfNotNull(json, "minDaemonVersion", minDaemonVersion);
    if (!requiredIndexes.isEmpty()) {
      json.put("requiredIndexes", new JsonArray(new ArrayList<>(requiredIndexes)));
    }
    putIfNotNull(json, "daemonCaFile", daemonCaFile);
    if (trustAllDaemonCertificates) {
      json.put("trustAllDaemonCertificates", true);
    }
    return json;
  }

  private static void putIfNotNull(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static String env(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static String string(JsonObject json, String key, String fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return s;
  }

  private static long number(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException(key + " must be a whole number");
    }
    return n.longValue();
  }

  private static int integer(JsonObject json, String key, int fallback) {
    long value = number(json, key, fallback);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(key + " is out of range");
    }
    return (int) value;
  }

  private static Double decimal(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(key + " must be a number");
    }
    return n.doubleValue();
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, not " + value);
    }
  }

  private static void nonNegative(String key, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(key + " must not be negative, not " + value);
    }
  }

  public String getDaemonUrl() { return daemonUrl; }
  public DaemonOptions setDaemonUrl(String daemonUrl) { this.daemonUrl = daemonUrl; return this; }
  public String getCoin() { return coin; }
  public DaemonOptions setCoin(String coin) { this.coin = Objects.requireNonNull(coin); return this; }
  public String getNet() { return net; }
  public DaemonOptions setNet(String net) { this.net = Objects.requireNonNull(net); return this; }
  public String getDaemonKind() { return daemonKind; }
  public DaemonOptions setDaemonKind(String daemonKind) { this.daemonKind = daemonKind; return this; }
  public String getAddress() { return address; }
  public DaemonOptions setAddress(String address) { this.address = address; return this; }
  public int getMaxWorkqueue() { return maxWorkqueue; }
  public DaemonOptions setMaxWorkqueue(int maxWorkqueue) { this.maxWorkqueue = maxWorkqueue; return this; }
  public int getMaxQueued() { return maxQueued; }
  public DaemonOptions setMaxQueued(int maxQueued) { this.maxQueued = maxQueued; return this; }
  public long getInitRetryMs() { return initRetryMs; }
  public DaemonOptions setInitRetryMs(long initRetryMs) { this.initRetryMs = initRetryMs; return this; }
  public long getMaxRetryMs() { return maxRetryMs; }
  public DaemonOptions setMaxRetryMs(long maxRetryMs) { this.maxRetryMs = maxRetryMs; return this; }
  public int getMaxBatch() { return maxBatch; }
  public DaemonOptions setMaxBatch(int maxBatch) { this.maxBatch = maxBatch; return this; }
  public long getRequestTimeoutMs() { return requestTimeoutMs; }
  public DaemonOptions setRequestTimeoutMs(long requestTimeoutMs) { this.requestTimeoutMs = requestTimeoutMs; return this; }
  public long getAttemptTimeoutMs() { return attemptTimeoutMs; }
  public DaemonOptions setAttemptTimeoutMs(long attemptTimeoutMs) { this.attemptTimeoutMs = attemptTimeoutMs; return this; }
  public long getHeightPollMs() { return heightPollMs; }
  public DaemonOptions setHeightPollMs(long heightPollMs) { this.heightPollMs = heightPollMs; return this; }
  public long getCacheTtlMs() { return cacheTtlMs; }
  public DaemonOptions setCacheTtlMs(long cacheTtlMs) { this.cacheTtlMs = cacheTtlMs; return this; }
  public long getCacheLeaseMs() { return cacheLeaseMs; }
  public DaemonOptions setCacheLeaseMs(long cacheLeaseMs) { this.cacheLeaseMs = cacheLeaseMs; return this; }
  public int getBreakerMaxFailures() { return breakerMaxFailures; }
  public DaemonOptions setBreakerMaxFailures(int breakerMaxFailures) { this.breakerMaxFailures = breakerMaxFailures; return this; }
  public long getBreakerResetMs() { return breakerResetMs; }
  public DaemonOptions setBreakerResetMs(long breakerResetMs) { this.breakerResetMs = breakerResetMs; return this; }
  public int getOffloadBytes() { return offloadBytes; }
  public DaemonOptions setOffloadBytes(int offloadBytes) { this.offloadBytes = offloadBytes; return this; }
  public String getProxyUrl() { return proxyUrl; }
  public DaemonOptions setProxyUrl(String proxyUrl) { this.proxyUrl = proxyUrl; return this; }
  public String getCookieFile() { return cookieFile; }
  public DaemonOptions setCookieFile(String cookieFile) { this.cookieFile = cookieFile; return this; }
  public Double getEstimateFee() { return estimateFee; }
  public DaemonOptions setEstimateFee(Double estimateFee) { this.estimateFee = estimateFee; return this; }
  public Double getRelayFee() { return relayFee; }
  public DaemonOptions setRelayFee(Double relayFee) { this.relayFee = relayFee; return this; }
  public String getMinDaemonVersion() { return minDaemonVersion; }
  public DaemonOptions setMinDaemonVersion(String minDaemonVersion) { this.minDaemonVersion = minDaemonVersion; return this; }
  public List<String> getRequiredIndexes() { return List.copyOf(requiredIndexes); }
  public DaemonOptions setRequiredIndexes(List<String> requiredIndexes) { this.requiredIndexes = new ArrayList<>(requiredIndexes); return this; }
  public String getDaemonCaFile() { return daemonCaFile; }
  public DaemonOptions setDaemonCaFile(String daemonCaFile) { this.daemonCaFile = daemonCaFile; return this; }
  public boolean isTrustAllDaemonCertificates() { return trustAllDaemonCertificates; }
  public DaemonOptions setTrustAllDaemonCertificates(boolean trustAll) { this.trustAllDaemonCertificates = trustAll; return this; }
}
