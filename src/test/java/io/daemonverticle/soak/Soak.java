package io.daemonverticle.soak;

import io.daemonverticle.Actions;
import io.daemonverticle.cluster.TestCluster;
import io.daemonverticle.it.CoreNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak (scripts/soak MINUTES): a Litecoin Core regtest node restarted every 30 s, two
 * clustered service JVMs that reach it through a fault proxy (URL 1) and a flapping proxy
 * (URL 2), and this JVM, a member of their cluster, sending a mixed load for MINUTES. Prints
 * a markdown table (also target/soak/results.md) and exits 1 if a check fails, 2 on bad
 * arguments; progress goes to stderr. Everything it starts it ends on every path; the
 * script's trap backs that up should this JVM be killed.
 */
public final class Soak {

  static final String NODE_NAME = "soak";
  static final String ADDRESS = "soak.daemon";
  static final long RESTART_PERIOD_MS = 30_000;
  static final int CONCURRENCY = 16;
  static final long HEAP_SAMPLE_MS = 15_000;
  private static final long START_TIMEOUT_MS = 180_000;

  private Soak() {
  }

  public static void main(String[] argv) throws Exception {
    int minutes;
    try {
      minutes = minutes(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.err.println("usage: scripts/soak [MINUTES]   (1 to 1440, default 10)");
      System.exit(2);
      return;
    }
    Path dir = Path.of(System.getProperty("project.basedir", ".")).resolve("target/soak");
    Files.createDirectories(dir);
    int status;
    try (Run run = new Run(dir)) {
      status = run.soak(minutes);
    }
    // Hazelcast may leave non-daemon threads behind.
    System.exit(status);
  }

  static int minutes(String[] argv) {
    if (argv.length == 0) {
      return 10;
    }
    if (argv.length > 1 || !argv[0].matches("[0-9]{1,4}")) {
      throw new IllegalArgumentException("MINUTES must be one whole number, not "
          + String.join(" ", argv));
    }
    int minutes = Integer.parseInt(argv[0]);
    if (minutes < 1 || minutes > 1440) {
      throw new IllegalArgumentException("MINUTES must be from 1 to 1440, not " + minutes);
    }
    return minutes;
  }

  static void progress(String line) {
    System.err.println("soak: " + line);
  }

  /** One soak run and everything it started, ended by close() whatever happened. */
  private static final class Run implements AutoCloseable {

    private final Path dir;
    private CoreNode node;
    private TestCluster cluster;
    private Vertx vertx;
    private WebClient web;
    private FaultProxy faulty;
    private FaultProxy flapping;
    private final List<ServiceJvm> services = new ArrayList<>();
    private final List<JsonObject> configs = new ArrayList<>();
    private Restarter restarter;
    private Load load;
    private HeapSampler heap;

    Run(Path dir) {
      this.dir = dir;
    }

    int soak(int minutes) throws Exception {
      progress("starting Litecoin Core regtest node '" + NODE_NAME + "'");
      // A new chain every run; 3 s idle-connection timeout, so a stop takes seconds.
      node = CoreNode.start(NODE_NAME, CoreNode.Settings.password());
      int height = node.mine(110);
      progress("node at height " + height + "; joining the cluster");
      cluster = TestCluster.create();
      Path xml = dir.resolve("cluster.xml");
      Files.writeString(xml, cluster.clusterXmlText(), StandardCharsets.UTF_8);
      vertx = await(cluster.startNode());
      web = WebClient.create(vertx);
      faulty = await(FaultProxy.faulty(vertx, node.port()));
      flapping = await(FaultProxy.flapping(vertx, node.port()));
      Load.Chain chain = chain(height);
      JsonObject config = serviceConfig();
      List<Integer> httpPorts = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        progress("starting service-" + i);
        int httpPort = freePort();
        httpPorts.add(httpPort);
        configs.add(config.copy().put("httpPort", httpPort));
        services.add(ServiceJvm.start("service-" + i, dir, xml, configs.get(i - 1)));
        int members = i + 1;
        await(TestCluster.until(vertx, () -> TestCluster.memberCount(vertx) == members
            || services.stream().anyMatch((ServiceJvm s) -> !s.alive())));
        requireAlive();
      }
      awaitServed(httpPorts);
      progress("load for " + minutes + " min (" + CONCURRENCY + " in flight), node restarted "
          + "every " + RESTART_PERIOD_MS / 1000 + " s");
      restarter = new Restarter(node, RESTART_PERIOD_MS);
      load = new Load(vertx, ADDRESS, chain, CONCURRENCY, httpPorts);
      heap = new HeapSampler(services, HEAP_SAMPLE_MS);
      long startNanos = System.nanoTime();
      restarter.start();
      heap.start(startNanos);
      load.start();
      long endNanos = startNanos + TimeUnit.MINUTES.toNanos(minutes);
      long minute = 1;
      long reloadAtNanos = startNanos + (endNanos - startNanos) / 2;
      boolean reloaded = false;
      while (System.nanoTime() < endNanos) {
        if (!reloaded && System.nanoTime() >= reloadAtNanos) {
          // Half-way, an operator edits service-1's file: its URLs the other way round. It
          // reloads under load, its HTTP front and event-bus consumer kept across the swap.
          reloaded = true;
          JsonObject edited = configs.get(0).copy().put("daemonUrl",
              reversed(configs.get(0).getString("daemonUrl")));
          services.get(0).rewriteConfig(edited);
          progress("service-1's config edited (URLs reversed): it reloads under load");
        }
        Thread.sleep(Math.min(1000, Math.max(1, (endNanos - System.nanoTime()) / 1_000_000)));
        if (System.nanoTime() - startNanos >= TimeUnit.MINUTES.toNanos(minute)) {
          progress("minute " + minute + ": " + load.calls().size() + " sent, "
              + load.unanswered() + " in flight, " + restarter.outages().size() + " restarts");
          minute++;
        }
      }
      load.stop();
      long loadEndNanos = System.nanoTime();
      progress("load stopped; waiting for the requests in flight");
      long waitUntil = loadEndNanos + TimeUnit.MILLISECONDS.toNanos(Load.DEADLINE_MS
          + Load.BUS_SLACK_MS + 5_000);
      while (load.unanswered() > 0 && System.nanoTime() < waitUntil) {
        Thread.sleep(100);
      }
      restarter.stop();
      heap.stop();
      SoakReport report = new SoakReport(minutes, startNanos, loadEndNanos, load.calls(),
          restarter.outages(), restarter.failure(), heap, services, faulty.counts(),
          flapping.counts(), node.url(), reloads());
      String table = report.markdown();
      System.out.println(table);
      Files.writeString(dir.resolve("results.md"), table, StandardCharsets.UTF_8);
      return report.passed() ? 0 : 1;
    }

    /** The reloads the services logged ("reloaded: ..."), each a swap under load. */
    private long reloads() throws java.io.IOException {
      long reloads = 0;
      for (ServiceJvm service : services) {
        reloads += service.logLines("reloaded: new requests go to the new settings").size();
      }
      return reloads;
    }

    /** URL 1 through the fault proxy, URL 2 through the flapping one; the soak's deadlines. */
    private JsonObject serviceConfig() {
      String userInfo = URI.create(node.url()).getUserInfo();
      String urls = "http://" + userInfo + "@127.0.0.1:" + faulty.port() + "/,http://"
          + userInfo + "@127.0.0.1:" + flapping.port() + "/";
      return new JsonObject()
          .put("daemonUrl", urls)
          .put("coin", "Litecoin")
          .put("net", "regtest")
          .put("address", ADDRESS)
          .put("requestTimeoutMs", Load.DEADLINE_MS)
          .put("attemptTimeoutMs", 5000)
          .put("initRetryMs", 100)
          .put("maxRetryMs", 1000)
          .put("breakerResetMs", 1000)
          .put("heightPollMs", 2000)
          // The load's broadcasts (422 from the daemon) go through the fronts too.
          .put("httpAllowBroadcast", true);
    }

    private static String reversed(String urls) {
      List<String> list = new ArrayList<>(List.of(urls.split(",")));
      java.util.Collections.reverse(list);
      return String.join(",", list);
    }

    private static int freePort() throws java.io.IOException {
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
          java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }

    /** Block hashes of the whole chain; coinbase txids and raw txs of the last 30 blocks. */
    private Load.Chain chain(int height) throws Exception {
      List<String> hashes = new ArrayList<>();
      for (int h = 0; h <= height; h++) {
        hashes.add((String) await(node.rpc(web, "getblockhash", h)));
      }
      List<String> txids = new ArrayList<>();
      List<String> raw = new ArrayList<>();
      for (int h = height - 29; h <= height; h++) {
        JsonObject block = (JsonObject) await(node.rpc(web, "getblock", hashes.get(h), 1));
        JsonArray txs = block.getJsonArray("tx");
        for (int i = 0; i < txs.size(); i++) {
          String txid = txs.getString(i);
          txids.add(txid);
          raw.add((String) await(node.rpc(web, "getrawtransaction", txid)));
        }
      }
      return new Load.Chain(hashes, txids, raw);
    }

    /**
     * Until each service answers status a few times in a row (the bus takes turns) and each
     * HTTP front answers (a front listens a moment after its service serves the bus).
     */
    private void awaitServed(List<Integer> httpPorts) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
      int inARow = 0;
      while (inARow < 6) {
        requireAlive();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the services did not answer status within "
              + START_TIMEOUT_MS / 1000 + " s; see " + dir);
        }
        try {
          await(vertx.eventBus().request(ADDRESS, null, new DeliveryOptions()
              .addHeader(Actions.HEADER, Actions.STATUS).setSendTimeout(5000)));
          for (int port : httpPorts) {
            int status = await(web.get(port, "127.0.0.1", "/health/live").timeout(5000)
                .send()).statusCode();
            if (status != 200) {
              throw new IllegalStateException("front on " + port + " answered " + status);
            }
          }
          inARow++;
        } catch (Exception notYet) {
          inARow = 0;
          Thread.sleep(200);
        }
      }
    }

    private void requireAlive() {
      for (ServiceJvm service : services) {
        if (!service.alive()) {
          throw new IllegalStateException(service.name() + " exited; see " + service.log());
        }
      }
    }

    @Override
    public void close() {
      progress("cleaning up");
      try {
        if (load != null) {
          load.stop();
        }
        if (restarter != null) {
          restarter.stop();
        }
        if (heap != null) {
          heap.stop();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      services.forEach(ServiceJvm::stop);
      quietly(() -> {
        if (faulty != null) {
          await(faulty.close());
        }
        if (flapping != null) {
          await(flapping.close());
        }
      });
      quietly(() -> {
        if (cluster != null) {
          cluster.close();
        }
      });
      quietly(() -> {
        if (node != null) {
          node.stopAndPurge();
        }
      });
    }
  }

  interface Step {
    void run() throws Exception;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      progress("cleanup: " + e);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_MS,
        TimeUnit.MILLISECONDS);
  }
}
