package io.daemonverticle.bench;

import com.hazelcast.config.XmlConfigBuilder;
import io.daemonverticle.Actions;
import io.daemonverticle.impl.bus.BusCodecs;
import io.daemonverticle.impl.bus.ReplyBufferCodec;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the benchmark, started by {@link Bench}: it reads commands on stdin, one a line,
 * and answers each with one JSON line on stdout (logs go to stderr).
 * <ul>
 *   <li>{@code service --daemon NAME=PORT... [--cluster-xml FILE]}: deploys a DaemonVerticle
 *   per fake-daemon listener, at {@code bench.daemon.NAME}, the probes (event-loop stall,
 *   heap after GC) at {@link Workloads#PROBE_ADDRESS} and the echo of ready buffers at
 *   {@link Workloads#ECHO_ADDRESS}, and is their consumer over the local event bus as
 *   well;</li>
 *   <li>{@code client --cluster-xml FILE --daemon NAME=PORT...}: joins the service's cluster
 *   and is its consumer over the clustered event bus;</li>
 *   <li>{@code peer --cluster-xml FILE --daemon NAME=PORT...}: joins the service's cluster with
 *   DaemonVerticles of its own at the same addresses and is their consumer (DaemonClient asks
 *   the local instance first); its probes are its own, registered for this JVM only.</li>
 * </ul>
 * It prints {@code {"type":"ready"}} once it can serve, then for each command
 * {@code WORKLOAD@NAME COUNT [every-byte]} makes one pass of {@link Workloads} and prints its
 * line (or a {@code "failed"} line); {@code every-byte} compares every byte of the blocks the
 * service gives, not a stripe of each ({@link Expected}). {@code status@NAME} prints the
 * counters of this JVM's instance for that daemon ({@link InstanceCounters}), asked of it
 * alone. It exits when its stdin closes, so it never outlives the benchmark.
 */
public final class BenchNode {

  /** The last word of a command whose pass compares every byte of the blocks. */
  static final String EVERY_BYTE = "every-byte";
  /** The command that reads an instance's counters. */
  static final String STATUS = "status";
  /** How a peer's passes reach the service, in their lines and keys. */
  static final String LOCAL_FIRST = "localfirst";

  private static final Set<String> OPTIONS = Set.of("daemon", "cluster-xml", "block-bytes");
  private static final long START_TIMEOUT_S = 120;

  private BenchNode() {
  }

  public static void main(String[] argv) throws Exception {
    String role = argv.length > 0 ? argv[0] : "";
    if (!role.equals("service") && !role.equals("client") && !role.equals("peer")) {
      System.err.println("usage: BenchNode service|client|peer --daemon NAME=PORT... "
          + "[--cluster-xml FILE] [--block-bytes N]; then WORKLOAD@NAME COUNT [" + EVERY_BYTE
          + "] and " + STATUS + "@NAME lines on stdin");
      System.exit(2);
    }
    Args args = Args.parse(List.of(argv).subList(1, argv.length), Set.of(), OPTIONS);
    Map<String, FakeDaemonPort> daemons = new LinkedHashMap<>();
    for (String spec : args.all("daemon")) {
      FakeDaemonPort daemon = FakeDaemonPort.parse(spec);
      daemons.put(daemon.name(), daemon);
    }
    String clusterXml = args.string("cluster-xml", null);
    boolean peer = role.equals("peer");
    if (peer && clusterXml == null) {
      System.err.println("a peer joins a cluster: --cluster-xml FILE");
      System.exit(2);
    }
    int blockBytes = args.positive("block-bytes", Sizes.FULL.blockBytes());
    int status = 0;
    Vertx vertx = clusterXml == null ? Vertx.vertx(transport()) : clustered(clusterXml);
    try {
      if (role.equals("client")) {
        awaitService(vertx);
      } else {
        startService(vertx, daemons.values(), blockBytes, peer);
      }
      System.out.println(new JsonObject().put("type", "ready").encode());
      serve(vertx, new Workloads(vertx, blockBytes, peer), daemons,
          peer ? LOCAL_FIRST : clusterXml == null ? "local" : "cluster");
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
    // Hazelcast may leave non-daemon threads behind.
    System.exit(status);
  }

  /**
   * Runs each WORKLOAD@NAME COUNT command until stdin ends; a failed pass is reported, not
   * fatal.
   */
  private static void serve(Vertx vertx, Workloads workloads,
                            Map<String, FakeDaemonPort> daemons, String via) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String command;
    while ((command = in.readLine()) != null) {
      if (command.isBlank()) {
        continue;
      }
      String[] parts = command.strip().split("[@ ]");
      if (parts.length == 2 && parts[0].equals(STATUS) && daemons.containsKey(parts[1])) {
        System.out.println(counters(vertx, daemons.get(parts[1])));
        continue;
      }
      boolean everyByte = parts.length == 4 && parts[3].equals(EVERY_BYTE);
      FakeDaemonPort daemon = parts.length == 3 || everyByte ? daemons.get(parts[1]) : null;
      JsonObject line;
      try {
        if (daemon == null) {
          throw new IllegalArgumentException("commands are WORKLOAD@NAME COUNT [" + EVERY_BYTE
              + "], NAME that of a --daemon, not " + command);
        }
        line = workloads.pass(parts[0], daemon, via, Integer.parseInt(parts[2]), everyByte);
      } catch (Exception e) {
        e.printStackTrace();
        line = new JsonObject().put("type", "failed").put("workload", parts[0])
            .put("daemon", daemon == null ? null : daemon.name()).put("via", via)
            .put("error", String.valueOf(e));
      }
      System.out.println(line.encode());
    }
  }

  /**
   * Deploys an instance per daemon, with the probes and (but on a peer) the echo.
   *
   * @param peer whether this is a peer: its probes are for this JVM alone, and it has no echo
   */
  private static void startService(Vertx vertx, Iterable<FakeDaemonPort> daemons,
                                   int blockBytes, boolean peer) throws Exception {
    if (!peer) {
      Map<Integer, Buffer> echoes = new HashMap<>();
      // Ready buffers sent as the service sends rawBlocks replies, so that the bus alone is
      // measured with the same codec.
      BusCodecs.registerOn(vertx.eventBus());
      DeliveryOptions replyCodec = new DeliveryOptions().setCodecName(ReplyBufferCodec.NAME);
      vertx.eventBus().<Integer>consumer(Workloads.ECHO_ADDRESS, (Message<Integer> message) -> {
        Buffer echo = echoes.computeIfAbsent(message.body(),
            (Integer blocks) -> Buffer.buffer(new byte[blocks * blockBytes]));
        message.reply(echo, ReplyBufferCodec.readableBy(message, vertx.isClustered())
            ? replyCodec : new DeliveryOptions());
      }).completion().await(START_TIMEOUT_S, TimeUnit.SECONDS);
    }
    LoopProbe loops = new LoopProbe(vertx);
    HeapProbe heap = new HeapProbe();
    Handler<Message<String>> probe = (Message<String> message) -> {
      JsonObject reading = new JsonObject()
          .put("stallNanos", loops.worstNanos())
          .put("heapAfterGcPeakBytes", heap.peakAfterGcBytes())
          .put("collections", heap.collections())
          .put("longestCollectionMs", heap.longestCollectionMs())
          .put("vertxTransport", vertx.isNativeTransportEnabled() ? "native" : "nio");
      if (message.body().startsWith("reset")) {
        loops.watch(!message.body().equals(Workloads.RESET_UNWATCHED));
        loops.reset();
        heap.reset();
      }
      message.reply(reading);
    };
    (peer ? vertx.eventBus().localConsumer(Workloads.PROBE_ADDRESS, probe)
        : vertx.eventBus().consumer(Workloads.PROBE_ADDRESS, probe))
        .completion().await(START_TIMEOUT_S, TimeUnit.SECONDS);
    for (FakeDaemonPort daemon : daemons) {
      String genesis = daemon.batch(new JsonArray().add(new JsonObject().put("jsonrpc", "1.0")
          .put("method", "getblockhash").put("params", new JsonArray().add(0)).put("id", 0)))
          .getString(0);
      Deployments.deploy(vertx, config(daemon, genesis))
          .await(START_TIMEOUT_S, TimeUnit.SECONDS);
    }
  }

  /**
   * The counters of this JVM's instance for {@code daemon}, as a JSON line: asked of the plain
   * address for this JVM alone, so that neither the cluster nor the local-first path chooses
   * who answers.
   */
  private static String counters(Vertx vertx, FakeDaemonPort daemon) {
    JsonObject line;
    try {
      JsonObject status = vertx.eventBus().<JsonObject>request(daemon.address(), null,
              new DeliveryOptions().addHeader(Actions.HEADER, Actions.STATUS)
                  .setLocalOnly(true).setSendTimeout(10_000))
          .await(15, TimeUnit.SECONDS).body();
      line = InstanceCounters.ofStatus(status).json().put("type", STATUS);
    } catch (Exception e) {
      e.printStackTrace();
      line = new JsonObject().put("type", "failed").put("workload", STATUS)
          .put("error", String.valueOf(e));
    }
    return line.put("daemon", daemon.name()).encode();
  }

  /**
   * The service's configuration: its defaults, but for generous deadlines (the benchmark
   * measures speed, not how the service copes with a loaded machine) and the fake's own block
   * 0 (its chain is not mainnet's, and the service quarantines a URL on another chain).
   */
  static JsonObject config(FakeDaemonPort daemon, String genesisHash) {
    return new JsonObject()
        .put("daemonUrl", daemon.url())
        .put("coin", "Bitcoin")
        .put("genesisHash", genesisHash)
        .put("address", daemon.address())
        .put("requestTimeoutMs", Workloads.REQUEST_TIMEOUT_MS)
        .put("attemptTimeoutMs", Workloads.REQUEST_TIMEOUT_MS);
  }

  /** Waits until the service answers on the (clustered) event bus: it has joined. */
  private static void awaitService(Vertx vertx) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
    while (true) {
      try {
        vertx.eventBus().request(Workloads.PROBE_ADDRESS, "read",
            new DeliveryOptions().setSendTimeout(2000)).await(5, TimeUnit.SECONDS);
        return;
      } catch (Exception notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the service did not answer on the cluster within "
              + START_TIMEOUT_S + " s", notYet);
        }
        Thread.sleep(200);
      }
    }
  }

  /** The transport the fat jar's launcher prefers: the service is measured as it ships. */
  private static VertxOptions transport() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  private static Vertx clustered(String clusterXml) throws Exception {
    VertxOptions options = transport()
        .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(
            new XmlConfigBuilder(clusterXml).build()))
        .buildClustered()
        .await(START_TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** The arguments after the java command that start a node. */
  static List<String> command(String role, List<FakeDaemonPort> daemons, String clusterXml,
                              int blockBytes) {
    List<String> command = new ArrayList<>(List.of(BenchNode.class.getName(), role));
    for (FakeDaemonPort daemon : daemons) {
      command.add("--daemon");
      command.add(daemon.spec());
    }
    if (clusterXml != null) {
      command.add("--cluster-xml");
      command.add(clusterXml);
    }
    command.add("--block-bytes");
    command.add(Integer.toString(blockBytes));
    return command;
  }
}
