package io.daemonverticle.impl.service;

import io.vertx.core.Future;

/** What the height poller drives of the tip's sources. */
interface TipWatch {

  TipWatch NONE = new TipWatch() {
    @Override
    public Future<Void> poll() {
      return Future.succeededFuture();
    }

    @Override
    public void leading(boolean leading) {
    }
  };

  /** The safety net: called after each good height poll of the lease holder. */
  Future<Void> poll();

  /**
   * Whether this instance holds the poller lease: the push sources run only while it does, so
   * that one node of the cluster runs them.
   */
  void leading(boolean leading);
}
