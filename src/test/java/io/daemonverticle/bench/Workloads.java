package io.daemonverticle.bench;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.impl.bus.ReplyBufferCodec;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The benchmark's event-bus consumer: the requests an indexer makes of the DaemonVerticle, the
 * same ones src/test/bench/wire-client.js sends the daemon directly. One request or round at a
 * time, as ElectrumX's block prefetcher does:
 * <ul>
 *   <li>{@code blocks}: blockHexHashes of 10 heights, then rawBlocks of those 10 hashes;</li>
 *   <li>{@code blocks2}: the same rounds, two at once (the only workload that is not one
 *   round at a time: it shows what overlapping buys from another JVM);</li>
 *   <li>{@code txs}: getRawTransactions of 100 txids (block 0's, cycled);</li>
 *   <li>{@code height}: height calls, 10 in flight;</li>
 *   <li>{@code echo}: the bytes of 10 blocks a request from {@link #ECHO_ADDRESS}, no daemon
 *   (its line carries the mode {@code eventbus}: a limit, not a service figure).</li>
 * </ul>
 * A pass reports its time with the service JVM's probes (event-loop stall, heap after GC)
 * read over the event bus, so it works the same from the service's JVM and from another
 * cluster node, and what the fake daemon was asked meanwhile (which transport was used).
 */
final class Workloads {

  static final String PROBE_ADDRESS = "bench.probe";
  /**
   * The probes' reset for a pass whose stalls are not reported: the loop probe then wakes no
   * loop (its cost is the bench's, not the service's).
   */
  static final String RESET_UNWATCHED = "reset-unwatched";
  /**
   * The service JVM's answer of ready buffers, as large as a request's blocks, in the codec
   * rawBlocks replies to DaemonClient take: the event bus alone, the limit of rawBlocks from
   * another JVM.
   */
  static final String ECHO_ADDRESS = "bench.echo";
  static final int BLOCK_BATCH = 10;
  static final int TX_BATCH = 100;
  static final int IN_FLIGHT = 10;
  /**
   * Each request's deadline, which the service answers by itself: far beyond any request on a
   * loaded machine, so the benchmark measures speed, not how the service copes with load.
   */
  static final long REQUEST_TIMEOUT_MS = 60_000;
  /** A whole pass (many requests); only a wedged service gets there. */
  static final long PASS_TIMEOUT_MS = 600_000;

  private final Vertx vertx;
  private final int blockBytes;
  /** Every request of a pass goes out from, and completes on, this one event loop. */
  private final Context context;
  private final Map<String, List<String>> txids = new HashMap<>();

  /** @param blockBytes the size of every block of the fake daemon, which the blocks check */
  Workloads(Vertx vertx, int blockBytes) {
    this.vertx = vertx;
    this.blockBytes = blockBytes;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * One pass of a workload against the service of a daemon.
   *
   * @param via   how the requests reach the service, for the report ("local" or "cluster")
   * @param count blocks, transactions or calls
   * @return its JSON line: seconds, units (block bytes, transactions or calls), the probes'
   *     readings and the fake daemon's raw getblock calls and REST blocks during the pass
   */
  JsonObject pass(String workload, FakeDaemonPort daemon, String via, int count)
      throws Exception {
    DaemonClient client = DaemonClient.create(vertx, daemon.address(), REQUEST_TIMEOUT_MS);
    Supplier<Future<Long>> pass = switch (workload) {
      case "blocks" -> () -> blocks(client, count, 0, 0);
      case "blocks2" -> () -> blocksInFlight(client, count, 2);
      case "txs" -> {
        List<String> ids = txids.get(daemon.name());
        if (ids == null) {
          ids = await(() -> txids(client));
          txids.put(daemon.name(), ids);
        }
        List<String> all = ids;
        yield () -> txs(client, all, count, 0);
      }
      case "height" -> () -> heights(client, count);
      case "echo" -> () -> echo(count, 0, 0);
      default -> throw new IllegalArgumentException("no workload " + workload);
    };
    JsonObject before = daemon.stats();
    probe(workload.startsWith("blocks") ? "reset" : RESET_UNWATCHED);
    long[] timed = await(() -> {
      long start = System.nanoTime();
      return pass.get().map((Long units) -> new long[] {units, System.nanoTime() - start});
    });
    JsonObject probes = probe("read");
    JsonObject after = daemon.stats();
    JsonObject line = workload.equals("echo") ? new JsonObject().put("mode", "eventbus")
        : new JsonObject();
    return line.put("type", "pass").put("workload", workload)
        .put("daemon", daemon.name()).put("via", via)
        .put("seconds", timed[1] / 1e9).put("units", timed[0]).mergeIn(probes)
        .put("rawGetblockCalls", delta(before, after, "getblock:raw"))
        .put("restBlocks", after.getLong("restBlocks") - before.getLong("restBlocks"));
  }

  private static long delta(JsonObject before, JsonObject after, String method) {
    return after.getJsonObject("rpcCalls").getLong(method, 0L)
        - before.getJsonObject("rpcCalls").getLong(method, 0L);
  }

  /**
   * The service JVM's probe readings; "reset" also starts them afresh, and
   * {@link #RESET_UNWATCHED} without the loop probe.
   */
  private JsonObject probe(String what) throws Exception {
    return vertx.eventBus().<JsonObject>request(PROBE_ADDRESS, what,
            new DeliveryOptions().setSendTimeout(10_000))
        .await(15, TimeUnit.SECONDS).body();
  }

  private Future<Long> blocks(DaemonClient client, int total, int first, long bytes) {
    if (first >= total) {
      return Future.succeededFuture(bytes);
    }
    int count = Math.min(BLOCK_BATCH, total - first);
    return client.blockHexHashes(first, count)
        .compose((List<String> hashes) -> client.rawBlocks(hashes)
            .map((List<Buffer> blocks) -> checked(hashes, blocks)))
        .compose((Long got) -> blocks(client, total, first + count, bytes + got));
  }

  /**
   * As {@link #blocks}, with {@code inFlight} rounds (blockHexHashes, then rawBlocks) at once:
   * a client that overlaps one request's daemon fetch with another's trip over the bus.
   */
  private Future<Long> blocksInFlight(DaemonClient client, int total, int inFlight) {
    Promise<Long> done = Promise.promise();
    int[] next = {0};
    long[] bytes = {0};
    int[] out = {0};
    Runnable[] round = new Runnable[1];
    round[0] = () -> {
      if (done.future().isComplete() || next[0] >= total) {
        if (out[0] == 0) {
          done.tryComplete(bytes[0]);
        }
        return;
      }
      int first = next[0];
      int count = Math.min(BLOCK_BATCH, total - first);
      next[0] += count;
      out[0]++;
      client.blockHexHashes(first, count)
          .compose((List<String> hashes) -> client.rawBlocks(hashes)
              .map((List<Buffer> blocks) -> checked(hashes, blocks)))
          .onComplete((AsyncResult<Long> ar) -> {
            out[0]--;
            if (ar.failed()) {
              done.tryFail(ar.cause());
              return;
            }
            bytes[0] += ar.result();
            round[0].run();
          });
    };
    for (int i = 0; i < inFlight; i++) {
      round[0].run();
    }
    return done.future();
  }

  /** Replies of up to 10 blocks' bytes from the echo consumer, one request at a time. */
  private Future<Long> echo(int total, int first, long bytes) {
    if (first >= total) {
      return Future.succeededFuture(bytes);
    }
    int count = Math.min(BLOCK_BATCH, total - first);
    // Asked as DaemonClient asks for rawBlocks (the DaemonClient each pass makes registered
    // the codec on this node).
    return vertx.eventBus().<Buffer>request(ECHO_ADDRESS, count,
            new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS)
                .addHeader(ReplyBufferCodec.HEADER, ReplyBufferCodec.NAME))
        .compose((Message<Buffer> reply) -> {
          int length = reply.body().length();
          if (length != count * blockBytes) {
            return Future.failedFuture(new IllegalStateException("the echo gave " + length
                + " bytes for " + count + " blocks"));
          }
          return echo(total, first + count, bytes + length);
        });
  }

  /** The bytes of the blocks, once each is known to be the block asked for. */
  private long checked(List<String> hashes, List<Buffer> blocks) {
    if (blocks.size() != hashes.size()) {
      throw new IllegalStateException("rawBlocks gave " + blocks.size() + " blocks for "
          + hashes.size() + " hashes");
    }
    long bytes = 0;
    for (int i = 0; i < blocks.size(); i++) {
      Buffer block = blocks.get(i);
      if (block.length() != blockBytes || !headerHash(block).equals(hashes.get(i))) {
        throw new IllegalStateException("rawBlocks gave a wrong block for " + hashes.get(i)
            + " (" + block.length() + " bytes)");
      }
      bytes += block.length();
    }
    return bytes;
  }

  /** A block's id: the double SHA-256 of its 80-byte header, byte-reversed, in hex. */
  private static String headerHash(Buffer block) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha.digest(sha.digest(block.getBytes(0, 80)));
      for (int i = 0, j = hash.length - 1; i < j; i++, j--) {
        byte b = hash[i];
        hash[i] = hash[j];
        hash[j] = b;
      }
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Future<List<String>> txids(DaemonClient client) {
    return client.blockHexHashes(0, 1)
        .compose((List<String> hashes) -> client.deserialisedBlock(hashes.get(0)))
        .map((JsonObject block) -> {
          JsonArray tx = block.getJsonArray("tx");
          List<String> txids = new ArrayList<>(tx.size());
          for (int i = 0; i < tx.size(); i++) {
            txids.add(tx.getString(i));
          }
          return txids;
        });
  }

  private Future<Long> txs(DaemonClient client, List<String> txids, int total, int done) {
    if (done >= total) {
      return Future.succeededFuture((long) done);
    }
    int count = Math.min(TX_BATCH, total - done);
    List<String> batch = new ArrayList<>(count);
    for (int i = done; i < done + count; i++) {
      batch.add(txids.get(i % txids.size()));
    }
    return client.getRawTransactions(batch).compose((List<String> hexes) -> {
      if (hexes.size() != count || hexes.stream()
          .anyMatch((String h) -> h == null || h.length() < 16)) {
        return Future.failedFuture(new IllegalStateException("getRawTransactions gave "
            + hexes.size() + " answers, not " + count + " transactions"));
      }
      return txs(client, txids, total, done + count);
    });
  }

  private Future<Long> heights(DaemonClient client, int calls) {
    Promise<Long> done = Promise.promise();
    int[] started = {0};
    int[] finished = {0};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (started[0] == calls) {
        return;
      }
      started[0]++;
      client.height().onComplete((AsyncResult<Integer> ar) -> {
        if (ar.failed() || ar.result() <= 0) {
          done.tryFail(ar.failed() ? ar.cause() : new IllegalStateException("height "
              + ar.result()));
        } else if (++finished[0] == calls) {
          done.tryComplete((long) calls);
        } else {
          next[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(IN_FLIGHT, calls); i++) {
      next[0].run();
    }
    return done.future();
  }

  /** Starts the work on the context and waits for it from this (non-Vert.x) thread. */
  private <T> T await(Supplier<Future<T>> work) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext((Void v) -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.tryFail(e);
      }
    });
    return promise.future().await(PASS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
