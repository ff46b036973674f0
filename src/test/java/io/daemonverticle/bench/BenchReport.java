package io.daemonverticle.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark's results: the programs' JSON lines in, a markdown table (what the README
 * carries) and JSON lines out. Every figure is the median of the timed passes; each of the
 * service's figures is set against the transport limit measured in the same rounds, and for
 * blocks against the fastest transport the daemon offers (REST, where it has it and it is
 * faster).
 */
final class BenchReport {

  /**
   * One row of the table.
   *
   * @param group      the rounds it was measured in
   * @param key        its passes: workload.daemon.via
   * @param limitModes the wire-client modes it is set against, the fastest of them
   * @param through    what the replies also cross on their way (the clustered event bus):
   *                   the limit is the slowest of these and the fastest limit mode
   * @param baseline   instead of a wire limit, the key of the passes in its rounds it is set
   *                   against; null for none
   * @param target     the ratio it must reach ({@link #targets}), 0 for none
   */
  private record Row(String group, String key, String label, List<String> limitModes,
                     List<String> through, String baseline, double target) {

    Row(String group, String key, String label, List<String> limitModes) {
      this(group, key, label, limitModes, List.of());
    }

    Row(String group, String key, String label, List<String> limitModes,
        List<String> through) {
      this(group, key, label, limitModes, through, null, 0);
    }

    /**
     * rawBlocks from a clustered node that serves the daemon itself, against the same client
     * in a JVM of its own, in the same rounds.
     */
    static Row localFirst(String daemon, String label) {
      return new Row(LOCAL_FIRST, "blocks." + daemon + "." + BenchNode.LOCAL_FIRST,
          "rawBlocks, 10 hashes a request, from one of two clustered JVMs that each have an "
              + "instance, daemon " + label, List.of(), List.of(), "blocks." + daemon + ".local",
          LOCAL_FIRST_TARGET);
    }

    String daemon() {
      return key.split("\\.")[1];
    }

    List<String> allModes() {
      List<String> all = new ArrayList<>(limitModes);
      all.addAll(through);
      return all;
    }

    String workload() {
      return key.substring(0, key.indexOf('.'));
    }

    boolean blocks() {
      return workload().startsWith("blocks");
    }

    /** The heap search of its daemon, for the blocks through the local event bus. */
    String heapDaemon() {
      return blocks() && key.endsWith(".local") ? key.split("\\.")[1] : null;
    }
  }

  /** The rounds of rawBlocks with the local instance first and their baseline. */
  static final String LOCAL_FIRST = "localfirst";
  /** Issue 30: rawBlocks with the local instance first, against the same client alone. */
  static final double LOCAL_FIRST_TARGET = 0.9;

  private static final List<Row> ROWS = List.of(
      new Row("blocks", "blocks.plain.local", "rawBlocks, 10 hashes a request, daemon without "
          + "REST", bothClients("rpc-blocks")),
      new Row("blocks", "blocks.rest.local", "rawBlocks, 10 hashes a request, daemon with REST",
          bothClients("rpc-blocks", "rest-blocks")),
      new Row("cluster", "blocks.rest.cluster", "rawBlocks from a second JVM over the clustered "
          + "event bus, daemon with REST", bothClients("rpc-blocks", "rest-blocks"),
          List.of("eventbus")),
      new Row("cluster", "blocks2.rest.cluster", "rawBlocks from a second JVM over the "
          + "clustered event bus, two requests in flight, daemon with REST",
          bothClients("rpc-blocks2", "rest-blocks2"), List.of("eventbus2")),
      Row.localFirst("plain", "without REST"),
      Row.localFirst("rest", "with REST"),
      new Row("txs", "txs.rest.local", "getRawTransactions, 100 txids a request",
          bothClients("txs")),
      new Row("height", "height.rest.local", "height, 10 calls in flight",
          bothClients("height")));

  private static final Map<String, String> TRANSPORTS = Map.of(
      "rpc-blocks", "JSON-RPC", "rest-blocks", "REST", "txs", "JSON-RPC", "height", "JSON-RPC",
      "rpc-blocks2", "JSON-RPC, two requests in flight",
      "rest-blocks2", "REST, two requests in flight",
      "eventbus", "clustered event bus alone",
      "eventbus2", "clustered event bus alone, two requests in flight");

