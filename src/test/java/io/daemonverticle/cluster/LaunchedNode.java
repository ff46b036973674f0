package io.daemonverticle.cluster;

import static io.daemonverticle.cluster.ClusterDeploymentTest.ask;

import io.daemonverticle.Actions;
import io.daemonverticle.testing.ServiceJvmArgs;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fat jar started with {@code -cluster} as a process of its own, with the shipped
 * conf/cluster.xml given the test cluster's name and ports ({@code -Dvertx.hazelcast.config}),
 * as an operator starts a node. Needs the fat jar: for failsafe's phase, after package.
 */
final class LaunchedNode {


  private final Process process;
  private final Path log;

  private LaunchedNode(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the fat jar on {@code cluster} with {@code config}; its output goes to a log. */
  static LaunchedNode start(TestCluster cluster, JsonObject config, String name)
      throws IOException {
    Path dir = Path.of(System.getProperty("project.basedir", ".")).resolve("target/cluster-it");
    Files.createDirectories(dir);
    Path xml = dir.resolve("cluster-" + cluster.basePort() + ".xml");
    Files.writeString(xml, cluster.clusterXmlText(), StandardCharsets.UTF_8);
    Path jar = Path.of(System.getProperty("fat.jar", "target/daemon-verticle-fat.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("no fat jar at " + jar + " (mvn package)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ServiceJvmArgs.ALL);
    command.add("-Dvertx.hazelcast.config=" + xml.toAbsolutePath());
    command.add("-Dhazelcast.phone.home.enabled=false");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "-conf", config.encode(),
        "-cluster", "-cluster-host", TestCluster.LOOPBACK));
    Path log = dir.resolve(name + "-" + cluster.basePort() + ".log");
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new LaunchedNode(process, log);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Kills it without a word (SIGKILL): no lease released, no member leaving politely. */
  boolean kill() throws InterruptedException {
    return process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
  }

  /** Completes once the node answers {@code status} on {@code address} (it starts in seconds). */
  Future<Void> untilServed(Vertx from, String address) {
    Promise<Void> served = Promise.promise();
    tryStatus(from, address, served);
    return served.future();
  }

  private void tryStatus(Vertx from, String address, Promise<Void> served) {
    if (!process.isAlive()) {
      served.fail("the launched node exited with " + process.exitValue() + "; see " + log);
      return;
    }
    ask(from, address, Actions.STATUS, false).onComplete((AsyncResult<Object> ar) -> {
      if (ar.succeeded()) {
        served.complete();
      } else {
        from.setTimer(200, (Long id) -> tryStatus(from, address, served));
      }
    });
  }
}
