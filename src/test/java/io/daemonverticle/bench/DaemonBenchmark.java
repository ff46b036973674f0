package io.daemonverticle.bench;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The project's performance benchmark (run by scripts/bench, not by the tests). Each figure is
 * the median of several runs, next to a baseline measured in the same run against the same
 * in-process fake daemon (which runs on its own Vert.x instance):
 * <ol>
 *   <li>rawBlocks of large blocks through the event bus vs a bare WebClient batch plus hex
 *   decoding: the cost of the service's layers on the bulk path;</li>
 *   <li>many small concurrent requests (height) vs bare WebClient calls with the same
 *   concurrency: the per-request overhead;</li>
 *   <li>the longest stall of the service's event loop while large blocks are decoded, with the
 *   off-loop decoding on (the default) and off.</li>
 * </ol>
 */
public final class DaemonBenchmark {

  private static final int RUNS = Integer.getInteger("bench.runs", 11);
  private static final int BLOCKS = Integer.getInteger("bench.blocks", 20);
  private static final int BLOCK_BYTES = Integer.getInteger("bench.blockBytes", 1_000_000);
  private static final int SMALL_REQUESTS = Integer.getInteger("bench.small", 2000);
  private static final int CONCURRENCY = 10;

  public static void main(String[] args) throws Exception {
    Vertx daemonVertx = Vertx.vertx();
    Vertx vertx = Vertx.vertx();
    try {
      FakeDaemon fake = await(FakeDaemon.bitcoinLike(daemonVertx, 100));
      List<String> hashes = new ArrayList<>();
      JsonObject blocksByHash = new JsonObject();
      Random random = new Random(42);
      for (int i = 0; i < BLOCKS; i++) {
        byte[] block = new byte[BLOCK_BYTES];
        random.nextBytes(block);
        String hash = String.format(Locale.ROOT, "%064x", i + 1);
        hashes.add(hash);
        blocksByHash.put(hash, HexFormat.of().formatHex(block));
      }
      fake.handle("getblock", params -> blocksByHash.getString(params.getString(0)));

      JsonObject config = Deployments.config(fake).put("requestTimeoutMs", 60000)
          .put("attemptTimeoutMs", 60000).put("maxWorkqueue", CONCURRENCY);
      WebClient bare = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(CONCURRENCY));
      String endpoint = fake.url();

      System.out.printf(Locale.ROOT, "DaemonVerticle benchmark: %d runs each (median), "
          + "%d blocks of %d bytes, %d small requests at concurrency %d%n",
          RUNS, BLOCKS, BLOCK_BYTES, SMALL_REQUESTS, CONCURRENCY);

      // 1. Bulk path.
      String address = config.getString("address");
      await(Deployments.deploy(vertx, config));
      DaemonClient client = DaemonClient.create(vertx, address, 60000);
      long[] ours = new long[RUNS];
      long[] base = new long[RUNS];
      for (int run = -2; run < RUNS; run++) { // two warm-up runs
        long t0 = System.nanoTime();
        List<Buffer> blocks = await(client.rawBlocks(hashes));
        long t1 = System.nanoTime();
        List<byte[]> direct = await(bareRawBlocks(vertx, bare, endpoint, hashes));
        long t2 = System.nanoTime();
        if (blocks.size() != BLOCKS || direct.size() != BLOCKS
            || blocks.get(0).length() != BLOCK_BYTES) {
          throw new IllegalStateException("wrong result");
        }
        if (run >= 0) {
          ours[run] = t1 - t0;
          base[run] = t2 - t1;
        }
      }
      report("rawBlocks " + BLOCKS + " x " + BLOCK_BYTES / 1000 + " kB", ours, base,
          (double) BLOCKS * BLOCK_BYTES / 1e6, "MB/s");

      // 2. Small requests.
      long[] oursSmall = new long[RUNS];
      long[] baseSmall = new long[RUNS];
      for (int run = -2; run < RUNS; run++) {
        long t0 = System.nanoTime();
        await(concurrently(SMALL_REQUESTS, CONCURRENCY, () -> client.height().mapEmpty()));
        long t1 = System.nanoTime();
        await(concurrently(SMALL_REQUESTS, CONCURRENCY, () -> bareCall(vertx, bare, endpoint)));
        long t2 = System.nanoTime();
        if (run >= 0) {
          oursSmall[run] = t1 - t0;
          baseSmall[run] = t2 - t1;
        }
      }
      report("height x " + SMALL_REQUESTS, oursSmall, baseSmall, SMALL_REQUESTS, "req/s");

      // 3. Event-loop stalls while decoding large blocks.
      long offloaded = worstStall(vertx, fake, hashes, Integer.MAX_VALUE, true);
      long onLoop = worstStall(vertx, fake, hashes, Integer.MAX_VALUE, false);
      System.out.printf(Locale.ROOT, "event-loop stall during rawBlocks (median of worst gap "
          + "per run): offloaded %.1f ms, on the loop %.1f ms (%.1fx)%n",
          offloaded / 1e6, onLoop / 1e6, (double) onLoop / Math.max(1, offloaded));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      daemonVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void report(String what, long[] ours, long[] base, double units,
                             String unit) {
    double oursMs = median(ours) / 1e6;
    double baseMs = median(base) / 1e6;
    System.out.printf(Locale.ROOT, "%-24s DaemonVerticle %8.1f ms (%9.1f %s)   bare WebClient "
        + "%8.1f ms (%9.1f %s)   ratio %.2f%n", what, oursMs, units / (oursMs / 1000), unit,
        baseMs, units / (baseMs / 1000), unit, oursMs / baseMs);
  }

  /** Worst gap seen by a 1 ms periodic timer on the service's loop during each rawBlocks. */
  private static long worstStall(Vertx vertx, FakeDaemon fake, List<String> hashes,
                                 int unused, boolean offload) throws Exception {
    JsonObject config = Deployments.config(fake).put("requestTimeoutMs", 60000)
        .put("attemptTimeoutMs", 60000)
        .put("offloadBytes", offload ? io.daemonverticle.DaemonOptions.DEFAULT_OFFLOAD_BYTES
            : Integer.MAX_VALUE);
    // One event loop for service and probe, so the probe sees what the service does to it.
    Vertx single = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    try {
      await(Deployments.deploy(single, config));
      DaemonClient client = DaemonClient.create(single, config.getString("address"), 60000);
      long[] worst = new long[RUNS];
      for (int run = -1; run < RUNS; run++) {
        long[] gap = {0};
        long[] last = {System.nanoTime()};
        long timer = single.setPeriodic(1, id -> {
          long now = System.nanoTime();
          gap[0] = Math.max(gap[0], now - last[0]);
          last[0] = now;
        });
        await(client.rawBlocks(hashes));
        single.cancelTimer(timer);
        if (run >= 0) {
          worst[run] = gap[0];
        }
      }
      return (long) median(worst);
    } finally {
      single.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Future<List<byte[]>> bareRawBlocks(Vertx vertx, WebClient bare, String url,
                                                    List<String> hashes) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < hashes.size(); i++) {
      batch.add(new JsonObject().put("method", "getblock")
          .put("params", new JsonArray().add(hashes.get(i)).add(false)).put("id", i));
    }
    return bare.postAbs(url).basicAuthentication(Deployments.USER, Deployments.PASSWORD)
        .sendBuffer(batch.toBuffer())
        .map(resp -> {
          JsonArray reply = resp.bodyAsJsonArray();
          List<byte[]> out = new ArrayList<>();
          for (int i = 0; i < reply.size(); i++) {
            out.add(HexFormat.of().parseHex(reply.getJsonObject(i).getString("result")));
          }
          return out;
        });
  }

  private static Future<Void> bareCall(Vertx vertx, WebClient bare, String url) {
    return bare.postAbs(url).basicAuthentication(Deployments.USER, Deployments.PASSWORD)
        .sendBuffer(new JsonObject().put("method", "getblockcount").put("id", 1).toBuffer())
        .map(resp -> {
          if (resp.bodyAsJsonObject().getInteger("result") == null) {
            throw new IllegalStateException("no result");
          }
          return null;
        });
  }

  /** Runs total requests, at most concurrency at a time. */
  private static Future<Void> concurrently(int total, int concurrency,
                                           java.util.function.Supplier<Future<Void>> request) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    int[] started = {0};
    int[] finished = {0};
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      if (started[0] >= total) {
        return;
      }
      started[0]++;
      request.get().onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        if (++finished[0] == total) {
          done.tryComplete();
        } else {
          launch[0].run();
        }
      });
    };
    for (int i = 0; i < concurrency; i++) {
      launch[0].run();
    }
    return done.future();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(120, TimeUnit.SECONDS);
  }
}
