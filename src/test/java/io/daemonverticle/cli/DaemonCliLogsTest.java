package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * scripts/dv quiets the service's logs through system properties that conf/logback.xml (the
 * fat jar's copy) reads, not through a logging API: the levels a fresh logback configured from
 * that file ends up with.
 */
class DaemonCliLogsTest {

  @BeforeEach
  @AfterEach
  void clearProperties() {
    System.clearProperty(DaemonCli.ROOT_LEVEL);
    System.clearProperty(DaemonCli.HAZELCAST_LEVEL);
  }

  @Test
  void aQuietCommandLogsWarningsAndHazelcastErrorsOnly() throws Exception {
    DaemonCli.quietLogs(new String[] {"height"});
    assertThat(levels()).containsExactly(Level.WARN, Level.ERROR);
  }

  @Test
  void verboseAndTheServiceKeepTheFilesLevels() throws Exception {
    DaemonCli.quietLogs(new String[] {"height", "--verbose"});
    assertThat(System.getProperty(DaemonCli.ROOT_LEVEL)).isNull();
    assertThat(levels()).containsExactly(Level.INFO, Level.WARN);
  }

  @Test
  void aLevelGivenOnTheCommandLineWins() {
    System.setProperty(DaemonCli.ROOT_LEVEL, "DEBUG");
    DaemonCli.quietLogs(new String[] {"height"});
    assertThat(System.getProperty(DaemonCli.ROOT_LEVEL)).isEqualTo("DEBUG");
    assertThat(System.getProperty(DaemonCli.HAZELCAST_LEVEL)).isEqualTo("ERROR");
  }

  /**
   * The root's and Hazelcast's levels in a logback of its own (not the tests' one) configured
   * from conf/logback.xml.
   */
  private static Level[] levels() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Path.of(System.getProperty("project.basedir", "."))
        .resolve("conf/logback.xml").toFile());
    try {
      return new Level[] {context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel(),
          context.getLogger("com.hazelcast").getLevel()};
    } finally {
      context.stop();
    }
  }
}
