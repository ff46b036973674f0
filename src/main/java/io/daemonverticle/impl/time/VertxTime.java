package io.daemonverticle.impl.time;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/** The real time: the monotonic clock and Vert.x's timers. */
final class VertxTime implements TimeSource {

  private final Vertx vertx;

  VertxTime(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long setTimer(long delayMs, Handler<Long> handler) {
    return vertx.setTimer(delayMs, handler);
  }

  @Override
  public boolean cancelTimer(long id) {
    return vertx.cancelTimer(id);
  }
}
