package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The fat jar as an operator starts it ({@code java -jar ... -conf}, its Main-Class the
 * project's launcher): /metrics carries Vert.x's own HTTP client and event-bus meters (the
 * launcher turns Micrometer metrics on) next to the service's, and it runs on Netty's native
 * transport. Needs the fat jar: runs in
 * failsafe's phase, after package.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LauncherMetricsIT {

  /** Settings that would point the launched service elsewhere than the fake daemon. */
  private static final List<String> SERVICE_ENV = List.of("DAEMON_URL", "COIN", "NET",
      "DAEMON_KIND", "DAEMON_PROXY_URL", "DAEMON_COOKIE_FILE");

  private static Vertx vertx;
  private static Process child;
  private static Path log;
  private static URI base;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void launchTheFatJar() throws Exception {
    vertx = Vertx.vertx();
    FakeDaemon daemon = FakeDaemon.bitcoinLike(vertx, 77).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    int port = freeLoopbackPort();
    base = URI.create("http://127.0.0.1:" + port);
    JsonObject config = Deployments.config(daemon).put("httpPort", port);
    Path dir = Path.of(System.getProperty("project.basedir", ".")).resolve("target/launcher-it");
    Files.createDirectories(dir);
    log = dir.resolve("child-" + port + ".log");
    Path jar = Path.of(System.getProperty("fat.jar", "target/daemon-verticle-fat.jar"));
    assertThat(jar).as("the fat jar (mvn package)").exists();
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.net.preferIPv4Stack=true", "-jar", jar.toAbsolutePath().toString(),
        "-conf", config.encode())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    SERVICE_ENV.forEach(builder.environment()::remove);
    child = builder.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (child != null) {
        child.destroy();
        if (!child.waitFor(20, TimeUnit.SECONDS)) {
          child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void metricsCarryVertxMetersAndOurs() throws Exception {
    untilServed();
    HttpResponse<String> height = HTTP.send(HttpRequest.newBuilder(base.resolve("/actions/height"))
            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}"))
            .header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(height.statusCode()).as(height.body()).isEqualTo(200);
    assertThat(height.body().strip()).isEqualTo("77");

    String metrics = get("/metrics").body();
    List<String> names = metrics.lines().filter((String l) -> !l.startsWith("#") && !l.isBlank())
        .map((String l) -> l.split("[{ ]", 2)[0]).distinct().toList();
    // The service's HttpTransport asked the fake daemon through a Vert.x HTTP client.
    assertThat(names).as("Vert.x's HTTP client meters")
        .anyMatch((String n) -> n.startsWith("vertx_http_client_"));
    assertThat(names).as("Vert.x's event-bus meters")
        .anyMatch((String n) -> n.startsWith("vertx_eventbus_"));
    assertThat(names).as("the service's own meters")
        .contains("daemon_requests_seconds_count", "daemon_cached_height");
    assertThat(metrics).contains("action=\"height\"");
  }

  /**
   * The launcher prefers the native transport and the fat jar carries its Linux x86-64 library:
   * the service logs that it runs on it.
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void theJarRunsOnTheNativeTransport() throws Exception {
    untilServed();
    assertThat(Files.readString(log)).as("the launched service's log, " + log)
        .contains("Vert.x runs on Netty's native transport");
  }

  /** A clean start says nothing an operator must look at (issue 30). */
  @Test
  void aCleanStartLogsNoWarning() throws Exception {
    // Served: the deployment, its meters and its handlers are all in place.
    untilServed();
    assertThat(Files.readAllLines(log)).as("the launched service's log, " + log)
        .noneMatch((String line) -> line.contains(" WARN ") || line.contains(" ERROR "));
  }

  /** /metrics answers once the launched service has deployed (a few seconds). */
  private static void untilServed() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      assertThat(child.isAlive()).as("the launched service exited; see " + log).isTrue();
      try {
        if (get("/metrics").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      assertThat(System.nanoTime()).as("/metrics not served within 60 s; see " + log)
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
