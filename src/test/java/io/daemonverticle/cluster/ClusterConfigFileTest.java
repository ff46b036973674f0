package io.daemonverticle.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import org.junit.jupiter.api.Test;

/**
 * The configuration `-cluster` uses: vertx-hazelcast reads the system property
 * vertx.hazelcast.config, else the classpath cluster.xml (the fat jar's copy of
 * conf/cluster.xml: JarLayoutIT checks it is that file), before its own multicast
 * default-cluster.xml. conf/cluster.xml is the one copy, and must be loopback only; the
 * library's classes (and so the thin jar) carry none.
 */
class ClusterConfigFileTest {

  private static final String PROPERTY = "vertx.hazelcast.config";

  @Test
  void theLibraryCarriesNoClusterConfig() {
    assertThat(getClass().getClassLoader().getResource("cluster.xml"))
        .as("a cluster.xml on the library's classpath").isNull();
  }

  @Test
  void whatVertxHazelcastLoadsFromConfIsLoopbackOnlyWithBackups() {
    assertThat(System.getProperty(PROPERTY)).isNull();
    Config config;
    System.setProperty(PROPERTY, TestCluster.clusterXml().toAbsolutePath().toString());
    try {
      config = ConfigUtil.loadConfig();
    } finally {
      System.clearProperty(PROPERTY);
    }
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
