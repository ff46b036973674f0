package io.daemonverticle;

import io.daemonverticle.impl.bus.LocalServices;
import io.daemonverticle.impl.cluster.SharedMaps;
import io.daemonverticle.impl.config.ConfigChange;
import io.daemonverticle.impl.config.ConfigSources;
import io.daemonverticle.impl.config.OptionKey;
import io.daemonverticle.impl.config.OptionalJars;
import io.daemonverticle.impl.config.Secrets;
import io.daemonverticle.impl.http.DaemonHttpVerticle;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.config.ConfigRetriever;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DaemonVerticle} that follows its config file: the fat jar's {@code Main-Verticle}.
 * Its config is layered by vertx-config (the deployment JSON, then the config file, then
 * system properties named as keys, then the keys' environment variables); when an edit of the
 * file changes the daemon URLs, timeouts or retry settings ({@link ConfigChange#RELOADABLE}),
 * a new DaemonVerticle with them is deployed beside the running one; new requests go to it,
 * and the old one answers those it took on its old settings and is undeployed: nothing in
 * flight is lost or cut short. The address's event-bus consumer is this service's own, kept
 * across reloads, and hands each request to the verticle serving: a consumer unregistered
 * under load would discard the requests already on their way to it. The HTTP front
 * ({@code httpPort}) is this service's too, deployed once and kept across reloads, so a
 * reload cuts no HTTP request or connection either. Other keys take effect on restart; the
 * log says so, and says what changed (never a secret). An edit that does not validate is
 * logged and changes nothing.
 *
 * <p>The file is the launcher's {@code -conf} file ({@code daemonverticle.configFile}, set by
 * the launcher), else {@code conf/config.json} when {@code -conf} is not given.
 */
public class DaemonService extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonService.class);
  /**
   * The system property naming the file to follow; blank or unset: none. The fat jar's
   * launcher sets it (the {@code -conf} file, or {@value #DEFAULT_CONFIG_FILE} without
   * {@code -conf}); deployed from code, a service follows a file only when it is named here or
   * given to its constructor.
   */
  public static final String CONFIG_FILE_PROPERTY = "daemonverticle.configFile";
  /**
   * The system property that lets the keys' environment variables ({@code DAEMON_URL}, ...)
   * override the config: {@code true} when the fat jar's launcher started the process.
   * Deployed from code, a service or verticle uses the config it was given and reads no
   * environment unless this is set or the environment is given to its constructor.
   */
  public static final String ENVIRONMENT_PROPERTY = "daemonverticle.environment";
  /** The file followed when the property is not set. */
  public static final String DEFAULT_CONFIG_FILE = "conf/config.json";
  /** How often the file is read again. */
  public static final long DEFAULT_SCAN_PERIOD_MS = 5_000;
  /**
   * The longest a retiring verticle is waited for before it is undeployed anyway (undeploying
   * answers whatever it still holds): its requests end by their own deadlines well before.
   */
  static final long MAX_DRAIN_MS = Actions.MAX_TIMEOUT_MS + 5_000;

  private final Path file;
  private final long scanPeriodMs;
  private final Map<String, String> environment;
  /** The drain's bound and the HTTP front's timers; null until start when none was given. */
  private TimeSource time;
  private final List<OptionKey<?>> keys = DaemonOptions.keys();
  private ConfigRetriever retriever;
  /** What the layers said last: what an edit is compared with. */
  private JsonObject seen;
  /** The config the serving verticle runs on: restart-only keys keep their start values. */
  private JsonObject serving;
  private MessageConsumer<Object> consumer;
  /** The local-only address's consumer: DaemonClients of this node come to it first. */
  private MessageConsumer<Object> localConsumer;
  private DaemonVerticle verticle;
  private DaemonHttpVerticle http;
  /** The serving settings' requestTimeoutMs, which the HTTP front waits for. */
  private volatile long servingTimeoutMs;
  private String deploymentId;
  /** Swaps run one after the other: each deploys beside the one the last swap left. */
  private Future<Void> swaps = Future.succeededFuture();
  private boolean stopped;

  /**
   * As the launcher starts it: the file and the environment the launcher's properties name
   * ({@link #CONFIG_FILE_PROPERTY}, {@link #ENVIRONMENT_PROPERTY}); deployed from code without
   * them, the deployment's config alone.
   */
  public DaemonService() {
    this(System.getenv());
  }

  /** As {@link #DaemonService()}, with the process environment given (tests stand one in). */
  DaemonService(Map<String, String> processEnvironment) {
    this(fileFromProperty(), DEFAULT_SCAN_PERIOD_MS, launcherEnvironment(processEnvironment));
  }

  /**
   * Follows {@code file} and reads the keys' environment variables from {@code environment},
   * whatever the launcher's properties say.
   *
   * @param file the config file to layer and follow; null: none
   * @param scanPeriodMs how often the file is read again, in ms
   * @param environment where the keys' environment variables are read; empty: none
   */
  public DaemonService(Path file, long scanPeriodMs, Map<String, String> environment) {
    this(file, scanPeriodMs, environment, null);
  }

  /**
   * As {@link #DaemonService(Path, long, Map)}, with the time source of the drain's bound and
   * of the HTTP front (tests hand in a virtual one).
   *
   * @param time where the drain's bound and the HTTP front's timers are set; null: Vert.x's
   */
  DaemonService(Path file, long scanPeriodMs, Map<String, String> environment,
                TimeSource time) {
    this.file = file;
    this.scanPeriodMs = scanPeriodMs;
    this.environment = Map.copyOf(environment);
    this.time = time;
  }

  private static Path fileFromProperty() {
    String named = System.getProperty(CONFIG_FILE_PROPERTY, "");
    return named.isBlank() ? null : Path.of(named);
  }

  /**
   * {@code processEnvironment} when the launcher asked for the environment
   * ({@link #ENVIRONMENT_PROPERTY}), else none: environment variables are the application's
   * business.
   */
  static Map<String, String> launcherEnvironment(Map<String, String> processEnvironment) {
    return Boolean.getBoolean(ENVIRONMENT_PROPERTY) ? processEnvironment : Map.of();
  }

  @Override
  public Future<?> start() {
    if (time == null) {
      time = TimeSource.of(vertx);
    }
    // Before any of vertx-config's classes is touched: an embedder may have left it out.
    String missing = OptionalJars.missing("DaemonService is deployed",
        "its layered config (and the file it follows)", OptionalJars.CONFIG_LAYERS);
    if (missing != null) {
      return Future.failedFuture(new IllegalStateException(missing
          + "; or deploy DaemonVerticle, which uses the config it is given"));
    }
    String broken = ConfigSources.problem(file);
    if (broken != null) {
      return Future.failedFuture(new IllegalArgumentException("config file " + file
          + " cannot be used: " + broken));
    }
    retriever = ConfigRetriever.create(vertx, ConfigSources.options(config(), file,
        scanPeriodMs));
    LOG.info("config layers: the deployment's JSON, then {}, then system properties named as "
        + "keys, then {}", file == null ? "no file" : "file " + file.toAbsolutePath(),
        ConfigSources.environmentLayer(keys, environment));
    return retriever.getConfig().compose(merged -> {
      seen = ConfigSources.declaredOnly(merged, keys, environment);
      serving = seen;
      return deploy(serving);
    }).compose(v -> {
      String address = new DaemonOptions(serving).getAddress();
      consumer = vertx.eventBus().consumer(address, message -> verticle.take(message));
      localConsumer = LocalServices.serve(vertx, address, message -> verticle.take(message));
      return Future.all(consumer.completion(), localConsumer.completion());
    }).compose(v -> deployHttpFront())
        .onSuccess(v -> retriever.listen(change -> reload(change.getNewConfiguration())))
        .onFailure(e -> retriever.close());
  }

  /**
   * The HTTP front, when httpPort is set: deployed once, as a child, and kept across reloads,
   * so a reload cuts no HTTP request or keep-alive connection; its settings (httpPort,
   * httpHost, httpToken) are restart-only keys.
   */
  private Future<Void> deployHttpFront() {
    DaemonOptions front = new DaemonOptions(serving);
    if (front.getHttpPort() == null) {
      return Future.succeededFuture();
    }
    String missing = OptionalJars.missing("httpPort is set", "the HTTP front",
        OptionalJars.HTTP_FRONT);
    if (missing != null) {
      return Future.failedFuture(new IllegalStateException("DaemonService: " + missing));
    }
    Meters meters = Meters.of(vertx);
    http = meters.httpFront(front, meters.group(vertx, front.getAddress()),
        () -> servingTimeoutMs, time);
    return vertx.deployVerticle(http).mapEmpty();
  }

  /** {@return the HTTP front's port (httpPort 0 takes any free one); -1 when there is none} */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  /** {@return the verticle serving now (after a reload, the new one)} */
  public DaemonVerticle verticle() {
    return verticle;
  }

  private void reload(JsonObject merged) {
    String broken = ConfigSources.problem(file);
    if (broken != null) {
      // What was seen stays: once the file is mended, only what then differs is a change.
      LOG.warn("config file {} cannot be used: {}; nothing changed, still serving on the "
          + "previous settings", file, broken);
      return;
    }
    JsonObject next = ConfigSources.declaredOnly(merged, keys, environment);
    ConfigChange change = ConfigChange.between(seen, next, keys);
    seen = next;
    if (change.isEmpty() || stopped) {
      return;
    }
    if (change.reloadable().isEmpty()) {
      LOG.warn("config changed: {}; nothing to reload", change.text());
      return;
    }
    JsonObject target = serving.copy();
    for (String key : change.reloadable()) {
      if (next.containsKey(key)) {
        target.put(key, next.getValue(key));
      } else {
        target.remove(key);
      }
    }
    LOG.info("config changed: {}; reloading", change.text());
    swaps = swaps.transform(ar -> swap(target));
  }

  /** Deploys a verticle on {@code target} beside the serving one, then retires that one. */
  private Future<Void> swap(JsonObject target) {
    if (stopped) {
      return Future.succeededFuture();
    }
    DaemonVerticle old = verticle;
    String oldId = deploymentId;
    return deploy(target).onSuccess(v -> {
      serving = target;
      LOG.info("reloaded: new requests go to the new settings; the previous ones finish "
          + "the requests they took");
      retire(old, oldId);
    }).recover(e -> {
      LOG.warn("config edit not applied ({}); still serving on the previous settings",
          Secrets.mask(e.getMessage()));
      return Future.succeededFuture();
    });
  }

  private Future<Void> deploy(JsonObject config) {
    DaemonVerticle next = new DaemonVerticle(environment, SharedMaps.VERTX, false);
    return vertx.deployVerticle(next, new DeploymentOptions().setConfig(config))
        .map(id -> {
          verticle = next;
          deploymentId = id;
          servingTimeoutMs = new DaemonOptions(config).getRequestTimeoutMs();
          return null;
        });
  }

  private void retire(DaemonVerticle old, String oldId) {
    Promise<Void> drained = Promise.promise();
    long timer = time.setTimer(MAX_DRAIN_MS, id -> drained.tryComplete());
    old.retire().onComplete(ar -> drained.tryComplete());
    drained.future().onComplete(ar -> {
      time.cancelTimer(timer);
      // Once this service stops, its children (this one too) are undeployed with it.
      if (!stopped) {
        vertx.undeploy(oldId).onFailure(e -> LOG.warn("undeploying the previous daemon "
            + "verticle failed: {}", Secrets.mask(e.getMessage())));
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (retriever != null) {
      retriever.close();
    }
    // The verticles deployed here are undeployed with this one, as its children.
    if (consumer == null) {
      return Future.succeededFuture();
    }
    return Future.join(consumer.unregister(), LocalServices.unregister(vertx,
        new DaemonOptions(serving).getAddress(), localConsumer));
  }
}
