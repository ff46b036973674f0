package io.daemonverticle.testing;

import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.impl.transport.CookieCredentials;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.Offloader;
import io.vertx.core.Vertx;

/**
 * The HTTP transport to in-process fakes on 127.0.0.1, as the tests build it: no proxy, no
 * TLS, no cookie, the service's default bound on a reply's size, an offloader that never
 * leaves the event loop. One place, so that a test says only what it changes.
 */
public final class Transports {

  private Transports() {
  }

  /** The options of a plain transport with {@code maxConnections} per daemon. */
  public static HttpTransport.TransportOptions options(int maxConnections) {
    return options(maxConnections, DaemonOptions.DEFAULT_MAX_REPLY_BYTES,
        HttpTransport.KEEP_ALIVE_SECONDS);
  }

  /** The options of a plain transport with these bounds. */
  public static HttpTransport.TransportOptions options(int maxConnections, long maxReplyBytes,
                                                       int keepAliveSeconds) {
    return new HttpTransport.TransportOptions(null, null, false, maxConnections, maxReplyBytes,
        keepAliveSeconds);
  }

  /** A plain transport, each exchange bounded on Vert.x's timers (real time). */
  public static HttpTransport plain(Vertx vertx, int maxConnections) {
    return of(vertx, TimeSource.of(vertx), options(maxConnections), null);
  }

  /** A plain transport, each exchange bounded on {@code time} (a {@link VirtualTime}). */
  public static HttpTransport plain(Vertx vertx, TimeSource time, int maxConnections) {
    return of(vertx, time, options(maxConnections), null);
  }

  /** A transport of these options and cookie (null: none), bounded on {@code time}. */
  public static HttpTransport of(Vertx vertx, TimeSource time,
                                 HttpTransport.TransportOptions options,
                                 CookieCredentials cookie) {
    return new HttpTransport(vertx, time, options, cookie,
        new Offloader(vertx, Integer.MAX_VALUE));
  }

  /** The URL of a server on 127.0.0.1 at {@code port}, as user "user", password "pass". */
  public static DaemonUrl url(int port) {
    return DaemonUrl.parse("http://user:pass@127.0.0.1:" + port, null, false);
  }
}
