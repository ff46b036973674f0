package io.daemonverticle.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The configuration `-cluster` uses: vertx-hazelcast reads the system property
 * vertx.hazelcast.config, else the classpath cluster.xml (the jar's copy of conf/cluster.xml),
 * before its own multicast default-cluster.xml. Both must be loopback only.
 */
class ClusterConfigFileTest {

  @Test
  void jarCarriesConfClusterXmlUnchanged() throws Exception {
    byte[] shipped = Files.readAllBytes(TestCluster.clusterXml());
    try (InputStream onClasspath = getClass().getClassLoader().getResourceAsStream("cluster.xml")) {
      assertThat(onClasspath).as("classpath cluster.xml").isNotNull();
      assertThat(onClasspath.readAllBytes()).isEqualTo(shipped);
    }
  }

  @Test
  void whatVertxHazelcastLoadsIsLoopbackOnlyWithBackups() {
    assertThat(System.getProperty("vertx.hazelcast.config")).isNull();
    Config config = ConfigUtil.loadConfig();
    assertThat(config.getClusterName()).isEqualTo("daemon-verticle");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    // The service's maps (one per address) keep a backup so a leaving node loses nothing.
    assertThat(config.findMapConfig("daemon-verticle:daemon").getBackupCount()).isEqualTo(1);
    assertThat(config.findMapConfig("__vertx.nodeInfo").getBackupCount()).isEqualTo(1);
    assertThat(config.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
  }
}
