package io.daemonverticle;

import io.daemonverticle.impl.bus.Action;
import io.daemonverticle.impl.bus.ActionTable;
import io.daemonverticle.impl.bus.RequestDispatcher;
import io.daemonverticle.impl.cluster.SharedMaps;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.codec.HexBulk;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.kinds.CoinTable;
import io.daemonverticle.impl.kinds.CoinTable.CoinInfo;
import io.daemonverticle.impl.kinds.DaemonContext;
import io.daemonverticle.impl.kinds.DaemonKinds;
import io.daemonverticle.impl.http.DaemonHttpVerticle;
import io.daemonverticle.impl.metrics.MeterRegistries;
import io.daemonverticle.impl.metrics.RequestMeter;
import io.daemonverticle.impl.metrics.ServiceMeters;
import io.daemonverticle.impl.rpc.CircuitEvents;
import io.daemonverticle.impl.rpc.CookieCredentials;
import io.daemonverticle.impl.rpc.DaemonUrl;
import io.daemonverticle.impl.rpc.Endpoints;
import io.daemonverticle.impl.rpc.HexBatchLanes;
import io.daemonverticle.impl.rpc.HttpTransport;
import io.daemonverticle.impl.rpc.JsonRpc;
import io.daemonverticle.impl.rpc.Offloader;
import io.daemonverticle.impl.rpc.ProxyConfig;
import io.daemonverticle.impl.rpc.RestBlocks;
import io.daemonverticle.impl.rpc.RetryLoop;
import io.daemonverticle.impl.rpc.RpcCounters;
import io.daemonverticle.impl.rpc.WorkQueue;
import io.daemonverticle.impl.service.HeightPoller;
import io.daemonverticle.impl.service.LiveInstance;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.service.StartupChecks;
import io.daemonverticle.impl.service.StatusReport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a bitcoind-style daemon's operations on the event bus (see the contract,
 * src/site/markdown/contract.md): the Vert.x port of ElectrumX's {@code Daemon}. Deploy it
 * with a {@link DaemonOptions} JSON config; call it with {@link DaemonClient}.
 */