  /** The modes of the Node client (wire-client.js) and of the Java one ({@link WireClient}). */
  private static List<String> bothClients(String... modes) {
    List<String> both = new ArrayList<>();
    for (String mode : modes) {
      both.add(mode);
      both.add(mode + WireClient.SUFFIX);
    }
    return both;
  }

  /** A wire mode's transport, and which client measured it. */
  private static String wireName(String mode) {
    if (mode.endsWith(WireClient.SUFFIX)) {
      return TRANSPORTS.get(mode.substring(0, mode.length() - WireClient.SUFFIX.length()))
          + ", Java client";
    }
    return TRANSPORTS.get(mode) + (mode.startsWith("eventbus") ? "" : ", Node client");
  }

  private final Sizes sizes;
  private final String nodeVersion;
  private final String started = ZonedDateTime.now(ZoneOffset.UTC)
      .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
  /** The timed passes by group, then by key ("wire.MODE" or workload.daemon.via). */
  private final Map<String, Map<String, List<JsonObject>>> passes = new HashMap<>();
  /** The first failure of a key, by group. */
  private final Map<String, Map<String, String>> failures = new HashMap<>();
  private final Map<String, HeapSearch.Result> heaps = new HashMap<>();
  /**
   * By daemon, what the instances of the local-first rounds did in them: the client's own
   * node's, then the other node's.
   */
  private final Map<String, List<InstanceCounters>> instances = new HashMap<>();

  BenchReport(Sizes sizes, String nodeVersion) {
    this.sizes = sizes;
    this.nodeVersion = nodeVersion;
  }

  /** A program's answer to one command of a round; an untimed round's counts only if failed. */
  void add(String group, boolean warm, JsonObject line) {
    String key = line.containsKey("mode") ? "wire." + line.getString("mode")
        : line.getString("workload") + "." + line.getString("daemon") + "."
            + line.getString("via");
    if ("failed".equals(line.getString("type"))) {
      failures.computeIfAbsent(group, (String g) -> new HashMap<>()).putIfAbsent(key,
          line.getString("error"));
    } else if (!warm) {
      passes.computeIfAbsent(group, (String g) -> new HashMap<>())
          .computeIfAbsent(key, (String k) -> new ArrayList<>()).add(line);
    }
  }

  void addHeap(String daemon, HeapSearch.Result result) {
    heaps.put(daemon, result);
  }

