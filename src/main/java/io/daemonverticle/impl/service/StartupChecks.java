package io.daemonverticle.impl.service;

import io.daemonverticle.DaemonOptions;
import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.NanoClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional checks that must pass before the verticle starts: a minimum daemon version and
 * the indexes the indexer needs. Without them configured, start-up does not wait for the
 * daemon at all.
 */
public final class StartupChecks {

  private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

  private StartupChecks() {
  }

  /**
   * Runs the checks configured in {@code options}, all of them within one request timeout.
   *
   * @param daemon  whom to ask
   * @param options which checks, and the request timeout
   * @param clock   what that timeout is measured on: the service's time source
   * @return completes once every check passed; fails naming the first that did not
   */
  public static Future<Void> run(BitcoinDaemon daemon, DaemonOptions options, NanoClock clock) {
    Deadline deadline = Deadline.in(options.getRequestTimeoutMs(), clock);
    Future<Void> version = options.getMinDaemonVersion() == null ? Future.succeededFuture()
        : checkVersion(daemon, options.getMinDaemonVersion(), deadline);
    return version.compose(v -> options.getRequiredIndexes().isEmpty()
        ? Future.succeededFuture()
        : checkIndexes(daemon, options.getRequiredIndexes(), deadline));
  }

  /**
   * bitcoind's version number: 10000*major + 100*minor + patch since 22.0, and
   * 10000*minor + 100*patch for the 0.x releases (0.21.1 is 210100).
   */
  public static long versionNumber(String version) {
    String[] parts = version.trim().replaceFirst("^v", "").split("\\.");
    if (parts.length < 2 || parts.length > 4) {
      throw new IllegalArgumentException("minDaemonVersion must look like 0.21.0 or 25.1, not "
          + version);
    }
    long[] n = new long[4];
    for (int i = 0; i < parts.length; i++) {
      try {
        n[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("minDaemonVersion must be numbers separated by dots, "
            + "not " + version);
      }
    }
    return n[0] == 0 ? 10000 * n[1] + 100 * n[2] + n[3] : 10000 * n[0] + 100 * n[1] + n[2];
  }

  private static Future<Void> checkVersion(BitcoinDaemon daemon, String min, Deadline deadline) {
    long wanted = versionNumber(min);
    return daemon.networkInfo(deadline).compose(info -> {
      Object version = info.getValue("version");
      if (!(version instanceof Number n)) {
        return Future.failedFuture(new IllegalStateException("daemon reports version "
            + version + ", not a number: cannot check minDaemonVersion " + min));
      }
      if (n.longValue() < wanted) {
        return Future.failedFuture(new IllegalStateException("daemon version " + n.longValue()
            + " (" + info.getValue("subversion") + ") is older than minDaemonVersion " + min
            + " (" + wanted + ")"));
      }
      LOG.info("daemon version {} meets minDaemonVersion {}", n.longValue(), min);
      return Future.succeededFuture();
    });
  }

  private static Future<Void> checkIndexes(BitcoinDaemon daemon, List<String> required,
                                           Deadline deadline) {
    return daemon.indexInfo(deadline).transform(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof DaemonRpcException e) {
          return Future.failedFuture(new IllegalStateException("cannot check requiredIndexes "
              + required + ": the daemon answered getindexinfo with error " + e.rpcCode()
              + " (" + e.rpcMessage() + ")"));
        }
        return Future.failedFuture(ar.cause());
      }
      if (!(ar.result() instanceof JsonObject indexes)) {
        return Future.failedFuture(new IllegalStateException("getindexinfo did not answer an "
            + "object"));
      }
      List<String> missing = new ArrayList<>();
      for (String name : required) {
        Object index = indexes.getValue(name);
        if (!(index instanceof JsonObject state)) {
          missing.add(name);
        } else if (!Boolean.TRUE.equals(state.getValue("synced"))) {
          LOG.warn("daemon index {} is still syncing (best block height {})", name,
              state.getValue("best_block_height"));
        }
      }
      if (!missing.isEmpty()) {
        return Future.failedFuture(new IllegalStateException("daemon lacks required index(es) "
            + missing + "; it has " + indexes.fieldNames()));
      }
      return Future.succeededFuture();
    });
  }
}
