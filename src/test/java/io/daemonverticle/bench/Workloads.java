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
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The benchmark's event-bus consumer: the requests an indexer makes of the DaemonVerticle, the
 * same ones src/test/bench/wire-client.js sends the daemon directly. One request or round at a
 * time, as ElectrumX's block prefetcher does:
 * <ul>
 *   <li>{@code blocks}: blockHexHashes of 10 heights, then rawBlocks of those 10 hashes;</li>
 *   <li>{@code blocks2}: the same rounds, two in flight (the only workload that is not one
 *   round at a time: it shows what overlapping buys from another JVM);</li>
 *   <li>{@code txs}: getRawTransactions of 100 txids (block 0's, cycled);</li>
 *   <li>{@code height}: height calls, 10 in flight;</li>
 *   <li>{@code echo}, {@code echo2}: the bytes of 10 blocks a request from
 *   {@link #ECHO_ADDRESS}, no daemon, one and two requests in flight (their lines carry the
 *   modes {@code eventbus} and {@code eventbus2}: limits, not service figures).</li>
 * </ul>
 * Requests in flight are kept so the whole time ({@link InFlight}): the next goes out as one
 * ends. Every answer is checked against what the fake daemon serves ({@link Expected}, asked
 * of it directly before the clock starts): a wrong block byte, transaction or height fails
 * the pass. A pass reports its time with the service JVM's probes (event-loop stall, heap
 * after GC) read over the event bus, so it works the same from the service's JVM and from
 * another cluster node, and what the fake daemon was asked meanwhile (which transport was
 * used).
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
  /**
   * Whether the probes read are this JVM's own: on a clustered node that serves the daemon
   * itself, beside another that registered the probes too.
   */
  private final boolean ownProbes;
  /** Every request of a pass goes out from, and completes on, this one event loop. */
  private final Context context;
  private final Map<String, Expected> expected = new HashMap<>();

  /**
   * @param blockBytes the size of every block of the fake daemon, which the echo checks
   * @param ownProbes  whether to read this JVM's probes, not those the event bus finds
   */
  Workloads(Vertx vertx, int blockBytes, boolean ownProbes) {
    this.vertx = vertx;
    this.blockBytes = blockBytes;
    this.ownProbes = ownProbes;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * One pass of a workload against the service of a daemon.
   *
   * @param via       how the requests reach the service, for the report ("local" or
   *                  "cluster")
   * @param count     blocks, transactions or calls
   * @param everyByte whether every byte of the blocks is compared, or a stripe of each
   *                  ({@link Expected})
   * @return its JSON line: seconds, units (block bytes, transactions or calls), the probes'
   *     readings and the fake daemon's raw getblock calls and REST blocks during the pass
   */
  JsonObject pass(String workload, FakeDaemonPort daemon, String via, int count,
                  boolean everyByte) throws Exception {
    DaemonClient client = DaemonClient.create(vertx, daemon.address(), REQUEST_TIMEOUT_MS);
    Expected truth = expected.get(daemon.name());
    boolean txs = workload.equals("txs");
    if (!workload.startsWith("echo") && (truth == null || txs && truth.txids().isEmpty())) {
      truth = Expected.fetch(daemon, txs);
      expected.put(daemon.name(), truth);
    }
    Expected answers = truth;
    Supplier<Future<Long>> pass = switch (workload) {
      case "blocks" -> () -> rounds(count, BLOCK_BATCH, 1,
          (int first, int n) -> blocks(client, answers, first, n, everyByte));
      case "blocks2" -> () -> rounds(count, BLOCK_BATCH, 2,
          (int first, int n) -> blocks(client, answers, first, n, everyByte));
      case "txs" -> () -> rounds(count, TX_BATCH, 1,
          (int first, int n) -> txs(client, answers, first, n));
      case "height" -> () -> rounds(count, 1, IN_FLIGHT,
          (int first, int n) -> client.height().map((Integer height) -> {
            answers.height(height);
            return 1L;
          }));
      case "echo" -> () -> rounds(count, BLOCK_BATCH, 1, this::echo);
      case "echo2" -> () -> rounds(count, BLOCK_BATCH, 2, this::echo);
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
    JsonObject line = workload.startsWith("echo")
        ? new JsonObject().put("mode", workload.replace("echo", "eventbus")) : new JsonObject();
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
            new DeliveryOptions().setSendTimeout(10_000).setLocalOnly(ownProbes))
        .await(15, TimeUnit.SECONDS).body();
  }

  /** One round of a pass: {@code count} units from {@code first} on; its units when done. */
  @FunctionalInterface
  interface Round {
    Future<Long> start(int first, int count);
  }

  /**
   * {@code total} units in rounds of {@code perRound}, {@code inFlight} rounds at a time the
   * whole pass: the next starts as one ends. The first failure fails the pass.
   */
  static Future<Long> rounds(int total, int perRound, int inFlight, Round round) {
    InFlight flight = new InFlight((total + perRound - 1) / perRound, inFlight);
    Promise<Long> done = Promise.promise();
    long[] units = {0};
    IntConsumer[] start = new IntConsumer[1];
    start[0] = (int index) -> {
      int first = index * perRound;
      Future<Long> started;
      try {
        started = round.start(first, Math.min(perRound, total - first));
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete((AsyncResult<Long> ar) -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
        } else if (!done.future().isComplete()) {
          units[0] += ar.result();
          if (flight.answered()) {
            start[0].accept(flight.lastSent());
          } else if (flight.done()) {
            done.complete(units[0]);
          }
        }
      });
    };
    int opened = flight.open();
    for (int i = 0; i < opened && !done.future().isComplete(); i++) {
      start[0].accept(i);
    }
    if (opened == 0) {
      done.complete(0L);
    }
    return done.future();
  }

  private static Future<Long> blocks(DaemonClient client, Expected answers, int first,
                                     int count, boolean everyByte) {
    return client.blockHexHashes(first, count)
        .compose((List<String> hashes) -> client.rawBlocks(hashes)
            .map((List<Buffer> blocks) -> answers.blocks(hashes, blocks, everyByte)));
  }

  private static Future<Long> txs(DaemonClient client, Expected answers, int first,
                                  int count) {
    List<String> txids = answers.txids();
    List<String> batch = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      batch.add(txids.get(i % txids.size()));
    }
    return client.getRawTransactions(batch)
        .map((List<String> hexes) -> answers.transactions(batch, hexes));
  }

  /** A reply of {@code count} blocks' bytes from the echo consumer. */
  private Future<Long> echo(int first, int count) {
    // Asked as DaemonClient asks for rawBlocks (the DaemonClient each pass makes registered
    // the codec on this node).
    return vertx.eventBus().<Buffer>request(ECHO_ADDRESS, count,
            new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS)
                .addHeader(ReplyBufferCodec.HEADER, ReplyBufferCodec.NAME))
        .map((Message<Buffer> reply) -> {
          int length = reply.body().length();
          if (length != count * blockBytes) {
            throw new IllegalStateException("the echo gave " + length + " bytes for " + count
                + " blocks");
          }
          return (long) length;
        });
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
