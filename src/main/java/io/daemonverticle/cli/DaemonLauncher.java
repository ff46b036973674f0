package io.daemonverticle.cli;

import io.daemonverticle.DaemonService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fat jar's main class: Vert.x's own launcher ({@code -conf}, {@code -cluster},
 * {@code -instances}, {@code -options}, ...), with Micrometer metrics and their Prometheus
 * registry on unless {@code -options} names some {@code metricsOptions}, so that the HTTP
 * front's {@code /metrics} carries Vert.x's HTTP client and event-bus meters along with the
 * service's. The launcher reads nested {@code metricsOptions} only from the options JSON
 * (its {@code vertx.metrics.options.*} properties cannot reach the Prometheus options), hence
 * a hook rather than a system property; {@code -Dvertx.metrics.options.enabled=false} still
 * turns them off, since the launcher applies those properties after this hook.
 *
 * <p>It also prefers Netty's native transport (epoll, shipped in the fat jar for Linux x86-64)
 * unless {@code -options} says {@code preferNativeTransport}: on the JDK's selector each
 * hand-over between event loops and sockets costs more, and a request of the service makes
 * four of them. Where the native transport cannot load Vert.x runs on the JDK's; which one runs
 * is logged at start.
 *
 * <p>A subclass rather than a hooks object handed to {@link VertxApplication}: the launcher
 * finds {@code Main-Verticle} in the manifest whose {@code Main-Class} is the application's
 * own class.
 */
public final class DaemonLauncher extends VertxApplication implements VertxApplicationHooks {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonLauncher.class);

  static final String PREFER_NATIVE_TRANSPORT = "preferNativeTransport";

  /** Metrics on, with Vert.x's Prometheus registry (the HTTP front serves it). */
  static final JsonObject METRICS = new JsonObject()
      .put("enabled", true)
      .put("prometheusOptions", new JsonObject().put("enabled", true));

  public DaemonLauncher(String[] args) {
    super(args);
  }

  /**
   * What the launcher tells the service of how it was started, in system properties (set only
   * when not set already): the file to follow ({@link DaemonService#CONFIG_FILE_PROPERTY}: the
   * {@code -conf} file, or conf/config.json without {@code -conf}; blank for inline JSON), and
   * that the keys' environment variables override the config
   * ({@link DaemonService#ENVIRONMENT_PROPERTY}). A service deployed from code gets neither.
   */
  static void declareLaunch(String[] args) {
    String file = followedFile(args);
    if (System.getProperty(DaemonService.CONFIG_FILE_PROPERTY) == null) {
      System.setProperty(DaemonService.CONFIG_FILE_PROPERTY,
          file != null ? file : DaemonService.DEFAULT_CONFIG_FILE);
    }
    // Launched as a service: the keys' environment variables override the config.
    if (System.getProperty(DaemonService.ENVIRONMENT_PROPERTY) == null) {
      System.setProperty(DaemonService.ENVIRONMENT_PROPERTY, "true");
    }
    if (file == null && !Files.isRegularFile(Path.of(DaemonService.DEFAULT_CONFIG_FILE))) {
      LOG.warn("no -conf and no {} here: the service runs on the defaults, the system "
          + "properties and the environment alone (DAEMON_URL must then be set)",
          DaemonService.DEFAULT_CONFIG_FILE);
    }
  }

  /**
   * The file {@link DaemonService} follows: the {@code -conf} argument when it names a file
   * (the launcher reads it as a file first, as here), blank when {@code -conf} is inline JSON
   * (conf/config.json must not then override it), null without {@code -conf} (the default,
   * conf/config.json).
   */
  static String followedFile(String[] args) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("-conf") || arg.equals("--conf")) && i + 1 < args.length) {
        value = args[++i];
      } else if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      }
    }
    if (value == null) {
      return null;
    }
    try {
      return Files.isRegularFile(Path.of(value)) ? value : "";
    } catch (InvalidPathException e) {
      return "";
    }
  }

  public static void main(String[] args) {
    declareLaunch(args);
    new DaemonLauncher(args).launch();
  }

  /**
   * The options JSON with {@link #METRICS} added unless it says something of metrics, and the
   * native transport preferred unless it says whether to.
   */
  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
    JsonObject options = vertxOptions == null ? new JsonObject() : vertxOptions;
    if (!options.containsKey("metricsOptions")) {
      options.put("metricsOptions", METRICS.copy());
    }
    if (!options.containsKey(PREFER_NATIVE_TRANSPORT)) {
      options.put(PREFER_NATIVE_TRANSPORT, true);
    }
    return options;
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    LOG.info(transport(context.vertx()));
  }

  /** Which transport Vert.x runs on, and why not the native one when it was preferred. */
  static String transport(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      return "Vert.x runs on Netty's native transport";
    }
    Throwable cause = vertx.unavailableNativeTransportCause();
    return "Vert.x runs on the JDK's NIO transport" + (cause == null ? ""
        : " (native transport unavailable: " + cause + ")");
  }
}
