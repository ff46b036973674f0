package io.daemonverticle.impl.bus;

import io.vertx.core.eventbus.EventBus;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Registers this project's event-bus codecs ({@link ReplyBufferCodec}, {@link RequestBodyCodec})
 * once per Vert.x instance: every DaemonClient, service and HTTP front made asks (an
 * application may make a client per call), so the usual case must not throw.
 */
public final class BusCodecs {

  private static final Map<EventBus, Boolean> REGISTERED = new WeakHashMap<>();

  private BusCodecs() {
  }

  public static void registerOn(EventBus eventBus) {
    synchronized (REGISTERED) {
      if (REGISTERED.putIfAbsent(eventBus, Boolean.TRUE) != null) {
        return;
      }
      try {
        eventBus.registerCodec(new ReplyBufferCodec());
        eventBus.registerCodec(new RequestBodyCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // Registered on this instance by other means (another class loader's copy of these
        // classes): one of each is enough.
      }
    }
  }
}
