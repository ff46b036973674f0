package io.daemonverticle.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Clustered Vert.x nodes for tests, all in this JVM and on loopback only. The Hazelcast
 * configuration starts from the shipped conf/cluster.xml (so the tests also read that file)
 * and then pins, whatever the file says: no multicast or auto-detection, TCP-IP members on
 * 127.0.0.1, the interface 127.0.0.1, no phone-home. Each cluster gets a unique name and its
 * own free port range, so parallel runs never join each other, and short join and heartbeat
 * settings, so tests stay fast.
 */
public final class TestCluster {

  public static final String LOOPBACK = "127.0.0.1";
  static final int PORT_COUNT = 10;
  private static final long START_TIMEOUT_S = 60;

  /** Fast and quiet: join at once, notice a dead member in seconds. */
  static final Map<String, String> FAST_PROPERTIES = Map.ofEntries(
      Map.entry("hazelcast.phone.home.enabled", "false"),
      Map.entry("hazelcast.socket.bind.any", "false"),
      Map.entry("hazelcast.logging.type", "slf4j"),
      Map.entry("hazelcast.wait.seconds.before.join", "0"),
      Map.entry("hazelcast.max.wait.seconds.before.join", "0"),
      Map.entry("hazelcast.heartbeat.interval.seconds", "1"),
      Map.entry("hazelcast.max.no.heartbeat.seconds", "5"),
      Map.entry("hazelcast.merge.first.run.delay.seconds", "2"),
      Map.entry("hazelcast.merge.next.run.delay.seconds", "2"),
      Map.entry("hazelcast.partition.count", "31"),
      Map.entry("hazelcast.graceful.shutdown.max.wait", "20"),
      Map.entry("hazelcast.shutdownhook.enabled", "false"));

  private final String name;
  private final int basePort;
  private final List<Vertx> nodes = new CopyOnWriteArrayList<>();

  private TestCluster(String name, int basePort) {
    this.name = name;
    this.basePort = basePort;
  }

  public static TestCluster create() {
    return new TestCluster("daemon-verticle-test-" + UUID.randomUUID(), freeBasePort());
  }

  public String name() {
    return name;
  }

  public int basePort() {
    return basePort;
  }

  /** The shipped cluster configuration file. */
  public static Path clusterXml() {
    return Path.of(System.getProperty("project.basedir", ".")).resolve("conf/cluster.xml");
  }

  /** This cluster's Hazelcast configuration for one more member. */
  public Config hazelcastConfig() {
    Config config;
    try {
      config = new XmlConfigBuilder(clusterXml().toString()).build();
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
    config.setClusterName(name);
    FAST_PROPERTIES.forEach(config::setProperty);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(basePort).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(LOOPBACK));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(members());
    return config;
  }

  /** {@code 127.0.0.1:port} for every port of this cluster's range. */
  List<String> members() {
    List<String> members = new ArrayList<>();
    for (int p = basePort; p < basePort + PORT_COUNT; p++) {
      members.add(LOOPBACK + ":" + p);
    }
    return members;
  }

  /**
   * conf/cluster.xml rewritten for this cluster: its name, port range and members; everything
   * else as shipped. For a node started as a separate process.
   */
  public String clusterXmlText() {
    String xml;
    try {
      xml = Files.readString(clusterXml(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder members = new StringBuilder();
    for (String member : members()) {
      members.append("<member>").append(member).append("</member>");
    }
    StringBuilder properties = new StringBuilder();
    FAST_PROPERTIES.forEach((String k, String v) -> properties.append("<property name=\"").append(k)
        .append("\">").append(v).append("</property>"));
    xml = replaceOnce(xml, "<cluster-name>daemon-verticle</cluster-name>",
        "<cluster-name>" + name + "</cluster-name>");
    xml = replaceOnce(xml, "port-count=\"20\">5701</port>",
        "port-count=\"" + PORT_COUNT + "\">" + basePort + "</port>");
    xml = replaceOnce(xml, "<member>127.0.0.1</member>", members.toString());
    // The last of equal property names wins: the fast ones go after the file's own.
    xml = replaceOnce(xml, "</properties>", properties + "</properties>");
    return xml;
  }

  private static String replaceOnce(String text, String what, String with) {
    int at = text.indexOf(what);
    if (at < 0 || text.indexOf(what, at + 1) >= 0) {
      throw new IllegalStateException("conf/cluster.xml no longer has exactly one " + what);
    }
    return text.substring(0, at) + with + text.substring(at + what.length());
  }

  /** Starts one more node; it has joined the others when the future completes. */
  public Future<Vertx> startNode() {
    return startNode(new EventBusOptions());
  }

  /**
   * Starts one more node with these event-bus options (TLS, say); its event bus is bound to
   * loopback and a free port whatever they say.
   */
  public Future<Vertx> startNode(EventBusOptions eventBus) {
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(new EventBusOptions(eventBus).setHost(LOOPBACK).setPort(0));
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcastConfig()))
        .buildClustered()
        .onSuccess(nodes::add);
  }

  /** Starts nodes one after the other (so they form one cluster, not several to merge). */
  public List<Vertx> startNodes(int count) throws Exception {
    List<Vertx> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(startNode().toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT_S, TimeUnit.SECONDS));
    }
    return started;
  }

  public static String nodeId(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager().getNodeId();
  }

  public static int memberCount(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager().getNodes().size();
  }

  /** Closes every node still open. */
  public void close() throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    for (Vertx node : nodes) {
      closing.add(node.close());
    }
    nodes.clear();
    Future.join(closing).toCompletionStage().toCompletableFuture()
        .get(START_TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** Completes once the condition holds, checking every 20 ms (the test's timeout bounds it). */
  public static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    check(vertx, condition, promise);
    return promise.future();
  }

  private static void check(Vertx vertx, BooleanSupplier condition, Promise<Void> promise) {
    if (condition.getAsBoolean()) {
      promise.complete();
    } else {
      vertx.setTimer(20, (Long id) -> check(vertx, condition, promise));
    }
  }

  /** A base port whose whole range is free on loopback now. */
  private static int freeBasePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      if (rangeFree(base)) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range on 127.0.0.1");
  }

  private static boolean rangeFree(int base) {
    for (int p = base; p < base + PORT_COUNT; p++) {
      try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getByName(LOOPBACK))) {
        socket.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
