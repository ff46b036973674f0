package io.daemonverticle.testing;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;

/**
 * Net clients that live as long as their Vert.x instance. Vert.x 5 hands out a client that the
 * garbage collector may take once nothing refers to it, and then shuts it down, closing its
 * sockets (Vert.x 5.0.7's {@code CleanableNetClient}). A test that connects with
 * {@code vertx.createNetClient().connect(...)} and keeps only the socket saw that socket
 * closed under it when a collection came at the wrong moment ("Connection was closed" on the
 * first write: one run in three of a short test, alone in its JVM). Held by a close hook of the
 * instance, the client is closed with it instead.
 */
public final class HeldClients {

  private HeldClients() {
  }

  /** A net client of {@code vertx}, referred to until {@code vertx} closes. */
  public static NetClient net(Vertx vertx) {
    NetClient client = vertx.createNetClient();
    ((VertxInternal) vertx).addCloseHook(completion -> client.close().onComplete(completion));
    return client;
  }
}
