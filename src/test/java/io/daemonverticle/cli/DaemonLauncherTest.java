package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher turns Vert.x's Prometheus metrics on unless -options says something of metrics,
 * prefers the native transport unless -options says whether to, and names the config file the
 * service follows.
 */
class DaemonLauncherTest {

  private final DaemonLauncher launcher = new DaemonLauncher(new String[0]);

  @Test
  void noOptionsGetPrometheusMetrics() {
    JsonObject options = launcher.afterVertxOptionsParsed(null);
    assertThat(options.getJsonObject("metricsOptions").getBoolean("enabled")).isTrue();
    assertThat(options.getJsonObject("metricsOptions").getJsonObject("prometheusOptions")
        .getBoolean("enabled")).isTrue();
  }

  @Test
  void otherOptionsAreKeptAndGetMetrics() {
    JsonObject options = launcher.afterVertxOptionsParsed(
        new JsonObject().put("eventLoopPoolSize", 3));
    assertThat(options.getInteger("eventLoopPoolSize")).isEqualTo(3);
    assertThat(options.getJsonObject("metricsOptions")).isEqualTo(DaemonLauncher.METRICS);
  }

  @Test
  void metricsOptionsGivenByTheOperatorWin() {
    JsonObject off = new JsonObject().put("enabled", false);
    JsonObject options = launcher.afterVertxOptionsParsed(
        new JsonObject().put("metricsOptions", off.copy()));
    assertThat(options.getJsonObject("metricsOptions")).isEqualTo(off);
  }

  @Test
  void theNativeTransportIsPreferredUnlessTheOperatorSaysOtherwise() {
    assertThat(launcher.afterVertxOptionsParsed(null).getBoolean("preferNativeTransport"))
        .isTrue();
    assertThat(launcher.afterVertxOptionsParsed(new JsonObject().put("eventLoopPoolSize", 3))
        .getBoolean("preferNativeTransport")).isTrue();
    assertThat(launcher.afterVertxOptionsParsed(
            new JsonObject().put("preferNativeTransport", false))
        .getBoolean("preferNativeTransport")).isFalse();
  }

  /** What the launcher logs at start says which transport runs; the JDK's by default. */
  @Test
  void theTransportLineNamesTheOneThatRuns() throws Exception {
    Vertx nio = Vertx.vertx();
    try {
      assertThat(DaemonLauncher.transport(nio)).isEqualTo("Vert.x runs on the JDK's NIO transport");
    } finally {
      nio.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The fat jar's platform: the epoll library the pom ships loads, and the line says so. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void onLinuxX8664TheNativeTransportLoads() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      assertThat(vertx.isNativeTransportEnabled())
          .as(String.valueOf(vertx.unavailableNativeTransportCause())).isTrue();
      assertThat(DaemonLauncher.transport(vertx))
          .isEqualTo("Vert.x runs on Netty's native transport");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theSharedDefaultIsNotHandedOut() {
    launcher.afterVertxOptionsParsed(null).getJsonObject("metricsOptions").put("enabled", false);
    assertThat(DaemonLauncher.METRICS.getBoolean("enabled")).isTrue();
  }

  @Test
  void theFollowedFileIsTheConfFileAndNoneForInlineJson(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("my.json"), "{}");
    assertThat(DaemonLauncher.followedFile(new String[] {"-conf", file.toString(), "-cluster"}))
        .isEqualTo(file.toString());
    assertThat(DaemonLauncher.followedFile(new String[] {"--conf=" + file})).isEqualTo(
        file.toString());
    assertThat(DaemonLauncher.followedFile(new String[] {"-conf", "{\"coin\":\"Litecoin\"}"}))
        .as("inline JSON: no file, so conf/config.json does not override it").isEmpty();
    assertThat(DaemonLauncher.followedFile(new String[] {"-cluster"}))
        .as("no -conf: the default file").isNull();
  }
}
