package io.daemonverticle.impl.http;

import io.daemonverticle.impl.service.LiveInstance;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.service.ServiceSnapshot;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.List;

/**
 * Whether the service can answer now: UP while some daemon URL that is not quarantined has
 * its circuit closed (in some instance) and the cached height was confirmed by a daemon within 3 x {@code heightPollMs};
 * DOWN otherwise, with the reason in the body. The circuits are read where they are kept; the
 * height's age comes from the shared map, waited for {@link #CLUSTER_READ_MS} at most, so the
 * probe answers while the cluster or the daemon hangs (DOWN then, saying so). The age is read
 * on the front's {@link TimeSource}'s wall clock (the confirmation time is another node's
 * wall clock reading).
 */
final class Readiness {

  /** Longest the probe waits for the cluster's map: well inside the procedure's timeout. */
  static final long CLUSTER_READ_MS = 800;
  /** Periods without a confirmed height after which the service is not ready. */
  static final int STALE_PERIODS = 3;

  private final ServiceGroup group;
  private final TimeSource time;

  Readiness(ServiceGroup group, TimeSource time) {
    this.group = group;
    this.time = time;
  }

  Future<Status> check() {
    List<LiveInstance> instances = group.instances();
    if (instances.isEmpty()) {
      return Future.succeededFuture(down("no service instance is running", new JsonObject()));
    }
    JsonArray circuits = new JsonArray();
    boolean anyClosed = false;
    boolean allQuarantined = true;
    Integer cachedHeight = null;
    for (LiveInstance instance : instances) {
      ServiceSnapshot now = instance.snapshot();
      if (cachedHeight == null) {
        cachedHeight = now.lastKnownHeight();
      }
      allQuarantined &= now.allQuarantined();
      for (ServiceSnapshot.Url url : now.urls()) {
        anyClosed |= url.circuit() == CircuitBreakerState.CLOSED && url.quarantined() == null;
        circuits.add(new JsonObject()
            .put("url", url.url())
            .put("circuit", url.circuit().name())
            .put("failures", url.failures())
            .put("quarantined", url.quarantined())
            .put("behind", url.behind())
            .put("advice", url.advice()));
      }
    }
    JsonObject data = new JsonObject().put("circuits", circuits);
    if (allQuarantined) {
      return Future.succeededFuture(down("every daemon URL is quarantined (on another chain)",
          data));
    }
    if (!anyClosed) {
      return Future.succeededFuture(down("no daemon URL's circuit is closed", data));
    }
    LiveInstance first = instances.get(0);
    long periodMs = first.heightPollMs();
    if (periodMs <= 0) {
      return Future.succeededFuture(Status.OK(data.put("height", "not polled (heightPollMs 0)")));
    }
    long staleMs = STALE_PERIODS * periodMs;
    Integer lastKnown = cachedHeight;
    return first.heightConfirmedAt(CLUSTER_READ_MS).transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(down("the age of the cached height is unknown: "
            + ar.cause().getMessage(), data));
      }
      Long confirmedAt = ar.result();
      if (confirmedAt == null) {
        return Future.succeededFuture(down("no daemon has confirmed the height yet", data));
      }
      long ageMs = Math.max(0, time.currentTimeMillis() - confirmedAt);
      data.put("heightAgeMs", ageMs).put("cachedHeight", lastKnown);
      if (ageMs > staleMs) {
        return Future.succeededFuture(down("the cached height was last confirmed " + ageMs
            + " ms ago, more than 3 x heightPollMs (" + staleMs + " ms)", data));
      }
      return Future.succeededFuture(Status.OK(data));
    });
  }

  private static Status down(String reason, JsonObject data) {
    return Status.KO(data.put("reason", reason));
  }
}