  /**
   * What the instances of a daemon did during the local-first rounds ({@link
   * InstanceCounters#since}): those of the client's node and of the other node.
   */
  void addInstances(String daemon, InstanceCounters own, InstanceCounters other) {
    instances.put(daemon, List.of(own, other));
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String unit(String workload) {
    return switch (workload.replace(WireClient.SUFFIX, "")) {
      case "blocks", "blocks2", "rpc-blocks", "rest-blocks", "rpc-blocks2", "rest-blocks2",
           "eventbus", "eventbus2" -> "MB/s";
      case "txs" -> "tx/s";
      default -> "calls/s";
    };
  }

  private List<JsonObject> passes(String group, String key) {
    return passes.getOrDefault(group, Map.of()).getOrDefault(key, List.of());
  }

  /** Each timed pass's rate, as shown: bytes per second in MB/s. */
  private double[] rates(String group, String key, String workload) {
    double scale = unit(workload).equals("MB/s") ? 1e-6 : 1;
    return passes(group, key).stream()
        .mapToDouble((JsonObject l) -> l.getLong("units") / l.getDouble("seconds") * scale)
            .toArray();
  }

  private double[] column(Row row, String field, double scale) {
    return passes(row.group(), row.key()).stream()
        .mapToDouble((JsonObject l) -> l.getDouble(field) * scale).toArray();
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  /**
   * The fastest of the row's wire modes in its rounds, unless what the replies also cross is
   * slower; null when none was measured.
   */
  private String limitMode(Row row) {
    String best = null;
    double bestRate = 0;
    for (String mode : row.limitModes()) {
      double[] rates = rates(row.group(), "wire." + mode, mode);
      if (rates.length > 0 && median(rates) > bestRate) {
        best = mode;
        bestRate = median(rates);
      }
    }
    for (String mode : row.through()) {
      double[] rates = rates(row.group(), "wire." + mode, mode);
      if (best != null && rates.length > 0 && median(rates) < bestRate) {
        best = mode;
        bestRate = median(rates);
      }
    }
    return best;
  }

  private double limit(Row row, String mode) {
    return median(rates(row.group(), "wire." + mode, mode));
  }

  /** The row's baseline passes' rates; empty for a row without one. */
  private double[] baselineRates(Row row) {
    return row.baseline() == null ? new double[0]
        : rates(row.group(), row.baseline(), row.workload());
  }

  /** What the row is set against, its wire limit or its baseline; null when not measured. */
  private Double reference(Row row) {
    if (row.baseline() != null) {
      double[] baseline = baselineRates(row);
      return baseline.length == 0 ? null : median(baseline);
    }
    String mode = limitMode(row);
    return mode == null ? null : limit(row, mode);
  }

  /** The reference's figure and what it is, for the table. */
  private String referenceText(Row row) {
    Double reference = reference(row);
    if (reference == null) {
      return "not measured";
    }
    if (row.baseline() != null) {
      return format(reference, unit(row.workload())) + " (the same client in a JVM of its own)";
    }
    String mode = limitMode(row);
    return format(reference, unit(mode)) + " (" + wireName(mode) + ")";
  }

  /**
   * Whether a local-first row was served where it was asked: the other node's instance
   * answered none of the requests, and fetched no block, during its rounds; null when its
   * instances were not read.
   */
  private Boolean stayedLocal(Row row) {
    List<InstanceCounters> read = instances.get(row.daemon());
    if (read == null) {
      return null;
    }
    InstanceCounters other = read.get(1);
    return other.answered() == 0 && other.restBlocks() == 0;
  }

  /** A target row's verdict. */
  private String verdict(Row row) {
    double[] rates = rates(row.group(), row.key(), row.workload());
    Double reference = reference(row);
    if (rates.length == 0 || reference == null) {
      return "not measured";
    }
    Boolean local = stayedLocal(row);
    if (local == null) {
      return "not checked: the instances' counters were not read";
    }
    if (!local) {
      return "not met: the other JVM's instance served some of its requests";
    }
    return median(rates) / reference >= row.target() ? "met" : "not met";
  }

  /** The targets the bench checks, after the table. */
  private String targets() {
    StringBuilder md = new StringBuilder("\n| target | measured | |\n|---|---|---|\n");
    for (Row row : ROWS) {
      if (row.target() <= 0) {
        continue;
      }
      md.append(String.format(Locale.ROOT, "| %s: >= %.2f of the same client in a JVM of its "
          + "own | ", row.label(), row.target()));
      double[] rates = rates(row.group(), row.key(), row.workload());
      Double reference = reference(row);
      if (rates.length == 0 || reference == null) {
        md.append("–");
      } else {
        md.append(String.format(Locale.ROOT, "%.2f (%s against %s)", median(rates) / reference,
            format(median(rates), unit(row.workload())),
            format(reference, unit(row.workload()))));
      }
      List<InstanceCounters> read = instances.get(row.daemon());
      if (read != null) {
        md.append(String.format(Locale.ROOT, "; in its rounds the client's node's instance "
                + "answered %,d requests and fetched %,d blocks over REST, the other JVM's "
                + "%,d and %,d", read.get(0).answered(), read.get(0).restBlocks(),
            read.get(1).answered(), read.get(1).restBlocks()));
      }
      md.append(" | ").append(verdict(row)).append(" |\n");
    }
    return md.toString();
  }

  /** Which transport the service used for blocks, from what the fake daemon was asked. */
  private String transport(Row row) {
    if (!row.blocks()) {
      return null;
    }
    long rest = 0;
    long rpc = 0;
    for (JsonObject pass : passes(row.group(), row.key())) {
      rest += pass.getLong("restBlocks");
      rpc += pass.getLong("rawGetblockCalls");
    }
    return rest > 0 && rpc > 0 ? "REST and JSON-RPC" : rest > 0 ? "REST" : "JSON-RPC";
  }

  /** Why the row has no figure: its own failure, or else the first of its group. */
  private String failure(Row row) {
    Map<String, String> group = failures.getOrDefault(row.group(), Map.of());
    String own = group.get(row.key());
    return own != null ? own : group.values().stream().findFirst().orElse(null);
  }

  private static String format(double value, String unit) {
    return String.format(Locale.ROOT, value < 100 ? "%.1f %s" : "%.0f %s", value, unit);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "scripts/bench at %s, %s, %d cores, Java %s, Node %s%s: "
            + "median of %d timed runs after %s; %d blocks of %,d bytes, %,d "
            + "transactions of %d bytes, %,d height calls a run.%n%n",
        System.getProperty("bench.commit", "unknown"), started,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        nodeVersion, serviceTransport().map((String t) -> ", the service on " + t).orElse(""),
        sizes.runs(), sizes.warmSeconds() == 0 ? "an untimed one"
            : "untimed ones (" + sizes.warmSeconds() + " s of each program's at least)",
        sizes.blocks(), sizes.blockBytes(), sizes.txs(),
        sizes.txBytes(), sizes.calls()));
    md.append("| measurement | transport limit | DaemonVerticle | ratio | longest event-loop "
        + "stall | heap needed |\n|---|---|---|---|---|---|\n");
    for (Row row : ROWS) {
      Double reference = reference(row);
      md.append("| ").append(row.label()).append(" | ").append(referenceText(row));
      double[] rates = rates(row.group(), row.key(), row.workload());
      if (rates.length == 0) {
        String failure = failure(row);
        md.append(" | ").append(failure == null ? "not measured"
            : "failed: " + failure.replace('|', '/').replace('\n', ' '))
            .append(" | – | – | – |\n");
        continue;
      }
      double value = median(rates);
      String transport = transport(row);
      md.append(" | ").append(format(value, unit(row.workload())))
          .append(transport == null ? "" : " (" + transport + ")")
          .append(" | ").append(reference == null ? "–"
              : String.format(Locale.ROOT, "%.2f", value / reference))
          .append(" | ").append(row.blocks() ? String.format(Locale.ROOT, "%.1f ms",
              median(column(row, "stallNanos", 1e-6))) : "–");
      HeapSearch.Result heap = row.heapDaemon() == null ? null : heaps.get(row.heapDaemon());
      md.append(" | ").append(heap == null ? "–" : heap.text()).append(" |\n");
    }
    md.append("""

        Transport limit: two bare clients, src/test/bench/wire-client.js (Node) and WireClient \
        (Java, NIO), send the same requests to the same fake daemon and read and drop \
        the replies' bytes; their runs alternate with the service's, so all meet the same load, \
        and each figure is set against the faster client (in brackets: the transport and the \
        client). Blocks are set against the fastest transport the daemon offers; in the \
        service's brackets, the one it used (from the fake daemon's counters). \
        From the second JVM, the limit is the lower of that and the clustered event bus alone: \
        the service JVM answering the client JVM's requests with ready buffers of a request's \
        blocks, no daemon, with the codec DaemonClient asks for rawBlocks in; both limits are \
        measured with as many requests in flight as the row's. In flight means the whole time: \
        the next request goes out as one is answered, in the service's passes and the wire \
        clients' alike. Every answer of the service is checked against what the fake daemon \
        serves (each block's length and header hash, and its every other byte in the untimed \
        passes, a 64th of them in turn in the timed ones; each transaction's hex; the height): \
        a wrong one fails its row. \
        Event-loop stall: how long a task that a thread of the bench hands every event loop \
        of the service's JVM each millisecond waited for its loop, the worst of each run \
        (median of the runs), in the blocks passes only (the probe is off in the others, \
        whose loops it would wake each millisecond). Heap needed: the smallest -Xmx of 16, \
        24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, ... MB with which a fresh service JVM \
        fetches 50 blocks (fewer if a run has fewer). \
        From one of two clustered JVMs that each have an instance (the client's JVM and the \
        clustered service's, each serving the same addresses against the same fake daemon), \
        the figure is set against the same client in a JVM of its own, their passes \
        alternating in the same rounds; both JVMs' instances are read (their status counters) \
        before and after those rounds, and the target holds only if the other JVM's answered \
        none of the client's requests.
        """);
    md.append(targets());
    return md.toString();
  }

