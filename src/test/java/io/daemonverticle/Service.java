package io.daemonverticle;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/** A deployed DaemonVerticle in front of a FakeDaemon, with raw event-bus helpers for tests. */
final class Service {

  final Vertx vertx;
  final FakeDaemon fake;
  final JsonObject config;
  final String address;
  final DaemonClient client;
  final String deploymentId;

  private Service(Vertx vertx, FakeDaemon fake, JsonObject config, String deploymentId) {
    this.vertx = vertx;
    this.fake = fake;
    this.config = config;
    this.address = config.getString("address");
    this.client = DaemonClient.create(vertx, address);
    this.deploymentId = deploymentId;
  }

  /** A fake at this height and the verticle in front of it; tweak edits the test config. */
  static Future<Service> start(Vertx vertx, int height, Consumer<JsonObject> tweak) {
    return FakeDaemon.bitcoinLike(vertx, height).compose((FakeDaemon fake) -> deploy(vertx, fake,
        tweak));
  }

  static Future<Service> start(Vertx vertx, int height) {
    return start(vertx, height, (JsonObject c) -> { });
  }

  static Future<Service> deploy(Vertx vertx, FakeDaemon fake, Consumer<JsonObject> tweak) {
    JsonObject config = Deployments.config(fake);
    tweak.accept(config);
    return Deployments.deploy(vertx, config).map((String id) -> new Service(vertx, fake, config,
        id));
  }

  /** The reply body, or the failure as a {@link DaemonException}. */
  Future<Object> ask(String action, Object body) {
    return ask(action, body, null);
  }

  Future<Object> ask(String action, Object body, String timeoutMs) {
    DeliveryOptions delivery = new DeliveryOptions().addHeader(Actions.HEADER, action)
        .setSendTimeout(20_000);
    if (timeoutMs != null) {
      delivery.addHeader(Actions.TIMEOUT_HEADER, timeoutMs);
    }
    return vertx.eventBus().request(address, body, delivery)
        .transform((AsyncResult<Message<Object>> ar) -> ar.succeeded() ? Future.succeededFuture(ar.result().body())
            : Future.failedFuture(DaemonException.fromReply(ar.cause())));
  }

  /** The failure a request must end with; a success fails the returned future. */
  Future<DaemonException> failure(String action, Object body) {
    return failure(action, body, null);
  }

  Future<DaemonException> failure(String action, Object body, String timeoutMs) {
    return expectFailure(ask(action, body, timeoutMs));
  }

  static <T> Future<DaemonException> expectFailure(Future<T> request) {
    return request.transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure, got " + ar.result()))
        : Future.succeededFuture(DaemonException.fromReply(ar.cause())));
  }
}
