package io.daemonverticle.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's multi-machine advice, run: members whose event bus uses TLS with client
 * certificates from the cluster's CA ({@code scripts/cluster/certs}, the shipped
 * {@code conf/eventbus-tls.json}) get replies; a process that joined the Hazelcast cluster
 * (the open-source edition has no member authentication) but holds no certificate of that CA
 * gets none, and its request never reaches the daemon.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class EventBusTlsTest {

  private static final String PASSWORD = "test-" + System.nanoTime();
  /** A member's first request pays two TLS handshakes (one each way): about 2 s when loaded. */
  private static final long MEMBER_ASK_MS = 20_000;
  /** How long an intruder waits for the reply it must not get. */
  private static final long INTRUDER_ASK_MS = 8_000;

  @TempDir
  static Path certs;
  private static TestCluster cluster;
  private static Vertx daemonVertx;
  private static FakeDaemon daemon;
  private static Vertx server;
  private static String address;

  @BeforeAll
  static void members() throws Exception {
    makeCerts(certs.resolve("cluster"));
    makeCerts(certs.resolve("other"));
    daemonVertx = Vertx.vertx();
    daemon = await(FakeDaemon.bitcoinLike(daemonVertx, 321));
    cluster = TestCluster.create();
    server = await(cluster.startNode(shippedTlsOptions("cluster", "cluster")));
    JsonObject config = Deployments.config(daemon);
    address = config.getString("address");
    await(Deployments.deploy(server, config));
  }

  @AfterAll
  static void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (daemonVertx != null) {
      await(daemonVertx.close());
    }
  }

  @Test
  void aMemberWithTheClustersCertificateGetsItsReply(VertxTestContext ctx) throws Exception {
    Vertx member = await(cluster.startNode(shippedTlsOptions("cluster", "cluster")));
    askHeight(member, MEMBER_ASK_MS)
        .onComplete(ctx.succeeding((Integer height) -> ctx.verify(() -> {
      assertThat(height).isEqualTo(321);
      ctx.completeNow();
    })));
  }

  @Test
  void aNodeWithACertificateOfAnotherCaGetsNoReply(VertxTestContext ctx) throws Exception {
    // It trusts the cluster's CA, so only the member's check of its client certificate stops it.
    Vertx intruder = await(cluster.startNode(shippedTlsOptions("other", "cluster")));
    expectNoReply(intruder, ctx);
  }

  @Test
  void aNodeWithoutTlsGetsNoReply(VertxTestContext ctx) throws Exception {
    Vertx intruder = await(cluster.startNode(new EventBusOptions()));
    expectNoReply(intruder, ctx);
  }

  private static void expectNoReply(Vertx intruder, VertxTestContext ctx) {
    // The intruder is a Hazelcast member all the same: it sees the address's handler.
    assertThat(TestCluster.memberCount(intruder)).isGreaterThanOrEqualTo(2);
    int asked = daemon.calls().size();
    askHeight(intruder, INTRUDER_ASK_MS).onComplete((AsyncResult<Integer> ar) -> ctx.verify(() -> {
      assertThat(ar.failed()).as("a reply without the cluster's certificate").isTrue();
      assertThat(daemon.calls()).hasSize(asked);
      ctx.completeNow();
    }));
  }

  private static Future<Integer> askHeight(Vertx node, long timeoutMs) {
    return node.eventBus().<Integer>request(address, null, new DeliveryOptions()
            .addHeader(Actions.HEADER, Actions.HEIGHT).setSendTimeout(timeoutMs))
        .map((Message<Integer> reply) -> reply.body());
  }

  /**
   * conf/eventbus-tls.json as shipped, with this test's stores: the key of a member of
   * {@code keyOf}'s CA, trusting {@code trusting}'s CA.
   */
  private static EventBusOptions shippedTlsOptions(String keyOf, String trusting)
      throws IOException {
    Path shipped = TestCluster.clusterXml().resolveSibling("eventbus-tls.json");
    String json = Files.readString(shipped, StandardCharsets.UTF_8)
        .replace("/etc/daemon-verticle/member-10.0.0.11.p12",
            certs.resolve(keyOf).resolve("member-127.0.0.1.p12").toString())
        .replace("/etc/daemon-verticle/cluster-ca.p12",
            certs.resolve(trusting).resolve("cluster-ca.p12").toString())
        .replace("CHANGE-ME", PASSWORD);
    EventBusOptions options = new VertxOptions(new JsonObject(json)).getEventBusOptions();
    assertThat(options.isSsl()).isTrue();
    return options;
  }

  private static void makeCerts(Path dir) throws Exception {
    Path script = Path.of(System.getProperty("project.basedir", "."))
        .resolve("scripts/cluster/certs");
    ProcessBuilder builder = new ProcessBuilder(script.toString(), dir.toString(), "127.0.0.1")
        .redirectErrorStream(true)
        .redirectOutput(certs.resolve("certs.log").toFile());
    builder.environment().put("DV_KEYSTORE_PASSWORD", PASSWORD);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("scripts/cluster/certs ended").isTrue();
    assertThat(process.exitValue()).as(Files.readString(certs.resolve("certs.log"))).isZero();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
