package io.daemonverticle.bench;

import io.daemonverticle.cluster.TestCluster;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The project's benchmark (scripts/bench; not a test: its figures depend on the machine).
 * Everything runs in its own process, in one run, against one fake daemon:
 * <ol>
 *   <li>the fake daemon (src/test/bench/fake-daemon.js), from memory, on loopback, with a
 *   listener that has bitcoind's REST interface and one that has not;</li>
 *   <li>the transport limit: two bare clients, src/test/bench/wire-client.js (Node) and
 *   {@link WireClient} (Java, NIO), send the requests the consumer makes and drop the
 *   replies' bytes; each figure is set against the faster;</li>
 *   <li>the service JVM ({@link BenchNode} service): DaemonVerticles against the fake and the
 *   event-bus consumer ({@link Workloads}) in the same JVM, with an event-loop stall probe
 *   and a heap probe;</li>
 *   <li>the heap the blocks workload needs: fresh service JVMs under a ladder of -Xmx
 *   ({@link HeapSearch});</li>
 *   <li>rawBlocks from a second JVM over the clustered (Hazelcast, loopback) event bus;</li>
 *   <li>then rawBlocks from a JVM of that cluster that has instances of its own (a
 *   {@link BenchNode} peer: the local instance first), against the same client in a JVM of
 *   its own, with the other JVM's instances' counters read before and after
 *   ({@link InstanceCounters}): they must have answered none of its requests.</li>
 * </ol>
 * The programs stay up and take one command a pass; the transport limit's passes alternate
 * with the service's, untimed rounds first until both are warm, so both are warm and meet the
 * same load of a shared machine. Each figure is the median of the timed rounds. The report
 * ({@link BenchReport}) is a markdown table on stdout and in target/bench/results.md, and JSON
 * lines in target/bench/results.jsonl.
 */
public final class Bench {

  private static final Set<String> FLAGS = Set.of("quick", "no-cluster", "no-heap", "help");
  /** How long a program may stay silent: longer than a node's own bound on a pass. */
  private static final Duration IDLE = Duration.ofMillis(Workloads.PASS_TIMEOUT_MS + 60_000);
  /** Blocks a heap trial fetches: 5 requests, enough for the heap to reach a steady state. */
  private static final int HEAP_TRIAL_BLOCKS = 50;
  private static final Duration HEAP_TRIAL_IDLE = Duration.ofSeconds(90);
  /** A bound on the warm-up of a step whose passes take no time at all. */
  private static final int MAX_WARM_ROUNDS = 50;

  private final Sizes sizes;
  private final Path out;
  private final Path scripts;
  private final List<String> javaCommand;
  private final List<ChildProcess> children = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  private Bench(Sizes sizes, Path out, Path basedir) {
    this.sizes = sizes;
    this.out = out;
    this.scripts = basedir.resolve("src/test/bench");
    this.javaCommand = javaCommand();
  }

  public static void main(String[] argv) throws Exception {
    Set<String> known = new HashSet<>(Sizes.OPTIONS);
    known.addAll(FLAGS);
    known.add("out");
    Args args;
    Sizes sizes;
    try {
      args = Args.parse(List.of(argv), FLAGS, known);
      sizes = Sizes.from(args, args.flag("quick") ? Sizes.QUICK : Sizes.FULL);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      usage();
      System.exit(2);
      return;
    }
    if (args.flag("help")) {
      usage();
      return;
    }
    Path basedir = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    Path out = Path.of(args.string("out", basedir.resolve("target/bench").toString()));
    Files.createDirectories(out);
    Bench bench = new Bench(sizes, out, basedir);
    Runtime.getRuntime().addShutdownHook(new Thread(bench::closeAll));
    try {
      BenchReport report = bench.run(!args.flag("no-heap"), !args.flag("no-cluster"),
          args.flag("quick"));
      String markdown = report.markdown();
      Files.writeString(out.resolve("results.md"), markdown, StandardCharsets.UTF_8);
      Files.write(out.resolve("results.jsonl"), report.jsonLines(), StandardCharsets.UTF_8);
      System.out.print(markdown);
      bench.progress("JSON lines in " + out.resolve("results.jsonl") + ", logs in " + out);
    } finally {
      bench.closeAll();
    }
  }

