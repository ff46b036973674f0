package io.daemonverticle.soak;

import io.daemonverticle.testing.ServiceJvmArgs;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One clustered service JVM, as an operator starts it: the fat jar's launcher main
 * ({@code DaemonLauncher}: metrics on, Netty's native transport where it loads) with the fat
 * jar's verticle, {@code DaemonService} (which follows its config file and reloads on an edit),
 * {@code -conf FILE -cluster}, the Hazelcast configuration file of the soak's cluster. Its output goes to NAME.log, its pid to NAME.pid (scripts/soak's trap ends it from
 * there should the coordinator die). Heap after a full collection comes from jcmd.
 */
final class ServiceJvm {

  /** The environment the service reads its settings from: the soak's config file alone counts. */
  private static final List<String> SERVICE_ENV = List.of("DAEMON_URL", "COIN", "NET",
      "DAEMON_KIND", "DAEMON_PROXY_URL", "DAEMON_COOKIE_FILE", "HTTP_PORT", "HTTP_HOST");
  private static final Pattern USED_K = Pattern.compile("used (\\d+)K");
  private static final Pattern ERROR_LINE = Pattern.compile("^\\S+ ERROR ");

  private final String name;
  private final Process process;
  private final Path log;
  private final Path pidFile;
  private final Path conf;

  private ServiceJvm(String name, Process process, Path log, Path pidFile, Path conf) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.pidFile = pidFile;
    this.conf = conf;
  }

  static ServiceJvm start(String name, Path dir, Path clusterXml, JsonObject config)
      throws IOException {
    Path conf = dir.resolve(name + ".conf.json");
    // The config holds the daemon's password: readable by this user alone.
    Files.deleteIfExists(conf);
    Files.createFile(conf, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(conf, config.encodePrettily(), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ServiceJvmArgs.ALL);
    command.add("-Xmx256m");
    command.add("-Dvertx.hazelcast.config=" + clusterXml.toAbsolutePath());
    command.add("-Dhazelcast.phone.home.enabled=false");
    command.add("-Dhazelcast.logging.type=slf4j");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(List.of("io.daemonverticle.cli.DaemonLauncher",
        "io.daemonverticle.DaemonService", "-conf", conf.toAbsolutePath().toString(),
        "-cluster", "-cluster-host", "127.0.0.1"));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    SERVICE_ENV.forEach(builder.environment()::remove);
    Process process = builder.start();
    Path pidFile = dir.resolve(name + ".pid");
    Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
    return new ServiceJvm(name, process, log, pidFile, conf);
  }

  /** Edits its config file in place, as an operator would: the service reloads what changed. */
  void rewriteConfig(JsonObject config) throws IOException {
    Files.writeString(conf, config.encodePrettily(), StandardCharsets.UTF_8);
  }

  /** The lines of its log holding {@code text}. */
  List<String> logLines(String text) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.contains(text)) {
        lines.add(line);
      }
    }
    return lines;
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /**
   * Runs a full collection in the JVM and answers the heap in use after it, bytes; -1 when
   * jcmd fails (counted as a missing sample).
   */
  long heapAfterFullGc() {
    if (!process.isAlive() || jcmd("GC.run") == null) {
      return -1;
    }
    String info = jcmd("GC.heap_info");
    if (info == null) {
      return -1;
    }
    Matcher used = USED_K.matcher(info);
    return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
  }

  private String jcmd(String what) {
    try {
      Path out = Files.createTempFile("soak-jcmd", ".out");
      try {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), what)
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
          jcmd.destroyForcibly();
          return null;
        }
        return jcmd.exitValue() == 0 ? Files.readString(out) : null;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The ERROR lines of its log so far. */
  List<String> errorLines() throws IOException {
    List<String> errors = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (ERROR_LINE.matcher(line).find()) {
        errors.add(line);
      }
    }
    return errors;
  }

  /** SIGTERM (the launcher closes Vert.x and leaves the cluster), then SIGKILL after 30 s. */
  void stop() {
    try {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(pidFile);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the pid file stays; the process is gone, which is what matters
    }
  }
}