  /**
   * The Vert.x transport of the service's JVMs, as their probes said: the figures of one and
   * the other are not alike (*The native transport*, README). Empty before any pass.
   */
  Optional<String> serviceTransport() {
    Set<String> seen = new TreeSet<>();
    for (Map<String, List<JsonObject>> group : passes.values()) {
      for (List<JsonObject> lines : group.values()) {
        for (JsonObject line : lines) {
          String transport = line.getString("vertxTransport");
          if (transport != null) {
            seen.add(transport);
          }
        }
      }
    }
    if (seen.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(seen.size() > 1 ? "mixed transports (" + String.join(", ", seen) + ")"
        : seen.contains("native") ? "Netty's native transport" : "the JDK's NIO transport");
  }

  List<String> jsonLines() {
    List<String> lines = new ArrayList<>();
    lines.add(new JsonObject().put("type", "meta").put("date", started)
        .put("commit", System.getProperty("bench.commit", "unknown"))
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("java", System.getProperty("java.version")).put("node", nodeVersion)
        .put("serviceTransport", serviceTransport().orElse(null))
        .put("runs", sizes.runs()).put("warmSeconds", sizes.warmSeconds())
        .put("blocks", sizes.blocks())
        .put("blockBytes", sizes.blockBytes()).put("txBytes", sizes.txBytes())
        .put("txs", sizes.txs()).put("calls", sizes.calls()).encode());
    for (Row row : ROWS) {
      JsonObject line = new JsonObject().put("type", "row").put("id", row.key())
          .put("label", row.label()).put("unit", unit(row.workload()));
      JsonObject limits = new JsonObject();
      for (String mode : row.allModes()) {
        double[] wire = rates(row.group(), "wire." + mode, mode);
        if (wire.length > 0) {
          limits.put(mode, new JsonObject().put("median", median(wire)).put("runs", array(wire)));
        }
      }
      line.put("limits", limits);
      double[] rates = rates(row.group(), row.key(), row.workload());
      String mode = limitMode(row);
      double[] baseline = baselineRates(row);
      if (baseline.length > 0) {
        line.put("baseline", new JsonObject().put("id", row.baseline())
            .put("median", median(baseline)).put("runs", array(baseline)));
      }
      if (rates.length > 0) {
        double value = median(rates);
        line.put("median", value).put("runs", array(rates)).put("transport", transport(row));
        if (mode != null) {
          line.put("limitMode", mode).put("limit", limit(row, mode))
              .put("ratio", value / limit(row, mode));
        } else if (baseline.length > 0) {
          line.put("ratio", value / median(baseline));
        }
        if (row.blocks()) {
          // Only the blocks passes are watched for stalls (LoopProbe#watch).
          double[] stalls = column(row, "stallNanos", 1e-6);
          line.put("stallMsMedian", median(stalls)).put("stallMsMax", max(stalls))
              .put("stallMsRuns", array(stalls));
        }
        line.put("longestCollectionMs", max(column(row, "longestCollectionMs", 1)))
            .put("heapAfterGcPeakMb", max(column(row, "heapAfterGcPeakBytes", 1e-6)));
      }
      String failure = failure(row);
      if (rates.length == 0 && failure != null) {
        line.put("error", failure);
      }
      if (row.target() > 0) {
        line.put("target", row.target()).put("verdict", verdict(row));
        List<InstanceCounters> read = instances.get(row.daemon());
        if (read != null) {
          line.put("ownInstance", read.get(0).json()).put("otherInstance", read.get(1).json());
        }
      }
      HeapSearch.Result heap = row.heapDaemon() == null ? null : heaps.get(row.heapDaemon());
      if (heap != null) {
        JsonObject tried = new JsonObject();
        heap.tried().forEach((Integer mb, Boolean passed) -> tried.put(mb + "m", passed));
        line.put("heapNeededMb", heap.neededMb() < 0 ? null : heap.neededMb())
            .put("heapTried", tried);
      }
      lines.add(line.encode());
    }
    return lines;
  }

  private static JsonArray array(double[] values) {
    JsonArray array = new JsonArray();
    for (double v : values) {
      array.add(v);
    }
    return array;
  }
}