  private static void usage() {
    System.err.println("""
        usage: scripts/bench [--quick] [--runs N] [--warm S] [--blocks N] [--block-bytes N]
                             [--tx-bytes N] [--txs N] [--calls N] [--no-heap] [--no-cluster]
                             [--out DIR]
          --quick        smaller and fewer runs (3 runs after one untimed pass, 50 blocks, 5000
                         txs, 500 calls) and the heap search for the daemon with REST only
          --runs N       timed runs of each figure (5); the median is kept
          --warm S       untimed passes first: at least one, and S seconds of them per program
                         and figure (8; 0 with --quick)
          --blocks N     blocks fetched per run, 10 a request (1000)
          --block-bytes  size of each block (1000000); --tx-bytes size of each transaction (250)
          --txs N        transactions fetched per run, 100 a request (200000)
          --calls N      height calls per run, 10 in flight (30000)
          --no-heap      skip the search for the heap the blocks workload needs
          --no-cluster   skip the clustered JVMs (rawBlocks from a second JVM, and from a
                         JVM with instances of its own)
          --out DIR      where results and logs go (target/bench)""");
  }

  private BenchReport run(boolean heap, boolean cluster, boolean quick) throws Exception {
    BenchReport report = new BenchReport(sizes, nodeVersion());
    progress("fake daemon: blocks of " + sizes.blockBytes() + " bytes, transactions of "
        + sizes.txBytes() + " bytes");
    ChildProcess fake = start("fake-daemon", List.of("node",
        scripts.resolve("fake-daemon.js").toString(),
        "--block-bytes", Integer.toString(sizes.blockBytes()),
        "--tx-bytes", Integer.toString(sizes.txBytes()),
        "--user", FakeDaemonPort.USER, "--password", FakeDaemonPort.PASSWORD));
    JsonObject ports = fake.next(Duration.ofSeconds(60));
    FakeDaemonPort plain = new FakeDaemonPort("plain", ports.getInteger("plain"));
    FakeDaemonPort rest = new FakeDaemonPort("rest", ports.getInteger("rest"));
    ChildProcess wire = start("wire-client", List.of("node",
        scripts.resolve("wire-client.js").toString(), "--port", Integer.toString(rest.port()),
        "--block-bytes", Integer.toString(sizes.blockBytes()),
        "--user", FakeDaemonPort.USER, "--password", FakeDaemonPort.PASSWORD));
    List<String> javaWireCommand = new ArrayList<>(javaCommand);
    javaWireCommand.addAll(List.of(WireClient.class.getName(), "--port",
        Integer.toString(rest.port()), "--block-bytes", Integer.toString(sizes.blockBytes())));
    ChildProcess javaWire = start("wire-client-java", javaWireCommand);
    String rpcBlocks = "rpc-blocks " + sizes.blocks();
    String restBlocks = "rest-blocks " + sizes.blocks();

    progress("service JVM with the consumer on its local event bus");
    try (ChildProcess service = startNode("service-local", List.of(), "service",
        List.of(plain, rest), null)) {
      progress("blocks: transport limit (JSON-RPC, REST) and rawBlocks (daemon without, with "
          + "REST), interleaved");
      rounds(report, "blocks", new Step(wire, rpcBlocks), new Step(wire, restBlocks),
          new Step(javaWire, rpcBlocks), new Step(javaWire, restBlocks),
          new Step(service, "blocks@plain " + sizes.blocks()),
          new Step(service, "blocks@rest " + sizes.blocks()));
      progress("transactions: transport limit and getRawTransactions, interleaved");
      rounds(report, "txs", new Step(wire, "txs " + sizes.txs()),
          new Step(javaWire, "txs " + sizes.txs()),
          new Step(service, "txs@rest " + sizes.txs()));
      progress("height: transport limit and height, interleaved");
      rounds(report, "height", new Step(wire, "height " + sizes.calls()),
          new Step(javaWire, "height " + sizes.calls()),
          new Step(service, "height@rest " + sizes.calls()));
    }

    // Hazelcast's start is slow and untimed: the clustered JVMs start while the heap search
    // runs (its trials are not timed either).
    ClusteredNodes clustered = cluster ? new ClusteredNodes(List.of(plain, rest)) : null;
    try {
      if (heap) {
        for (FakeDaemonPort daemon : quick ? List.of(rest) : List.of(plain, rest)) {
          progress("heap the blocks workload needs, daemon " + daemon.name()
              + " (-Xmx ladder, binary search)");
          report.addHeap(daemon.name(), HeapSearch.search((int mb) -> heapTrial(daemon, mb)));
          if (clustered != null) {
            clustered.startClient();
          }
        }
      }
      if (clustered != null) {
        ChildProcess client = clustered.readyClient();
        progress("blocks from the second JVM: transport limits (the daemon's and the event "
            + "bus alone's, one and two requests in flight) and rawBlocks, interleaved");
        String rpcBlocks2 = "rpc-blocks2 " + sizes.blocks();
        String restBlocks2 = "rest-blocks2 " + sizes.blocks();
        rounds(report, "cluster", new Step(wire, rpcBlocks), new Step(wire, restBlocks),
            new Step(javaWire, rpcBlocks), new Step(javaWire, restBlocks),
            new Step(wire, rpcBlocks2), new Step(wire, restBlocks2),
            new Step(javaWire, rpcBlocks2), new Step(javaWire, restBlocks2),
            new Step(client, "echo@rest " + sizes.blocks()),
            new Step(client, "echo2@rest " + sizes.blocks()),
            new Step(client, "blocks@rest " + sizes.blocks()),
            new Step(client, "blocks2@rest " + sizes.blocks()));
        localFirst(report, clustered, List.of(plain, rest));
      }
    } finally {
      if (clustered != null) {
        clustered.close();
      }
    }
    return report;
  }

