package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.cluster.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/dv --cluster with no service running says so in one line and exits 1 (issue 30: it
 * printed Hazelcast's NoDataMemberInClusterException, 34 lines of stack trace).
 */
class DaemonCliNoServiceTest {

  private static final String CLUSTER_CONFIG = "vertx.hazelcast.config";

  @Test
  void aClusterWithNoServiceIsOneLineAndExit1(@TempDir Path dir) throws Exception {
    // A loopback cluster of its own (its name and ports), with nobody in it.
    TestCluster cluster = TestCluster.create();
    Path xml = dir.resolve("cluster.xml");
    Files.writeString(xml, cluster.clusterXmlText(), StandardCharsets.UTF_8);
    System.setProperty(CLUSTER_CONFIG, xml.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    LogCapture log = LogCapture.start();
    try {
      int status = DaemonCli.run(DaemonCli.CliArgs.parse(new String[] {"height", "--cluster"}),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(status).isEqualTo(1);
    } finally {
      log.close();
      System.clearProperty(CLUSTER_CONFIG);
      cluster.close();
    }
    assertThat(log.linesWith("Exception")).as("no stack trace in the log").isEmpty();
    assertThat(log.linesWith("ERROR")).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement()
        .satisfies((String line) -> assertThat(line).startsWith("dv: no service in the cluster")
            .contains("scripts/run"));
  }
}
