package io.daemonverticle.impl.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local instance first: a service also consumes a local-only address beside its plain
 * one, and this Vert.x instance's map says which addresses it serves here. The clustered event
 * bus round-robins a request over every node that registered the plain address, the
 * requester's own included, so a node with its own instance would send half of a two-node
 * cluster's requests (and their rawBlocks replies) across the wire for nothing. DaemonClient and
 * the HTTP front ask {@link #request} instead: served here when an instance is here, across the
 * cluster otherwise. Raw event-bus callers keep the plain address and its round-robin.
 */
public final class LocalServices {

  private static final String MAP = "daemon-verticle.local-services";
  /** Appended to the address: a name no publication of the contract uses. */
  static final String LOCAL_SUFFIX = "::local";

  private LocalServices() {
  }

  /** The local-only address of {@code address}. */
  public static String localAddress(String address) {
    return address + LOCAL_SUFFIX;
  }

  /** Whether {@code address} is a local-only address: what comes there was sent here. */
  static boolean isLocalAddress(String address) {
    return address != null && address.endsWith(LOCAL_SUFFIX);
  }

  /**
   * Consumes the local-only address of {@code address} with {@code handler}, counted in this
   * Vert.x instance's map until the returned consumer is unregistered through
   * {@link #unregister}.
   */
  public static MessageConsumer<Object> serve(Vertx vertx, String address,
                                              Handler<Message<Object>> handler) {
    MessageConsumer<Object> consumer = vertx.eventBus().localConsumer(localAddress(address),
        handler);
    counts(vertx).computeIfAbsent(address, a -> new Count()).value.incrementAndGet();
    return consumer;
  }

  /** Unregisters a consumer {@link #serve} made, and counts it out. */
  public static Future<Void> unregister(Vertx vertx, String address,
                                        MessageConsumer<Object> consumer) {
    Count count = counts(vertx).get(address);
    if (count != null) {
      count.value.decrementAndGet();
    }
    return consumer.unregister();
  }

  /** Whether an instance serves {@code address} in this Vert.x instance. */
  public static boolean servedHere(Vertx vertx, String address) {
    Count count = counts(vertx).get(address);
    return count != null && count.value.get() > 0;
  }

  /**
   * Sends a request to the instance of this Vert.x when there is one, else to the plain
   * address. A local instance that went away between the look and the send (no handler) is
   * not a failure: the request goes across the cluster then.
   */
  public static <T> Future<Message<T>> request(Vertx vertx, String address, Object body,
                                               DeliveryOptions delivery) {
    EventBus bus = vertx.eventBus();
    if (!servedHere(vertx, address)) {
      return bus.request(address, body, delivery);
    }
    return bus.<T>request(localAddress(address), body, delivery).recover(e ->
        e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? bus.request(address, body, delivery) : Future.failedFuture(e));
  }

  private static LocalMap<String, Count> counts(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** A local-map value: the map takes Shareable values only. */
  private static final class Count implements Shareable {
    final AtomicInteger value = new AtomicInteger();
  }
}