  /**
   * rawBlocks from a node of the cluster that serves the daemon itself, each pass beside one
   * of the same client in a JVM of its own (the row's baseline, in the same rounds). The other
   * node's instances are read before and after: what they answered meanwhile crossed the bus.
   */
  private void localFirst(BenchReport report, ClusteredNodes clustered,
                          List<FakeDaemonPort> daemons) throws Exception {
    progress("a JVM with instances of its own joins the cluster (the client JVM leaves), and "
        + "one with the same client alone");
    ChildProcess peer = clustered.startPeer();
    try (ChildProcess alone = startNode("service-baseline", List.of(), "service", daemons,
        null)) {
      ready(peer);
      Map<String, InstanceCounters> otherBefore = counters(clustered.service(), daemons);
      Map<String, InstanceCounters> ownBefore = counters(peer, daemons);
      progress("blocks with the local instance first, and in one JVM, interleaved");
      List<Step> steps = new ArrayList<>();
      for (FakeDaemonPort daemon : daemons) {
        String command = "blocks@" + daemon.name() + " " + sizes.blocks();
        steps.add(new Step(alone, command));
        steps.add(new Step(peer, command));
      }
      rounds(report, BenchReport.LOCAL_FIRST, steps.toArray(Step[]::new));
      Map<String, InstanceCounters> otherAfter = counters(clustered.service(), daemons);
      Map<String, InstanceCounters> ownAfter = counters(peer, daemons);
      for (FakeDaemonPort daemon : daemons) {
        String name = daemon.name();
        InstanceCounters other = otherAfter.get(name).since(otherBefore.get(name));
        InstanceCounters own = ownAfter.get(name).since(ownBefore.get(name));
        report.addInstances(name, own, other);
        progress("  daemon " + name + ": meanwhile the other JVM's instance answered "
            + other.answered() + " requests, the client's own " + own.answered());
      }
    }
  }

