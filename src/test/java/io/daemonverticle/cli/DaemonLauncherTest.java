package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher turns Vert.x's Prometheus metrics on unless -options says something of metrics,
 * and names the config file the service follows.
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
