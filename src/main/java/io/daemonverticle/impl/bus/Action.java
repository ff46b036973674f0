package io.daemonverticle.impl.bus;

import io.daemonverticle.impl.resilience.Deadline;
import io.vertx.core.Future;

/** One event-bus action: checks its parameters (400) and answers with the reply body. */
@FunctionalInterface
public interface Action {
  Future<?> handle(Params params, Deadline deadline);
}
