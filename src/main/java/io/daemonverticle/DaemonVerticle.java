package io.daemonverticle;

import io.daemonverticle.impl.cluster.SharedMaps;
import io.daemonverticle.impl.config.Secrets;
import io.daemonverticle.impl.bus.RequestListener;
import io.daemonverticle.impl.config.OptionalJars;
import io.daemonverticle.impl.http.DaemonHttpVerticle;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.service.ServiceInstance;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;

/**
 * Serves a bitcoind-style daemon's operations on the event bus (see the contract,
 * src/site/markdown/contract.md): the Vert.x port of ElectrumX's {@code Daemon}. Deploy it
 * with a {@link DaemonOptions} JSON config; call it with {@link DaemonClient}.
 */
public class DaemonVerticle extends VerticleBase {

  private final Map<String, String> environment;
  private final SharedMaps sharedMaps;
  /**
   * False when a {@link DaemonService} owns the address's consumer and hands requests in; the
   * service then owns the HTTP front too, which lives across its reloads.
   */
  private final boolean ownConsumer;
  private ServiceInstance instance;
  private DaemonHttpVerticle http;

  /**
   * Uses the config it is deployed with, and nothing else: no file, no environment variable
   * (unless the fat jar's launcher started the process: see
   * {@link DaemonService#ENVIRONMENT_PROPERTY}).
   */
  public DaemonVerticle() {
    this(DaemonService.launcherEnvironment(System.getenv()));
  }

  /**
   * With the keys' environment variables ({@code DAEMON_URL}, ...) read from {@code environment}
   * over the config: an application that wants them passes {@code System.getenv()}.
   *
   * @param environment the variables to read, e.g. {@code System.getenv()}; empty: none
   */
  public DaemonVerticle(Map<String, String> environment) {
    this(environment, SharedMaps.VERTX);
  }

  /** With the shared map from {@code sharedMaps}: tests stand in a map they can stall. */
  DaemonVerticle(Map<String, String> environment, SharedMaps sharedMaps) {
    this(environment, sharedMaps, true);
  }

  DaemonVerticle(Map<String, String> environment, SharedMaps sharedMaps, boolean ownConsumer) {
    this.environment = Map.copyOf(environment);
    this.sharedMaps = sharedMaps;
    this.ownConsumer = ownConsumer;
  }

  @Override
  public Future<?> start() {
    DaemonOptions options;
    Meters meters;
    try {
      options = new DaemonOptions(config()).withEnvironment(environment).validate();
      String missing = options.getHttpPort() != null && ownConsumer
          ? OptionalJars.missing("httpPort is set", "the HTTP front", OptionalJars.HTTP_FRONT)
          : null;
      if (missing != null) {
        return Future.failedFuture(new IllegalStateException("DaemonVerticle: " + missing));
      }
      // The meters when Micrometer is on the classpath; an embedder without it has none.
      meters = OptionalJars.present(OptionalJars.METERS) ? Meters.of(vertx) : null;
      instance = new ServiceInstance(vertx, context, options, sharedMaps,
          meters == null ? RequestListener.NONE : meters.requests(options.getAddress()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException(
          "DaemonVerticle configuration: " + Secrets.mask(e.getMessage())));
    }
    // The meters and the HTTP front watch the service from outside: it knows neither.
    ServiceGroup group = meters == null ? ServiceGroup.of(vertx, options.getAddress(), g -> { })
        : meters.group(vertx, options.getAddress());
    return instance.start(identity(), group, ownConsumer).compose(v -> {
      if (meters != null) {
        meters.bindCircuits(group, instance.snapshot());
      }
      if (options.getHttpPort() == null || !ownConsumer) {
        return Future.succeededFuture();
      }
      // A child deployment, undeployed with this one.
      http = meters.httpFront(options, group, options::getRequestTimeoutMs,
          TimeSource.of(vertx));
      return vertx.deployVerticle(http).<Void>mapEmpty().onFailure(e -> instance.stop());
    });
  }

  /** {@return the HTTP front's port (httpPort 0 takes any free one); -1 when there is none} */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  private JsonObject identity() {
    return new JsonObject().put("node", new JsonObject()
        .put("clusterNodeId", vertx.isClustered() ? nodeId() : null)
        .put("deploymentId", deploymentID())
        .put("instance", nodeId() + "/" + deploymentID() + "/" + UUID.randomUUID()));
  }

  private String nodeId() {
    if (vertx.isClustered() && vertx instanceof VertxInternal internal
        && internal.clusterManager() != null) {
      return internal.clusterManager().getNodeId();
    }
    return "local";
  }

  /**
   * Hands a request to this verticle when it has no consumer of its own (see
   * {@link DaemonService}): the request is dispatched on this verticle's context.
   */
  void take(Message<Object> message) {
    instance.take(message);
  }

  /**
   * Completes once every request already handed over is answered, each on the settings it
   * started with; height polling stops at once (the verticle that takes over polls). A
   * verticle with its own consumer unregisters it first. Undeploy the verticle after. The
   * wait ends with the requests' own deadlines.
   */
  Future<Void> retire() {
    return instance.retire();
  }

  @Override
  public Future<?> stop() {
    return instance == null ? Future.succeededFuture() : instance.stop();
  }
}