  /** The counters of a node's instances, by daemon name. */
  private static Map<String, InstanceCounters> counters(ChildProcess node,
                                                        List<FakeDaemonPort> daemons)
      throws IOException, InterruptedException {
    Map<String, InstanceCounters> counters = new HashMap<>();
    for (FakeDaemonPort daemon : daemons) {
      JsonObject line = node.ask(BenchNode.STATUS + "@" + daemon.name(), IDLE);
      if (!BenchNode.STATUS.equals(line.getString("type"))) {
        throw new IllegalStateException("no counters of " + daemon.name() + ": "
            + line.encode() + "; see " + node.log());
      }
      counters.put(daemon.name(), InstanceCounters.ofJson(line));
    }
    return counters;
  }

  /**
   * The clustered service JVM and the second, client JVM (Hazelcast on 127.0.0.1, the shipped
   * conf/cluster.xml made unique to this run by {@link TestCluster}), started in the
   * background, one after the other so that they form one cluster.
   */
  private final class ClusteredNodes implements AutoCloseable {

    private final List<FakeDaemonPort> daemons;
    private final String clusterXml = out.resolve("cluster.xml").toString();
    private final ChildProcess service;
    private ChildProcess client;
    private ChildProcess peer;

    ClusteredNodes(List<FakeDaemonPort> daemons) throws IOException {
      this.daemons = daemons;
      progress("starting a clustered service JVM, then a second (client) JVM");
      Files.writeString(Path.of(clusterXml), TestCluster.create().clusterXmlText(),
          StandardCharsets.UTF_8);
      service = launchNode("service-clustered", List.of(), "service", daemons, clusterXml);
    }

    /** Starts the client once the service is up. */
    void startClient() throws IOException, InterruptedException {
      if (client == null) {
        ready(service);
        client = launchNode("client-clustered", List.of(), "client", daemons, clusterXml);
      }
    }

    ChildProcess readyClient() throws IOException, InterruptedException {
      startClient();
      return ready(client);
    }

    ChildProcess service() {
      return service;
    }

    /**
     * Closes the client, whose requests the peer's instances would otherwise share, and starts
     * the peer (not yet ready).
     */
    ChildProcess startPeer() throws IOException {
      if (client != null) {
        client.close();
      }
      peer = launchNode("peer-clustered", List.of(), "peer", daemons, clusterXml);
      return peer;
    }

    @Override
    public void close() {
      for (ChildProcess node : new ChildProcess[] {peer, client}) {
        if (node != null) {
          node.close();
        }
      }
      service.close();
    }
  }

  /** One step of a round: a program and the command it gets. */
  private record Step(ChildProcess program, String command) {

    /**
     * The command of one pass: a node's (WORKLOAD@NAME COUNT) untimed passes compare every
     * byte of the blocks, its timed ones a stripe of each ({@link Expected}).
     */
    String command(boolean warm) {
      return warm && command.contains("@") ? command + " " + BenchNode.EVERY_BYTE : command;
    }
  }

  /**
   * Untimed rounds until every step is warm, then the timed ones: each round makes one pass of
   * every step, in turn, so the transport limit and the service meet the same load of the
   * machine. A step is warm once it has made at least one untimed pass and spent
   * {@link Sizes#warmSeconds()} in them; warm steps sit out the rest of the untimed rounds. A
   * step that failed is not asked again.
   */
  private void rounds(BenchReport report, String group, Step... steps) throws Exception {
    Set<Step> failed = new HashSet<>();
    Map<Step, Double> warmedSeconds = new HashMap<>();
    for (int round = 0; round < MAX_WARM_ROUNDS; round++) {
      boolean first = round == 0;
      List<Step> cold = Arrays.stream(steps)
          .filter((Step step) -> !failed.contains(step) && (first
              || warmedSeconds.getOrDefault(step, 0.0) < sizes.warmSeconds()))
          .toList();
      if (cold.isEmpty()) {
        break;
      }
      for (Step step : cold) {
        JsonObject line = pass(report, group, step, true, failed);
        warmedSeconds.merge(step, line.getDouble("seconds", 0.0), Double::sum);
      }
    }
    for (int round = 1; round <= sizes.runs(); round++) {
      for (Step step : steps) {
        if (!failed.contains(step)) {
          pass(report, group, step, false, failed);
        }
      }
    }
  }

