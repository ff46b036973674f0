package io.daemonverticle.impl.transport;

import io.daemonverticle.impl.config.Secrets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;

/**
 * Credentials from bitcoind's {@code .cookie} file ({@code __cookie__:secret}), which bitcoind
 * rewrites at every start: read lazily, and again after a 401 tells us it changed.
 */
public final class CookieCredentials {

  private final Vertx vertx;
  private final String path;
  private Future<Credentials> current;

  public CookieCredentials(Vertx vertx, String path) {
    this.vertx = vertx;
    this.path = path;
  }

  /** user and password; a missing or malformed file is a transient failure. */
  public Future<Credentials> get() {
    if (current == null || current.failed()) {
      current = read();
    }
    return current;
  }

  /** Forgets what was read: the next request reads the file again. */
  public void invalidate() {
    current = null;
  }

  private Future<Credentials> read() {
    return vertx.fileSystem().readFile(path).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new TransientFailure(TransientFailure.Kind.CONNECTION,
            "cookie file " + path + " is not readable (is the daemon running?)"));
      }
      String text = ar.result().toString(StandardCharsets.UTF_8).strip();
      int colon = text.indexOf(':');
      if (colon <= 0) {
        return Future.failedFuture(new TransientFailure(TransientFailure.Kind.CONNECTION,
            "cookie file " + path + " does not hold user:password"));
      }
      Credentials read = new Credentials(text.substring(0, colon), text.substring(colon + 1));
      // Known before it is first sent: a proxy or daemon echoing it must find it masked.
      Secrets.register(read.user(), read.password());
      return Future.succeededFuture(read);
    });
  }
}
