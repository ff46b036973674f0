package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.cluster.TestCluster;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.ZmqPublisher;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The tip's latency, by hand (not in `mvn test` or `verify`: `mvn -B -o test
 * -Dtest=TipLatencyBench`, a few minutes): from {@code generatetoaddress} returning on a real
 * Litecoin Core 0.21 regtest node to the {@code <address>.tip} publication arriving at a
 * consumer on another node of a two-node Hazelcast cluster, over {@value #BLOCKS} blocks,
 * for each source: the long-poll, the poll (every {@value #POLL_MS} ms), and ZMQ (Debian's
 * Litecoin Core has none: a test publisher sends Core's {@code hashblock} frames as soon as
 * {@code generatetoaddress} returns, as Core publishes them before it returns). Prints p50,
 * p99 and max, and writes them to {@code target/tip-latency.md}.
 */
class TipLatencyBench {

  static final int BLOCKS = Integer.getInteger("tipLatency.blocks", 200);
  static final long POLL_MS = 1000;

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @Test
  void latencyFromGenerateToAPublicationOnAnotherNode() throws Exception {
    TestCluster cluster = TestCluster.create();
    ZmqPublisher publisher = ZmqPublisher.start();
    StringBuilder report = new StringBuilder("| source | blocks | p50 ms | p99 ms | max ms |\n"
        + "|---|---|---|---|---|\n");
    try {
      List<Vertx> nodes = cluster.startNodes(2);
      Vertx service = nodes.get(0);
      Vertx consumer = nodes.get(1);
      WebClient web = WebClient.create(consumer);
      report.append(run(service, consumer, web, "longpoll",
          (JsonObject c) -> c.put("heightPollMs", 60_000), null));
      report.append(run(service, consumer, web, "poll",
          (JsonObject c) -> c.put("heightPollMs", POLL_MS).put("tipLongPoll", false), null));
      report.append(run(service, consumer, web, "zmq",
          (JsonObject c) -> c.put("heightPollMs", 60_000).put("zmqUrl", publisher.url()),
          publisher));
      System.out.println("tip latency, generatetoaddress to a consumer on another node:\n"
          + report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "tip-latency.md"), report);
    } finally {
      publisher.close();
      cluster.close();
    }
  }

  /**
   * A fresh node for each source: Litecoin Core's regtest chain cannot be mined past its MWEB
   * activation (about 430 blocks) with plain generatetoaddress.
   */
  private static String run(Vertx service, Vertx consumer, WebClient web, String source,
                            Consumer<JsonObject> tweak, ZmqPublisher publisher)
      throws Exception {
    CoreNode node = CoreNode.start(CoreNode.uniqueName(TipLatencyBench.class, source),
        CoreNode.Settings.password());
    try {
      node.mine(1);
      String miningAddress = (String) await(node.rpc(web, "getnewaddress"));
      return run(service, consumer, web, node, miningAddress, source, tweak, publisher);
    } finally {
      node.stopAndPurge();
    }
  }

  private static String run(Vertx service, Vertx consumer, WebClient web, CoreNode node,
                            String miningAddress, String source, Consumer<JsonObject> tweak,
                            ZmqPublisher publisher) throws Exception, IOException {
    JsonObject config = Deployments.litecoinConfig(node.url());
    tweak.accept(config);
    String address = config.getString("address");
    Map<String, Long> arrivals = new ConcurrentHashMap<>();
    Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    List<String> sources = Collections.synchronizedList(new ArrayList<>());
    MessageConsumer<JsonObject> tips = consumer.eventBus().consumer(address + ".tip", m -> {
      long at = System.nanoTime();
      String hash = m.body().getString("hash");
      arrivals.put(hash, at);
      sources.add(m.body().getString("source"));
      waiting.computeIfAbsent(hash, h -> new CompletableFuture<>()).complete(at);
    });
    await(tips.completion());
    String id = await(service.deployVerticle(() -> new DaemonVerticle(Map.of()),
        new DeploymentOptions().setConfig(config)));
    if (publisher != null) {
      await(publisher.subscribed(consumer));
    }
    // The first publication (the tip found at start), and a moment for the push source.
    await(consumer.timer(1500));
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < BLOCKS; i++) {
      Object hashes = await(node.rpc(web, "generatetoaddress", 1, miningAddress));
      long returned = System.nanoTime();
      String hash = ((io.vertx.core.json.JsonArray) hashes).getString(0);
      if (publisher != null) {
        publisher.hashblock(hash);
      }
      long arrived = waiting.computeIfAbsent(hash, h -> new CompletableFuture<>())
          .get(30, TimeUnit.SECONDS);
      latencies.add(arrived - returned);
    }
    await(service.undeploy(id));
    await(tips.unregister());
    Collections.sort(latencies);
    long pushed = sources.stream().filter(source::equals).count();
    assertThat(pushed).as("publications by " + source).isGreaterThanOrEqualTo(BLOCKS * 9 / 10);
    return String.format("| %s | %d | %.1f | %.1f | %.1f |%n", source, BLOCKS,
        ms(latencies.get(latencies.size() / 2)),
        ms(latencies.get(Math.min(latencies.size() - 1, latencies.size() * 99 / 100))),
        ms(latencies.get(latencies.size() - 1)));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