  private JsonObject pass(BenchReport report, String group, Step step, boolean warm,
                          Set<Step> failed) throws Exception {
    JsonObject line = step.program().ask(step.command(warm), IDLE);
    if ("failed".equals(line.getString("type"))) {
      failed.add(step);
      progress("  " + step.command() + " failed: " + line.getString("error"));
    }
    report.add(group, warm, line);
    return line;
  }

  /** Whether a fresh service JVM with this heap fetches the blocks. */
  private boolean heapTrial(FakeDaemonPort daemon, int heapMb) throws Exception {
    String command = "blocks@" + daemon.name() + " " + Math.min(sizes.blocks(),
        HEAP_TRIAL_BLOCKS);
    boolean passed;
    try (ChildProcess service = startNode("heap-" + daemon.name() + "-" + heapMb + "m",
        List.of("-Xmx" + heapMb + "m", "-XX:+ExitOnOutOfMemoryError"), "service",
        List.of(daemon), null)) {
      passed = "pass".equals(service.ask(command, HEAP_TRIAL_IDLE).getString("type"));
    } catch (IllegalStateException | IOException outOfMemoryOrTooSlow) {
      passed = false;
    }
    progress("  -Xmx" + heapMb + "m: " + (passed ? "passes" : "fails"));
    return passed;
  }

  /** Starts a {@link BenchNode} JVM and waits until it is ready. */
  private ChildProcess startNode(String name, List<String> jvmOptions, String role,
                                 List<FakeDaemonPort> daemons, String clusterXml)
      throws IOException, InterruptedException {
    return ready(launchNode(name, jvmOptions, role, daemons, clusterXml));
  }

  private ChildProcess launchNode(String name, List<String> jvmOptions, String role,
                                  List<FakeDaemonPort> daemons, String clusterXml)
      throws IOException {
    List<String> command = new ArrayList<>(javaCommand);
    command.addAll(jvmOptions);
    command.addAll(BenchNode.command(role, daemons, clusterXml, sizes.blockBytes()));
    return start(name, command);
  }

  /** Waits until a node says it is ready. */
  private static ChildProcess ready(ChildProcess node) throws InterruptedException {
    JsonObject ready = node.next(IDLE);
    if (!"ready".equals(ready.getString("type"))) {
      node.close();
      throw new IllegalStateException("a node said " + ready.encode() + " when starting; see "
          + node.log());
    }
    return node;
  }

  private ChildProcess start(String name, List<String> command) throws IOException {
    ChildProcess child = ChildProcess.start(name, command, out);
    synchronized (children) {
      children.add(child);
    }
    return child;
  }

  /**
   * The java of this JVM with its classpath and the options scripts/bench gave it (module
   * openings for Hazelcast, system properties), but not its heap settings.
   */
  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-") || option.startsWith("-D")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  private static String nodeVersion() {
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(node.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8).strip();
      return node.waitFor() == 0 ? version : "unknown";
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("the benchmark needs node (Node.js) on the PATH", e);
    }
  }

  private void closeAll() {
    List<ChildProcess> all;
    synchronized (children) {
      all = new ArrayList<>(children);
      children.clear();
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).close();
    }
  }

  private void progress(String message) {
    System.err.printf(Locale.ROOT, "bench %5.0fs: %s%n", (System.nanoTime() - startNanos) / 1e9,
        message);
  }
}
