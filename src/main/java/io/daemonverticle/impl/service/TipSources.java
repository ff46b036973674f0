package io.daemonverticle.impl.service;

import io.daemonverticle.impl.cluster.TipEvent;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sources of {@code <address>.tip} on one instance: the poll, always (the safety net: a
 * push missed is caught by the next poll), and the push sources, best first, run only while
 * this instance leads (holds the poller lease).
 */
final class TipSources implements TipWatch {

  private static final Logger LOG = LoggerFactory.getLogger(TipSources.class);

  private final TipFollower follower;
  private final List<PushSource> pushes;
  private boolean leading;

  TipSources(TipFollower follower, List<PushSource> pushes) {
    this.follower = follower;
    this.pushes = pushes;
  }

  @Override
  public Future<Void> poll() {
    return follower.poll(TipEvent.POLL);
  }

  @Override
  public void leading(boolean leads) {
    if (leads == leading) {
      return;
    }
    leading = leads;
    if (leads) {
      // Before the first observation of this lead: its round would do it too, later.
      follower.resume().onFailure(e ->
          LOG.debug("tip publications left unconfirmed not made yet: {}", e.getMessage()));
    }
    for (PushSource push : pushes) {
      if (leads) {
        push.start();
      } else {
        push.stop();
      }
    }
  }

  /** A source that tells of new blocks as they come, while started. */
  interface PushSource {
    void start();

    void stop();
  }
}