public class DaemonVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonVerticle.class);
  /**
   * How long a URL that said it does not serve REST is believed: a daemon restarted with
   * {@code -rest} between two failures would otherwise never be asked again.
   */
  private static final long REST_REPROBE_MS = 300_000;

  private final Map<String, String> environment;
  private final SharedMaps sharedMaps;
  /** False when a {@link DaemonService} owns the address's consumer and hands requests in. */
  private final boolean ownConsumer;
  private DaemonOptions options;
  private CoinInfo coin;
  private DaemonKind kind;
  private Offloader offloader;
  private HttpTransport transport;
  private Endpoints endpoints;
  private WorkQueue workQueue;
  private RpcCounters counters;
  private RetryLoop retryLoop;
  private RequestDispatcher dispatcher;
  private SharedState shared;
  private HeightPoller poller;
  private StatusReport status;
  private MessageConsumer<Object> consumer;
  private String instanceId;
  private PrometheusMeterRegistry registry;
  private ServiceGroup group;
  private LiveInstance live;
  private DaemonHttpVerticle http;

  /** Reads environment overrides from the process environment. */
  public DaemonVerticle() {
    this(System.getenv());
  }

  /** With the environment given, so tests and embedders choose what overrides the config. */
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
    List<DaemonUrl> urls;
    try {
      options = new DaemonOptions(config()).withEnvironment(environment).validate();
      coin = CoinTable.load().find(options.getCoin(), options.getNet());
      kind = options.getDaemonKind() == null ? coin.kind()
          : DaemonKind.parse(options.getDaemonKind());
      urls = DaemonUrl.parseList(options.getDaemonUrl(), coin.rpcPort(),
          options.getCookieFile() != null);
      counters = new RpcCounters();
      offloader = new Offloader(vertx, options.getOffloadBytes(), counters);
      transport = new HttpTransport(vertx, new HttpTransport.TransportOptions(
          ProxyConfig.parse(options.getProxyUrl()), options.getDaemonCaFile(),
          options.isTrustAllDaemonCertificates(), options.getMaxWorkqueue(),
          options.getMaxReplyBytes()),
          options.getCookieFile() == null ? null
              : new CookieCredentials(vertx, options.getCookieFile()),
          offloader);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException(
          "DaemonVerticle configuration: " + e.getMessage()));
    }
    instanceId = nodeId() + "/" + deploymentID() + "/" + UUID.randomUUID();
    workQueue = new WorkQueue(vertx, options.getMaxWorkqueue(), options.getMaxQueued());
    endpoints = new Endpoints(vertx, urls, new Endpoints.BreakerSettings(
        options.getBreakerMaxFailures(), options.getBreakerResetMs(),
        options.getMaxWorkqueue()), counters,
        new CircuitEvents(vertx, options.getAddress()));
    retryLoop = new RetryLoop(vertx, transport, workQueue, endpoints, counters,
        new RetryLoop.Settings(options.getInitRetryMs(), options.getMaxRetryMs(),
            options.getAttemptTimeoutMs(), options.getHedgeAfterMs()));
    for (int i = 0; i < urls.size(); i++) {
      LOG.info("daemon #{} at {}{}", i + 1, urls.get(i), i == 0 ? " (current)" : "");
    }
    LOG.info("coin {} {} with daemon kind {}", coin.name(), coin.net(), kind.configName());
    LOG.info(HexBulk.VECTORS ? "hex decoded with the Vector API"
        : "hex decoded without the Vector API: start the JVM with --add-modules "
            + "jdk.incubator.vector to decode JSON-RPC blocks about ten times faster");
    JsonRpc rpc = new JsonRpc(retryLoop, offloader,
        new HexBatchLanes(transport, workQueue, offloader));
    return SharedState.create(sharedMaps, vertx, options.getAddress(), instanceId,
            options.getCacheLeaseMs())
        .compose(state -> {
          shared = state;
          DaemonContext ctx = new DaemonContext(vertx, options, coin, kind, rpc, shared,
              offloader, options.isRestBlocks() ? new RestBlocks(transport, workQueue,
                  counters, options.getMaxReplyBytes(), options.getMaxBatchBytes(),
                  REST_REPROBE_MS,
                  () -> System.nanoTime() / 1_000_000) : null);
          BitcoinDaemon daemon;
          try {
            daemon = DaemonKinds.create(ctx);
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
          }
          return StartupChecks.run(daemon, options).compose(v -> serve(daemon));
        })
        // Vert.x does not call stop() after a failed start: release the client here.
        .onFailure(e -> closeClient());
  }

  private Future<Void> serve(BitcoinDaemon daemon) {
    // The status action reads the dispatcher it is served by: it is wired in last.
    Map<String, Action> actions = ActionTable.of(daemon, options.getMaxBatch(),
        () -> status.get());
    registry = MeterRegistries.of(vertx);
    group = ServiceGroup.of(vertx, options.getAddress(), g -> ServiceMeters.bind(registry, g));
    dispatcher = new RequestDispatcher(vertx, actions, kind.configName(),
        options.getRequestTimeoutMs(),
        new RequestMeter(registry, options.getAddress(), actions.keySet()));
    poller = new HeightPoller(vertx, daemon, shared, options.getHeightPollMs());
    status = new StatusReport(identity(), endpoints, workQueue, counters, shared, poller,
        dispatcher);
    Future<Void> registered = Future.succeededFuture();
    if (ownConsumer) {
      consumer = vertx.eventBus().consumer(options.getAddress(), dispatcher::handle);
      registered = consumer.completion();
    }
    return registered.compose(v -> {
      live = new LiveInstance(endpoints, workQueue, counters, shared, options.getHeightPollMs());
      group.join(live);
      ServiceMeters.bindCircuits(registry, group, endpoints);
      poller.start();
      LOG.info("serving {} actions on event-bus address {}", actions.size(),
          options.getAddress());
      return deployHttpFront();
    }).onFailure(e -> stop());
  }

  /** The HTTP front, when httpPort is set: a child deployment, undeployed with this one. */
  private Future<Void> deployHttpFront() {
    if (options.getHttpPort() == null) {
      return Future.succeededFuture();
    }
    http = new DaemonHttpVerticle(options, group, registry);
    return vertx.deployVerticle(http).mapEmpty();
  }

  /** The HTTP front's port (httpPort 0 takes any free one); -1 when there is none. */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  private JsonObject identity() {
    return new JsonObject()
        .put("node", new JsonObject()
            .put("clusterNodeId", vertx.isClustered() ? nodeId() : null)
            .put("deploymentId", deploymentID())
            .put("instance", instanceId))
        .put("kind", kind.configName())
        .put("coin", coin.name())
        .put("net", coin.net())
        .put("address", options.getAddress());
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
    context.runOnContext(v -> dispatcher.handle(message));
  }

  /**
   * Completes once every request already handed over is answered, each on the settings it
   * started with; height polling stops at once (the verticle that takes over polls). A
   * verticle with its own consumer unregisters it first. Undeploy the verticle after. The
   * wait ends with the requests' own deadlines.
   */
  Future<Void> retire() {
    if (poller != null) {
      poller.stop();
    }
    Future<Void> unregistered = consumer == null ? Future.succeededFuture()
        : consumer.unregister();
    Promise<Void> idle = Promise.promise();
    // Queued on this context after every request handed over before the call: those are in
    // the dispatcher's pending set by the time it is asked.
    unregistered.onComplete(ar -> context.runOnContext(v -> dispatcher.whenIdle()
        .onComplete(idle)));
    return idle.future();
  }

  @Override
  public Future<?> stop() {
    if (group != null && live != null) {
      group.leave(live);
    }
    if (poller != null) {
      poller.stop();
    }
    // Every request still running is answered now, not left to retry a closed client until
    // its deadline; the dispatcher then answers whatever else was still waiting.
    if (retryLoop != null) {
      retryLoop.stop();
    }
    if (dispatcher != null) {
      dispatcher.stop();
    }
    Future<Void> unregistered = consumer == null ? Future.succeededFuture()
        : consumer.unregister();
    return unregistered.andThen(ar -> closeClient());
  }

  private void closeClient() {
    if (endpoints != null) {
      endpoints.close();
    }
    if (transport != null) {
      transport.close();
    }
  }
}
