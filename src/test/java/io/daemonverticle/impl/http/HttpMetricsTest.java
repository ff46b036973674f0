package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonVerticle;
import io.daemonverticle.LogCapture;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * /metrics is Prometheus text: every sample line parses, and the service's counters move as
 * requests are made (a plain Vert.x here, without metrics: the private registry answers).
 */
@ExtendWith(VertxExtension.class)
class HttpMetricsTest {

  /** {@code name{labels} value}, labels optional; as the Prometheus text format has it. */
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile(
      "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  @Test
  void countersMoveAsRequestsAreMade(Vertx vertx, VertxTestContext ctx) {
    String[] address = new String[1];
    FakeDaemon.bitcoinLike(vertx, 9).compose((FakeDaemon fake) -> {
      var config = Deployments.config(fake);
      address[0] = config.getString("address");
      return HttpFront.deploy(vertx, config);
    }).compose((HttpFront front) -> scrape(front).compose((Map<String,
        Double> before) -> front.post(Actions.HEIGHT, null)
        .compose((HttpResponse<Buffer> r) -> front.post(Actions.HEIGHT, null))
        .compose((HttpResponse<Buffer> r) -> front.post("noSuchAction", null))
        .compose((HttpResponse<Buffer> r) -> front.post(Actions.RAW_BLOCKS,
            "{\"hashes\":[\"" + FakeChain.blockHash(2) + "\"]}"))
        .compose((HttpResponse<Buffer> blocks) -> scrape(front).map((Map<String, Double> after) -> {
          ctx.verify(() -> {
            String a = "address=\"" + address[0] + "\"";
            String heightOk = "daemon_requests_seconds_count{action=\"height\"," + a
                + ",outcome=\"ok\"}";
            assertThat(after.get(heightOk) - before.getOrDefault(heightOk, 0.0)).isEqualTo(2);
            String unknown = "daemon_requests_seconds_count{action=\"unknown\"," + a
                + ",outcome=\"404\"}";
            assertThat(after.get(unknown)).isEqualTo(1);
            assertThat(after.keySet()).anyMatch((String k) -> k.startsWith(
                "daemon_requests_seconds_bucket{action=\"height\"," + a));
            String rpc = "daemon_rpc_requests_total{" + a + "}";
            assertThat(after.get(rpc) - before.get(rpc)).isGreaterThanOrEqualTo(3);
            String bytes = "daemon_blocks_served_bytes_total{" + a + "}";
            assertThat(after.get(bytes) - before.get(bytes))
                .isEqualTo(blocks.body().length());
            assertThat(after.get("daemon_cached_height{" + a + "}")).isEqualTo(9);
            String closed = after.keySet().stream()
                .filter((String k) -> k.startsWith("daemon_circuit_state{") && k.contains(a)
                    && k.contains("state=\"closed\""))
                .findFirst().orElseThrow();
            assertThat(after.get(closed)).isEqualTo(1);
            assertThat(closed).contains("url=\"127.0.0.1:")
                .doesNotContain(Deployments.PASSWORD).doesNotContain(Deployments.USER);
            assertThat(after).containsKeys("daemon_workqueue_in_flight{" + a + "}",
                "daemon_workqueue_waiting{" + a + "}", "daemon_rpc_retries_total{" + a + "}",
                "daemon_rpc_failovers_total{" + a + "}", "daemon_rpc_hedges_total{" + a + "}",
                "daemon_height_publications_total{" + a + "}",
                "daemon_tip_publications_total{" + a + "}",
                "daemon_tip_republications_total{" + a + "}");
            // The JVM's and the process's meters beside the service's, as Prometheus users
            // expect (Micrometer's binders).
            assertThat(after.keySet()).anyMatch((String k) -> k.startsWith("jvm_memory_used_bytes{"))
                .anyMatch((String k) -> k.startsWith("jvm_threads_live_threads"))
                .anyMatch((String k) -> k.startsWith("jvm_gc_"))
                .anyMatch((String k) -> k.startsWith("process_cpu_usage"))
                .anyMatch((String k) -> k.startsWith("process_uptime_seconds"));
          });
          return after;
        }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void twoInstancesStartWithoutAWarning(Vertx vertx, VertxTestContext ctx) {
    // -instances 2 (and every reload) starts instances with the same URLs: their per-URL
    // meters are registered once, not again with Micrometer's "already registered" WARN.
    LogCapture log = LogCapture.start();
    FakeDaemon.bitcoinLike(vertx, 9).compose((FakeDaemon fake) -> vertx.deployVerticle(
            () -> new DaemonVerticle(Map.of()), new DeploymentOptions()
                .setConfig(Deployments.config(fake)).setInstances(2)))
        .onComplete(ctx.succeeding((String id) -> ctx.verify(() -> {
          log.close();
          assertThat(log.linesWith("WARN")).isEmpty();
          assertThat(log.linesWith("serving")).hasSize(2);
          ctx.completeNow();
        })));
  }

  /** Every sample of a scrape by series (name and sorted labels); a line that does not parse fails. */
  private static Future<Map<String, Double>> scrape(HttpFront front) {
    return front.get("/metrics").map((HttpResponse<Buffer> response) -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("content-type")).startsWith("text/plain");
      Map<String, Double> samples = new HashMap<>();
      for (String line : response.bodyAsString().split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as("a Prometheus sample: " + line).isTrue();
        samples.put(m.group(1) + labels(m.group(3)), Double.parseDouble(m.group(4)));
      }
      return samples;
    });
  }

  private static String labels(String text) {
    if (text == null || text.isEmpty()) {
      return "{}";
    }
    Matcher m = LABEL.matcher(text);
    java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
    int end = 0;
    while (m.find()) {
      assertThat(m.start()).as("labels " + text).isEqualTo(end);
      sorted.put(m.group(1), m.group(2));
      end = m.end();
    }
    assertThat(end).as("labels " + text).isEqualTo(text.length());
    StringBuilder out = new StringBuilder("{");
    sorted.forEach((String k, String v) -> out.append(out.length() > 1 ? "," : "").append(k)
        .append("=\"")
        .append(v).append('"'));
    return out.append('}').toString();
  }
}
