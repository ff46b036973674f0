package io.daemonverticle.impl.service;

import io.daemonverticle.impl.cluster.SharedState;
import io.daemonverticle.impl.rpc.Endpoints;
import io.daemonverticle.impl.rpc.RpcCounters;
import io.daemonverticle.impl.rpc.WorkQueue;

/**
 * The parts of one running service instance that health and metrics read. They are read from
 * other event loops: every value read here is a counter or a state, never something waited on.
 */
public record LiveInstance(Endpoints endpoints, WorkQueue workQueue, RpcCounters counters,
                           SharedState shared, long heightPollMs) {
}
