package io.daemonverticle.impl.http;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.time.TimeSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of a service ({@code httpPort}), deployed once beside it and kept as long as
 * the service runs (across config reloads): {@code POST
 * /actions/{action}} forwarded to the service on the event bus, {@code GET /health}
 * (readiness; also {@code /health/ready}) and {@code /health/live} (liveness), {@code GET
 * /metrics} (Prometheus text). With {@code httpToken} set, every route but the health ones
 * needs {@code Authorization: Bearer <token>}.
 */
public final class DaemonHttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonHttpVerticle.class);
  /**
   * Most bytes of request bodies read or forwarded at once, over all connections (429 past
   * it); each body is bounded by its action's declaration too ({@link BodyLimits}).
   */
  static final long BODY_BUDGET_BYTES = 64L * 1024 * 1024;
  /**
   * Most bytes of replies written and not yet read by their clients (503 past it), and at
   * least two of the largest rawBlocks replies ({@code maxBatchBytes}).
   */
  static final long REPLY_BUDGET_BYTES = 256L * 1024 * 1024;
  /** Longest the readiness procedure may take before it counts as failed. */
  static final long HEALTH_TIMEOUT_MS = 2_000;

  /** Slack past a request's deadline for its answer to be written, on a graceful stop. */
  private static final long SHUTDOWN_SLACK_MS = 5_000;

  private final DaemonOptions options;
  private final ServiceGroup group;
  private final PrometheusMeterRegistry registry;
  private final LongSupplier requestTimeoutMs;
  /** The front's deadlines and heartbeats, and the readiness probe's clock. */
  private final TimeSource time;
  private HttpServer server;

  /**
   * @param options          the front's settings (httpPort, httpHost, httpToken, address…)
   * @param group            the service instances it serves and probes
   * @param registry         the meters {@code /metrics} serves
   * @param requestTimeoutMs the serving settings' deadline, which a reload may change
   * @param time             where the front sets its timers (the first request's deadline,
   *                         the body's read timeout, the reply's write timeout, the event
   *                         streams' heartbeat) and reads the cached height's age
   */
  public DaemonHttpVerticle(DaemonOptions options, ServiceGroup group,
                            PrometheusMeterRegistry registry, LongSupplier requestTimeoutMs,
                            TimeSource time) {
    this.options = options;
    this.group = group;
    this.registry = registry;
    this.requestTimeoutMs = requestTimeoutMs;
    this.time = time;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    ConnectionGuard connections = new ConnectionGuard(time);
    router.route().handler(ctx -> {
      connections.requestArrived(ctx.request().connection());
      ctx.next();
    });
    if (LoopbackGuard.needed(options.getHttpHost(), options.getHttpToken())) {
      router.route().handler(new LoopbackGuard());
    }
    Readiness readiness = new Readiness(group, time);
    HealthCheckHandler ready = HealthCheckHandler.createWithHealthChecks(
        HealthChecks.create(vertx).register("daemon", HEALTH_TIMEOUT_MS,
            promise -> readiness.check().onComplete(promise)));
    // Answering at all is being alive: the procedure runs on this event loop.
    HealthCheckHandler live = HealthCheckHandler.createWithHealthChecks(
        HealthChecks.create(vertx).register("eventLoop", promise -> promise.complete(Status.OK())));
    // HEAD too: load balancers probe with it.
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
      router.route(method, "/health").handler(ready);
      router.route(method, "/health/ready").handler(ready);
      router.route(method, "/health/live").handler(live);
    }
    if (options.getHttpToken() != null) {
      BearerToken token = new BearerToken(options.getHttpToken());
      router.route().handler(ctx -> {
        if (token.accepts(ctx.request().getHeader("Authorization"))) {
          ctx.next();
        } else {
          ctx.response().putHeader("WWW-Authenticate", "Bearer");
          ErrorReply.send(ctx.response(), 401, "this HTTP front needs "
              + "'Authorization: Bearer <httpToken>'", ErrorReply.HTTP);
        }
      });
    }
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/events/tip").handler(new TipEventStream(vertx, time, options.getAddress()));
    router.post("/actions/:action")
        .handler(new JsonBodyReader(time, options.getMaxBatch(), BODY_BUDGET_BYTES))
        .handler(new ActionForwarder(vertx, options.getAddress(),
            options.isHttpAllowBroadcast(), requestTimeoutMs, new ReplyBudget(time,
                Math.max(REPLY_BUDGET_BYTES, 2 * options.getMaxBatchBytes()))));
    router.errorHandler(404, jsonError("no such route: POST /actions/{action}, GET /health, "
        + "/health/live, /health/ready, /metrics, /events/tip"));
    router.errorHandler(405, jsonError("method not allowed here: actions are POSTed"));
    router.errorHandler(500, ctx -> {
      LOG.error("HTTP front: {} {} failed", ctx.request().method(), ctx.request().path(),
          ctx.failure());
      ErrorReply.send(ctx.response(), 500, "internal error in the HTTP front", ErrorReply.HTTP);
    });
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(options.getHttpHost())
            .setPort(options.getHttpPort())
            .setIdleTimeout(ConnectionGuard.IDLE_TIMEOUT_S)
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            // HTTP/2's streams would multiply every per-connection bound: HTTP/1.1 only.
            .setHttp2ClearTextEnabled(false))
        .connectionHandler(connections)
        .requestHandler(router)
        .listen()
        .andThen(ar -> {
          if (ar.succeeded()) {
            server = ar.result();
            LOG.info("HTTP front on http://{}:{}/ (actions, health, metrics){}",
                options.getHttpHost(), server.actualPort(),
                options.getHttpToken() == null ? "" : "; bearer token required");
          }
        })
        .recover(e -> Future.failedFuture(new IllegalStateException("the HTTP front could not "
            + "listen on " + options.getHttpHost() + ":" + options.getHttpPort() + ": "
            + e.getMessage() + "; move it with httpPort in the config, HTTP_PORT in the "
            + "environment or scripts/run --http-port N (0: any free port)", e)));
  }

  /**
   * Stops taking connections and requests, and lets those in flight finish: each is answered by
   * its deadline (the service answers it by then), and the connections close after.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    return server.shutdown(Math.min(requestTimeoutMs.getAsLong(), Actions.MAX_TIMEOUT_MS)
        + SHUTDOWN_SLACK_MS, TimeUnit.MILLISECONDS);
  }

  /** The port the server listens on (httpPort 0 takes any free one). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private static Handler<RoutingContext> jsonError(String message) {
    return ctx -> ErrorReply.send(ctx.response(), ctx.statusCode(), message, ErrorReply.HTTP);
  }
}
