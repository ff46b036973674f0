package io.daemonverticle.testing;

import io.daemonverticle.testing.FakeDaemon.RpcError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bitcoind-like preset of {@link FakeDaemon#withChain(int)}: a deterministic chain whose data tests can
 * recompute through the static helpers ({@link #blockHash}, {@link #rawBlockHex}, ...), plus a mutable mempool.
 *
 * <p>Amounts are BigDecimals with 8 decimals so they serialise as bitcoind prints them ({@code 0.00001000}), not
 * as {@code 1.0E-5}.
 */
public final class FakeChain {

    public static final BigDecimal MIN_FEE = btc("0.00001");
    public static final BigDecimal SMART_FEE = btc("0.0002");
    public static final int MAX_CONF_TARGET = 1008;
    private static final long GENESIS_TIME = 1231006505L;
    private static final String ESTIMATESMARTFEE_HELP = "estimatesmartfee conf_target ( \"estimate_mode\" )\n\n"
            + "Estimates the approximate fee per kilobyte needed for a transaction to begin\n"
            + "confirmation within conf_target blocks if possible and return the number of blocks\n"
            + "for which the estimate is valid.\n";

    // Hashes are a pure function of height, so one cache serves every chain in the JVM.
    private static final Map<String, Integer> HEIGHT_BY_HASH = new ConcurrentHashMap<>();
    private static volatile int hashedUpTo = -1;

    private volatile int height;
    /** Blocks a reorg put in place of the deterministic ones, by height. */
    private final Map<Integer, String> branch = new java.util.HashMap<>();
    /** Blocks a reorg dropped, by hash: bitcoind still knows their headers. */
    private final Map<String, JsonObject> stale = new java.util.HashMap<>();
    private int reorgs;
    /** Told after each change of the tip (waitfornewblock's waiters). */
    private final List<Runnable> tipListeners = new CopyOnWriteArrayList<>();
    private volatile String chainName = "regtest";
    private volatile Integer pruneHeight;
    private final List<String> mempool = new CopyOnWriteArrayList<>();

    FakeChain(int height) {
        setHeight(height);
    }

    public int height() {
        return height;
    }

    /** What getblockchaininfo says in {@code chain} ("regtest" unless set: Bitcoin regtest's block 0 is ours). */
    /** What getblockchaininfo says of pruning: {@code pruned} true and this {@code pruneheight} (null: not pruned). */
    public FakeChain pruneHeight(Integer height) {
        pruneHeight = height;
        return this;
    }

    public FakeChain chainName(String name) {
        chainName = name;
        return this;
    }

    public synchronized void setHeight(int newHeight) {
        if (newHeight < 0) {
            throw new IllegalArgumentException("negative height " + newHeight);
        }
        // After a reorg the chain grows on its new branch.
        for (int h = height + 1; h <= newHeight && !branch.isEmpty(); h++) {
            branch.put(h, sha256Hex("block" + h + "/reorg" + reorgs));
        }
        height = newHeight;
        tipChanged();
    }

    /** Runs {@code listener} after each change of the tip, until it is removed. */
    public void onTipChange(Runnable listener) {
        tipListeners.add(listener);
    }

    public void removeTipListener(Runnable listener) {
        tipListeners.remove(listener);
    }

    private void tipChanged() {
        tipListeners.forEach(Runnable::run);
    }

    /**
     * A reorg, as {@code invalidateblock} of block {@code forkHeight + 1} and then mining to
     * {@code newTip} would make it: every block above {@code forkHeight} is replaced by a new
     * one (hashes never seen before), and the old ones stay known to {@code getblockheader},
     * as bitcoind keeps them. {@code newTip == forkHeight} only drops the blocks above it.
     */
    public synchronized void reorg(int forkHeight, int newTip) {
        if (forkHeight < 0 || forkHeight > height || newTip < forkHeight) {
            throw new IllegalArgumentException("no reorg from " + height + " at " + forkHeight
                + " to " + newTip);
        }
        for (int h = forkHeight + 1; h <= height; h++) {
            stale.put(hashAt(h), header(h, hashAt(h), hashAt(h - 1)));
        }
        reorgs++;
        branch.keySet().removeIf((Integer h) -> h > forkHeight);
        for (int h = forkHeight + 1; h <= newTip; h++) {
            branch.put(h, sha256Hex("block" + h + "/reorg" + reorgs));
        }
        height = newTip;
        tipChanged();
    }

    /** The hash of this chain's block at {@code h}: {@link #blockHash} unless a reorg replaced it. */
    public synchronized String hashAt(int h) {
        String replaced = branch.get(h);
        return replaced != null ? replaced : blockHash(h);
    }

    /** The header of a block a reorg made or dropped; null for the other blocks. */
    private synchronized JsonObject reorgHeader(String hash) {
        JsonObject dropped = stale.get(hash);
        if (dropped != null) {
            return dropped.copy().put("confirmations", -1);
        }
        for (Map.Entry<Integer, String> e : branch.entrySet()) {
            if (e.getValue().equals(hash) && e.getKey() <= height) {
                return header(e.getKey(), hash, hashAt(e.getKey() - 1))
                    .put("confirmations", height - e.getKey() + 1);
            }
        }
        return null;
    }

    private static JsonObject header(int h, String hash, String previous) {
        return new JsonObject().put("hash", hash).put("height", h).put("previousblockhash", previous);
    }

    /** Live, mutable txid list behind getrawmempool/getmempoolinfo; sendrawtransaction appends to it. */
    public List<String> mempool() {
        return mempool;
    }

    void installOn(FakeDaemon d) {
        d.handle("getblockcount", (JsonArray p) -> height);
        d.handle("getbestblockhash", (JsonArray p) -> hashAt(height));
        d.handle("getblockhash", (JsonArray p) -> hashAt(checkedHeight(intParam(p, 0,
            "height"))));
        d.handle("getblock", (JsonArray p) -> getBlock(p));
        d.handle("getblockheader", (JsonArray p) -> getBlockHeader(p));
        d.handle("getblockchaininfo", (JsonArray p) -> blockchainInfo());
        d.handle("getnetworkinfo", (JsonArray p) -> networkInfo());
        d.handle("getmempoolinfo", (JsonArray p) -> mempoolInfo());
        d.handle("getrawmempool", (JsonArray p) -> rawMempool(p));
        d.handle("estimatesmartfee", (JsonArray p) -> estimateSmartFee(p));
        d.handle("getrawtransaction", (JsonArray p) -> getRawTransaction(p));
        d.handle("sendrawtransaction", (JsonArray p) -> sendRawTransaction(p));
    }

    // ---------------------------------------------------------------- deterministic data

    /**
     * Bitcoin regtest's block 0, so that a service configured for Bitcoin regtest (the tests' default) finds the
     * fake on its chain; a test of another coin gives the service this hash as {@code genesisHash}.
     */
    public static final String GENESIS_HASH = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";

    /** Bitcoin regtest's block 0 as bitcoind serves it (285 bytes): its header hashes to {@link #GENESIS_HASH}. */
    private static final String GENESIS_BLOCK = "01000000" + "00".repeat(32)
            + "3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4adae5494dffff7f200200000001"
            + "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d01044554"
            + "68652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64"
            + "206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105c"
            + "d6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000";

    /**
     * 64 hex chars: the block's real hash, double sha256 of its 80-byte header (the first 80 bytes of
     * {@link #rawBlockHex}), byte-reversed, so the service's check of served blocks passes; block 0 is
     * {@link #GENESIS_HASH}.
     */
    public static String blockHash(int h) {
        String hash = h == 0 ? GENESIS_HASH : txidOf(headerHex(h));
        HEIGHT_BY_HASH.putIfAbsent(hash, h);
        return hash;
    }

    /**
     * The hash the service checks a served block against: double sha256 of its first 80 bytes, byte-reversed. A
     * test's own blocks must be asked for by this hash, as a real daemon's are.
     */
    public static String hashOf(byte[] block) {
        return hashOf(block, 80);
    }

    /** As {@link #hashOf(byte[])}, of the first {@code headerBytes} bytes (a Zcoin MTP header: 180). */
    public static String hashOf(byte[] block, int headerBytes) {
        return txidOf(HexFormat.of().formatHex(block, 0, headerBytes));
    }

    /** The 80-byte header of block h: the first 80 bytes of {@link #rawBlockHex}. */
    public static String headerHex(int h) {
        return h == 0 ? GENESIS_BLOCK.substring(0, 160) : filler("rawblock" + h, 80);
    }

    /**
     * Serialized block of 1000 + h bytes, as 2 * (1000 + h) hex chars; varies with h so sizes differ. Block 0 is
     * Bitcoin regtest's genesis block (285 bytes).
     */
    public static String rawBlockHex(int h) {
        return h == 0 ? GENESIS_BLOCK : filler("rawblock" + h, 1000 + h);
    }

    /** The length of {@link #rawBlockHex} in bytes. */
    private static int blockSize(int h) {
        return h == 0 ? GENESIS_BLOCK.length() / 2 : 1000 + h;
    }

    /** Transactions in block h: 1 + h % 3 of them, the first being the coinbase. */
    public static List<String> blockTxids(int h) {
        int count = 1 + h % 3;
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = sha256Hex("tx" + h + ":" + i);
        }
        return List.of(ids);
    }

    /** 250-byte deterministic transaction for any txid. */
    public static String rawTxHex(String txid) {
        return "02000000" + filler("rawtx" + txid, 246);
    }

    /** The real txid of serialized transaction hex: double sha256, byte-reversed. */
    public static String txidOf(String rawHex) {
        byte[] once = sha256(HexFormat.of().parseHex(rawHex));
        byte[] twice = sha256(once);
        for (int i = 0, j = twice.length - 1; i < j; i++, j--) {
            byte b = twice[i];
            twice[i] = twice[j];
            twice[j] = b;
        }
        return HexFormat.of().formatHex(twice);
    }

    public JsonObject verboseBlock(int h) {
        JsonObject block = new JsonObject()
                .put("hash", blockHash(h))
                .put("confirmations", height - h + 1)
                .put("size", blockSize(h))
                .put("strippedsize", blockSize(h))
                .put("weight", 4 * blockSize(h))
                .put("height", h)
                .put("version", 0x20000000)
                .put("versionHex", "20000000")
                .put("merkleroot", sha256Hex("merkle" + h))
                .put("tx", new JsonArray(blockTxids(h)))
                .put("time", GENESIS_TIME + 600L * h)
                .put("mediantime", GENESIS_TIME + 600L * h - 1800)
                .put("nonce", h * 7919L % 4294967296L)
                .put("bits", "1d00ffff")
                .put("difficulty", 1)
                .put("chainwork", String.format("%064x", h + 1L))
                .put("nTx", blockTxids(h).size());
        if (h > 0) {
            block.put("previousblockhash", blockHash(h - 1));
        }
        if (h < height) {
            block.put("nextblockhash", blockHash(h + 1));
        }
        return block;
    }

    public static JsonObject verboseTx(String txid) {
        String hex = rawTxHex(txid);
        return new JsonObject()
                .put("txid", txid)
                .put("hash", txid)
                .put("version", 2)
                .put("size", hex.length() / 2)
                .put("vsize", hex.length() / 2)
                .put("weight", 4 * hex.length() / 2)
                .put("locktime", 0)
                .put("vin", new JsonArray().add(new JsonObject().put("txid", sha256Hex("prev" + txid)).put("vout", 0)))
                .put("vout", new JsonArray().add(new JsonObject().put("value", btc("0.5")).put("n", 0)))
                .put("hex", hex);
    }

    // ---------------------------------------------------------------- RPC methods

    private Object getBlock(JsonArray p) {
        int h = heightOf(stringParam(p, 0, "blockhash"));
        int verbosity = verbosity(p, 1, 1);
        if (verbosity == 0) {
            return rawBlockHex(h);
        }
        JsonObject block = verboseBlock(h);
        if (verbosity >= 2) {
            JsonArray txs = new JsonArray();
            blockTxids(h).forEach((String txid) -> txs.add(verboseTx(txid)));
            block.put("tx", txs);
        }
        return block;
    }

    private Object getBlockHeader(JsonArray p) {
        JsonObject reorged = reorgHeader(stringParam(p, 0, "blockhash"));
        if (reorged != null) {
            return reorged;
        }
        int h = heightOf(stringParam(p, 0, "blockhash"));
        if (verbosity(p, 1, 1) == 0) {
            return headerHex(h);
        }
        JsonObject header = verboseBlock(h);
        header.remove("tx");
        header.remove("size");
        header.remove("strippedsize");
        header.remove("weight");
        return header;
    }

    private JsonObject blockchainInfo() {
        int tip = height;
        return new JsonObject()
                .put("chain", chainName)
                .put("blocks", tip)
                .put("headers", tip)
                .put("bestblockhash", hashAt(tip))
                .put("difficulty", 1)
                .put("time", GENESIS_TIME + 600L * tip)
                .put("mediantime", GENESIS_TIME + 600L * tip - 1800)
                .put("verificationprogress", 1)
                .put("initialblockdownload", false)
                .put("chainwork", String.format("%064x", tip + 1L))
                .put("size_on_disk", 1_000_000L + tip * 1000L)
                .put("pruned", pruneHeight != null)
                .put("pruneheight", pruneHeight)
                .put("warnings", "");
    }

    private static JsonObject networkInfo() {
        return new JsonObject()
                .put("version", 270000)
                .put("subversion", "/Satoshi:27.0.0/")
                .put("protocolversion", 70016)
                .put("localservices", "0000000000000c09")
                .put("localrelay", true)
                .put("timeoffset", 0)
                .put("networkactive", true)
                .put("connections", 10)
                .put("connections_in", 0)
                .put("connections_out", 10)
                .put("networks", new JsonArray())
                .put("relayfee", MIN_FEE)
                .put("incrementalfee", MIN_FEE)
                .put("localaddresses", new JsonArray())
                .put("warnings", "");
    }

    private JsonObject mempoolInfo() {
        int size = mempool.size();
        return new JsonObject()
                .put("loaded", true)
                .put("size", size)
                .put("bytes", 250L * size)
                .put("usage", 1000L * size)
                .put("total_fee", SMART_FEE.multiply(BigDecimal.valueOf(size)))
                .put("maxmempool", 300_000_000L)
                .put("mempoolminfee", MIN_FEE)
                .put("minrelaytxfee", MIN_FEE)
                .put("incrementalrelayfee", MIN_FEE)
                .put("unbroadcastcount", 0)
                .put("fullrbf", false);
    }

    private Object rawMempool(JsonArray p) {
        boolean verbose = p != null && !p.isEmpty() && Boolean.TRUE.equals(p.getValue(0));
        if (!verbose) {
            return new JsonArray(List.copyOf(mempool));
        }
        JsonObject entries = new JsonObject();
        for (String txid : mempool) {
            entries.put(txid, new JsonObject()
                    .put("vsize", 250)
                    .put("weight", 1000)
                    .put("time", GENESIS_TIME + 600L * height)
                    .put("height", height)
                    .put("fees", new JsonObject().put("base", btc("0.00005"))));
        }
        return entries;
    }

    private static JsonObject estimateSmartFee(JsonArray p) {
        if (p == null || p.isEmpty()) {
            // bitcoind answers a wrong arity with the method's help text as error -1.
            throw new RpcError(FakeDaemon.RPC_MISC_ERROR, ESTIMATESMARTFEE_HELP);
        }
        int target = intParam(p, 0, "conf_target");
        if (target < 1 || target > MAX_CONF_TARGET) {
            throw new RpcError(FakeDaemon.RPC_INVALID_PARAMETER,
                    "Invalid conf_target, must be between 1 and " + MAX_CONF_TARGET);
        }
        return new JsonObject().put("feerate", SMART_FEE).put("blocks", target);
    }

    private Object getRawTransaction(JsonArray p) {
        String txid = stringParam(p, 0, "txid");
        if (!txid.matches("[0-9a-fA-F]{64}")) {
            throw new RpcError(FakeDaemon.RPC_INVALID_PARAMETER,
                    "txid must be of length 64 (not " + txid.length() + ", for '" + txid + "')");
        }
        return verbosity(p, 1, 0) == 0 ? rawTxHex(txid) : verboseTx(txid);
    }

    private String sendRawTransaction(JsonArray p) {
        String hex = stringParam(p, 0, "hexstring");
        if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]*")) {
            throw new RpcError(FakeDaemon.RPC_DESERIALIZATION_ERROR, "TX decode failed. Make sure the tx has at "
                    + "least one input.");
        }
        String txid = txidOf(hex);
        if (!mempool.contains(txid)) {
            mempool.add(txid);
        }
        return txid;
    }

    // ---------------------------------------------------------------- helpers

    private int checkedHeight(int h) {
        if (h < 0 || h > height) {
            throw new RpcError(FakeDaemon.RPC_INVALID_PARAMETER, "Block height out of range");
        }
        return h;
    }

    private int heightOf(String hash) {
        Integer h = HEIGHT_BY_HASH.get(hash);
        if (h == null) {
            // Unknown so far: hash the heights not yet seen, once, rather than keeping a table per chain.
            int tip = height;
            for (int i = hashedUpTo + 1; i <= tip; i++) {
                blockHash(i);
            }
            hashedUpTo = Math.max(hashedUpTo, tip);
            h = HEIGHT_BY_HASH.get(hash);
        }
        if (h == null || h > height) {
            throw new RpcError(FakeDaemon.RPC_INVALID_ADDRESS_OR_KEY, "Block not found");
        }
        return h;
    }

    /** bitcoind takes verbosity as a bool or a number. */
    private static int verbosity(JsonArray p, int index, int dflt) {
        if (p == null || p.size() <= index || p.getValue(index) == null) {
            return dflt;
        }
        Object v = p.getValue(index);
        if (v instanceof Boolean) {
            return (Boolean) v ? 1 : 0;
        }
        if (v instanceof Number) {
            return ((Number) v).intValue();
        }
        throw new RpcError(FakeDaemon.RPC_TYPE_ERROR, "Expected type bool or number");
    }

    private static int intParam(JsonArray p, int index, String name) {
        Object v = p == null || p.size() <= index ? null : p.getValue(index);
        if (!(v instanceof Number)) {
            throw new RpcError(FakeDaemon.RPC_INVALID_PARAMETER, "Missing or non-numeric " + name);
        }
        return ((Number) v).intValue();
    }

    private static String stringParam(JsonArray p, int index, String name) {
        Object v = p == null || p.size() <= index ? null : p.getValue(index);
        if (!(v instanceof String)) {
            throw new RpcError(FakeDaemon.RPC_INVALID_PARAMETER, "Missing or non-string " + name);
        }
        return (String) v;
    }

    private static BigDecimal btc(String amount) {
        return new BigDecimal(amount).setScale(8);
    }

    private static String filler(String seed, int bytes) {
        StringBuilder hex = new StringBuilder(bytes * 2);
        byte[] block = sha256(seed.getBytes(StandardCharsets.UTF_8));
        while (hex.length() < bytes * 2) {
            hex.append(HexFormat.of().formatHex(block));
            block = sha256(block);
        }
        hex.setLength(bytes * 2);
        return hex.toString();
    }

    static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
