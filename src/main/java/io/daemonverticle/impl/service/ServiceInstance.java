package io.daemonverticle.impl.service;

import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.blocks.HexBatchLanes;
import io.daemonverticle.impl.blocks.HexBatches;
import io.daemonverticle.impl.blocks.RestBlocks;
import io.daemonverticle.impl.bus.Action;
import io.daemonverticle.impl.bus.ActionTable;
import io.daemonverticle.impl.bus.LocalServices;
import io.daemonverticle.impl.bus.RequestDispatcher;
import io.daemonverticle.impl.bus.RequestListener;
import io.daemonverticle.impl.cluster.SharedMaps;
import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.cluster.Tip;
import io.daemonverticle.impl.codec.HexBulk;
import io.daemonverticle.impl.config.OptionalJars;
import io.daemonverticle.impl.config.Secrets;
import io.daemonverticle.impl.jsonrpc.DirectCall;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.kinds.ChainProbe;
import io.daemonverticle.impl.kinds.CoinTable;
import io.daemonverticle.impl.kinds.CoinTable.CoinInfo;
import io.daemonverticle.impl.kinds.DaemonContext;
import io.daemonverticle.impl.kinds.DaemonKinds;
import io.daemonverticle.impl.resilience.CircuitEvents;
import io.daemonverticle.impl.resilience.Endpoints;
import io.daemonverticle.impl.resilience.RetryLoop;
import io.daemonverticle.impl.resilience.RpcCounters;
import io.daemonverticle.impl.resilience.WorkQueue;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.CookieCredentials;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.Offloader;
import io.daemonverticle.impl.transport.ProxyConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ProxyOptions;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running service: builds the object graph of a {@code DaemonVerticle} from its options
 * (transport, resilience, JSON-RPC, blocks, the kind, the dispatcher, the poller) and owns its
 * start, retirement and stop. What watches it from outside (meters, the HTTP front) is handed
 * in as listeners and reads its {@link #snapshot()}: the service imports none of them.
 */
public final class ServiceInstance implements LiveInstance {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceInstance.class);
  /**
   * How long a URL that said it does not serve REST is believed: a daemon restarted with
   * {@code -rest} between two failures would otherwise never be asked again.
   */
  private static final long REST_REPROBE_MS = 300_000;

  private final Vertx vertx;
  /** The clock and timers of the retries, deadlines, leases, caches and polls. */
  private final TimeSource time;
  private final Context context;
  private final DaemonOptions options;
  private final CoinInfo coin;
  private final DaemonKind kind;
  private final List<DaemonUrl> urls;
  private final SharedMaps sharedMaps;
  private final RequestListener listener;
  private final RpcCounters counters = new RpcCounters();
  private final Offloader offloader;
  private final HttpTransport transport;
  /** What built the requests' transport: the tip's long-poll gets one of its own from it. */
  private final HttpTransport.TransportOptions transportOptions;
  private final CookieCredentials cookie;
  private HttpTransport tipTransport;
  private Endpoints endpoints;
  private WorkQueue workQueue;
  private RetryLoop retryLoop;
  private RequestDispatcher dispatcher;
  private SharedState shared;
  private HeightPoller poller;
  private FleetWatch fleetWatch;
  /** Blocks over REST (null: restBlocks off): the status reads which URLs serve it. */
  private RestBlocks restBlocks;
  private StatusReport status;
  private MessageConsumer<Object> consumer;
  /** The local-only address's consumer: DaemonClients of this node come to it first. */
  private MessageConsumer<Object> localConsumer;
  private ServiceGroup group;

  /**
   * Checks what can be checked without I/O: the coin, the kind, the URLs, the proxy.
   *
   * @param listener told of every answered request (the meters); {@link RequestListener#NONE}
   * @throws IllegalArgumentException naming what is wrong in the configuration
   */
  public ServiceInstance(Vertx vertx, Context context, DaemonOptions options,
                         SharedMaps sharedMaps, RequestListener listener) {
    this.vertx = vertx;
    this.time = TimeSource.of(vertx);
    this.context = context;
    this.options = options;
    this.sharedMaps = sharedMaps;
    this.listener = listener;
    coin = CoinTable.load().find(options.getCoin(), options.getNet());
    kind = options.getDaemonKind() == null ? coin.kind()
        : DaemonKind.parse(options.getDaemonKind());
    urls = DaemonUrl.parseList(options.getDaemonUrl(), coin.rpcPort(),
        options.getCookieFile() != null);
    if (options.getZmqUrl() != null && !options.getZmqUrl().matches("(tcp|ipc)://\\S+")) {
      throw new IllegalArgumentException("zmqUrl must be tcp://host:port (or ipc://path), not "
          + options.getZmqUrl());
    }
    String noZmq = options.getZmqUrl() == null ? null : OptionalJars.missing("zmqUrl is set",
        "the tip's ZMQ subscriber", OptionalJars.ZMQ_TIP);
    if (noZmq != null) {
      throw new IllegalArgumentException(noZmq);
    }
    ProxyOptions proxy = ProxyConfig.parse(options.getProxyUrl());
    registerSecrets(urls, proxy, options.getHttpToken());
    offloader = new Offloader(vertx, options.getOffloadBytes(), counters::recordOffload);
    transportOptions = new HttpTransport.TransportOptions(
        proxy, options.getDaemonCaFile(),
        options.isTrustAllDaemonCertificates(), options.getMaxWorkqueue(),
        options.getMaxReplyBytes());
    cookie = options.getCookieFile() == null ? null
        : new CookieCredentials(vertx, options.getCookieFile());
    transport = new HttpTransport(vertx, time, transportOptions, cookie, offloader);
  }

  /**
   * Tells the masking every credential this service was given, before anything is sent: a
   * daemon, a proxy or an exception that repeats one then shows it masked (the cookie's secret
   * is told as it is read).
   */
  private static void registerSecrets(List<DaemonUrl> urls, ProxyOptions proxy,
                                      String httpToken) {
    for (DaemonUrl url : urls) {
      if (url.hasCredentials()) {
        Secrets.register(url.credentials().user(), url.credentials().password());
      }
    }
    if (proxy != null && proxy.getPassword() != null) {
      Secrets.register(proxy.getUsername(), proxy.getPassword());
    } else if (proxy != null) {
      // socks5://apikey@host: the user is the secret.
      Secrets.registerSecret(proxy.getUsername());
    }
    Secrets.registerSecret(httpToken);
  }

  /**
   * Builds the rest, runs the start-up checks and begins serving: on its own consumer of the
   * address when {@code ownConsumer}, else through {@link #take}.
   *
   * @param identity     what the status reply says of this instance (node, deployment)
   * @param group        the instances of this address in this Vert.x instance
   */
  public Future<Void> start(JsonObject identity, ServiceGroup group, boolean ownConsumer) {
    this.group = group;
    workQueue = new WorkQueue(time, options.getMaxWorkqueue(), options.getMaxQueued());
    // The check speaks JSON-RPC over the retry loop's transport, built after the endpoints.
    ChainProbe[] probe = new ChainProbe[1];
    endpoints = new Endpoints(vertx, urls, new Endpoints.BreakerSettings(
        options.getBreakerMaxFailures(), options.getBreakerResetMs(),
        options.getMaxWorkqueue()), counters,
        new CircuitEvents(vertx, options.getAddress()),
        new Endpoints.FleetSettings((url, timeoutMs) -> probe[0].check(url, timeoutMs),
            options.getMaxLagBlocks(), options.getAttemptTimeoutMs(), time));
    retryLoop = new RetryLoop(time, transport, workQueue, endpoints, counters,
        new RetryLoop.Settings(options.getInitRetryMs(), options.getMaxRetryMs(),
            options.getAttemptTimeoutMs(), options.getHedgeAfterMs()));
    for (int i = 0; i < urls.size(); i++) {
      LOG.info("daemon #{} at {}{}", i + 1, urls.get(i), i == 0 ? " (current)" : "");
    }
    LOG.info("coin {} {} with daemon kind {}", coin.name(), coin.net(), kind.configName());
    LOG.info(HexBulk.VECTORS ? "hex decoded with the Vector API"
        : "hex decoded without the Vector API: start the JVM with --add-modules "
            + "jdk.incubator.vector to decode JSON-RPC blocks about ten times faster");
    JsonRpc rpc = new JsonRpc(retryLoop);
    probe[0] = chainProbe(rpc);
    fleetWatch = new FleetWatch(time, endpoints, probe[0], options.getHeightPollMs(),
        options.getAttemptTimeoutMs());
    HexBatches hex = new HexBatches(rpc, retryLoop, offloader,
        new HexBatchLanes(transport, workQueue, offloader, time));
    JsonObject fullIdentity = identity.copy()
        .put("kind", kind.configName())
        .put("coin", coin.name())
        .put("net", coin.net())
        .put("address", options.getAddress());
    String instanceId = identity.getJsonObject("node").getString("instance");
    return SharedState.create(sharedMaps, vertx, time, options.getAddress(), instanceId,
            options.getCacheLeaseMs())
        .compose(state -> {
          shared = state;
          restBlocks = options.isRestBlocks() ? new RestBlocks(transport, workQueue,
              counters, options.getMaxReplyBytes(), options.getMaxBatchBytes(),
              REST_REPROBE_MS, () -> time.nanoTime() / 1_000_000) : null;
          DaemonContext ctx = new DaemonContext(vertx, time, options, coin, kind, rpc, hex, shared,
              offloader, restBlocks);
          BitcoinDaemon daemon;
          try {
            daemon = DaemonKinds.create(ctx);
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
          }
          return StartupChecks.run(daemon, options, time)
              .compose(v -> serve(daemon, fullIdentity, ownConsumer));
        })
        // Vert.x does not call stop() after a failed start: release the client here.
        .onFailure(e -> closeClient());
  }

  private Future<Void> serve(BitcoinDaemon daemon, JsonObject identity, boolean ownConsumer) {
    // The status action reads the dispatcher it is served by: it is wired in last.
    Map<String, Action> actions = ActionTable.of(daemon, options.getMaxBatch(),
        () -> status.get());
    dispatcher = new RequestDispatcher(vertx, time, actions, kind.configName(),
        options.getRequestTimeoutMs(), listener);
    poller = new HeightPoller(time, daemon::height, shared, options.getHeightPollMs(),
        tipSources(daemon));
    // Whether served blocks are checked against their hashes depends on the kind and coin.
    status = new StatusReport(identity.copy()
        .put("blockIntegrity", daemon.blockIntegrity().describe()), this);
    Future<Void> registered = Future.succeededFuture();
    if (ownConsumer) {
      consumer = vertx.eventBus().consumer(options.getAddress(), dispatcher::handle);
      localConsumer = LocalServices.serve(vertx, options.getAddress(), dispatcher::handle);
      registered = Future.all(consumer.completion(), localConsumer.completion()).mapEmpty();
    }
    return registered.compose(v -> {
      group.join(this);
      poller.start();
      fleetWatch.start();
      LOG.info("serving {} actions on event-bus address {}", actions.size(),
          options.getAddress());
      return Future.<Void>succeededFuture();
    }).onFailure(e -> stop());
  }

  /** The tip follows the poll (and the push sources) wherever heights are polled. */
  private TipWatch tipSources(BitcoinDaemon daemon) {
    long timeoutMs = Math.max(options.getHeightPollMs(), 1000);
    TipFollower follower = new TipFollower(daemon, shared, timeoutMs, time);
    if (options.getHeightPollMs() > 0 && options.getZmqUrl() != null) {
      return new TipSources(follower, List.of(new ZmqTip(context, options.getZmqUrl(),
          follower, options.getMaxRetryMs())));
    }
    if (options.getHeightPollMs() == 0 || !options.isTipLongPoll()) {
      return new TipSources(follower, List.of());
    }
    // One connection of its own: the long-poll waits on the daemon by design, and must
    // neither hold a slot of the requests nor wait behind them.
    tipTransport = new HttpTransport(vertx, time, new HttpTransport.TransportOptions(
        transportOptions.proxy(), transportOptions.caFile(), transportOptions.trustAll(), 1,
        transportOptions.maxReplyBytes()), cookie, offloader);
    LongPoll longPoll = new LongPoll(time, new DirectCall(tipTransport)::call,
        () -> endpoints.current().url(), follower,
        new LongPoll.Backoff(options.getInitRetryMs(), options.getMaxRetryMs()),
        options.getAttemptTimeoutMs());
    return new TipSources(follower, List.of(longPoll));
  }

  /**
   * The chain check of every URL: the configured net by name, block 0 against the
   * {@code genesisHash} key, else the coin table's, else the first URL's.
   */
  private ChainProbe chainProbe(JsonRpc rpc) {
    String genesis = options.getGenesisHash() != null ? options.getGenesisHash()
        : coin.genesisHash();
    String source = options.getGenesisHash() != null ? "the genesisHash key"
        : coin.genesisHash() != null ? coin.name() + " " + coin.net() + "'s genesis block"
        : null;
    return new ChainProbe(rpc, coin.net(), genesis, source, options.getMaxLagBlocks());
  }

  @Override
  public ServiceSnapshot snapshot() {
    return ServiceSnapshot.of(endpoints, coin.net(), restBlocks, workQueue, counters, shared.lastKnownHeight(),
        shared.publications(), poller.polls(), shared.cacheLoads(), dispatcher.answered(),
        dispatcher.failed(), tipSeen());
  }

  private ServiceSnapshot.TipSeen tipSeen() {
    Tip tip = shared.lastPublishedTip();
    return new ServiceSnapshot.TipSeen(tip == null ? null : tip.height(),
        tip == null ? null : tip.hash(), shared.tipPublications(), shared.tipRepublications());
  }

  @Override
  public long heightPollMs() {
    return options.getHeightPollMs();
  }

  @Override
  public Future<Integer> cachedHeight(long timeoutMs) {
    return shared.cachedHeight(timeoutMs);
  }

  @Override
  public Future<Long> heightConfirmedAt(long timeoutMs) {
    return shared.heightConfirmedAt(timeoutMs);
  }

  /**
   * Hands a request to this instance when it has no consumer of its own: the request is
   * dispatched on the instance's context.
   */
  public void take(Message<Object> message) {
    context.runOnContext(v -> dispatcher.handle(message));
  }

  /**
   * Completes once every request already handed over is answered, each on the settings it
   * started with; height polling stops at once (the instance that takes over polls). An
   * instance with its own consumer unregisters it first. Stop it after. The wait ends with
   * the requests' own deadlines.
   */
  public Future<Void> retire() {
    if (poller != null) {
      poller.stop();
    }
    if (fleetWatch != null) {
      fleetWatch.stop();
    }
    Future<Void> unregistered = unregisterConsumers();
    Promise<Void> idle = Promise.promise();
    // Queued on this context after every request handed over before the call: those are in
    // the dispatcher's pending set by the time it is asked.
    unregistered.onComplete(ar -> context.runOnContext(v -> dispatcher.whenIdle()
        .onComplete(idle)));
    return idle.future();
  }

  /** Answers whatever is still running (503 "stopping") and closes the daemon client. */
  public Future<Void> stop() {
    if (group != null) {
      group.leave(this);
    }
    if (poller != null) {
      poller.stop();
    }
    if (fleetWatch != null) {
      fleetWatch.stop();
    }
    // Every request still running is answered now, not left to retry a closed client until
    // its deadline; the dispatcher then answers whatever else was still waiting.
    if (retryLoop != null) {
      retryLoop.stop();
    }
    if (dispatcher != null) {
      dispatcher.stop();
    }
    return unregisterConsumers().andThen(ar -> closeClient());
  }

  private Future<Void> unregisterConsumers() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    Future<Void> local = localConsumer == null ? Future.succeededFuture()
        : LocalServices.unregister(vertx, options.getAddress(), localConsumer);
    localConsumer = null;
    return Future.join(consumer.unregister(), local).mapEmpty();
  }

  private void closeClient() {
    if (endpoints != null) {
      endpoints.close();
    }
    transport.close();
    if (tipTransport != null) {
      tipTransport.close();
    }
  }
}
