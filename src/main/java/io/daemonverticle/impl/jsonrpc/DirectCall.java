package io.daemonverticle.impl.jsonrpc;

import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.HttpTransport;
import io.daemonverticle.impl.transport.JsonReplyReader;
import io.vertx.core.Future;

/**
 * One JSON-RPC call sent once, straight over a transport of its own to one URL: no work-queue
 * slot, no retry, no breaker. For a call that waits on the daemon by design (the tip's
 * long-poll, {@code waitfornewblock}), which would otherwise hold a slot of the requests for
 * as long as it waits; its caller decides what a failure means.
 */
public final class DirectCall {

  private final HttpTransport transport;
  private long nextId;

  /** @param transport the call's own transport (its own connection pool) */
  public DirectCall(HttpTransport transport) {
    this.transport = transport;
  }

  /**
   * The call's result; its JSON-RPC error fails the future with a
   * {@code DaemonRpcException}, anything else that goes wrong with a {@code TransientFailure}.
   * Completing {@code cancel} resets the request at once.
   */
  public Future<Object> call(DaemonUrl url, RpcCall call, long timeoutMs, Future<Void> cancel) {
    long id = nextId++;
    return transport.post(url, RpcPayload.single(call, id), timeoutMs,
        new JsonReplyReader<>(transport.offloader(), reply -> JsonRpc.single(reply, id),
            url.toString()), cancel);
  }
}
