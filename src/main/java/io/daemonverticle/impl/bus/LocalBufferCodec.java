package io.daemonverticle.impl.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;

/**
 * Delivers a reply Buffer to a requester in the same Vert.x instance as it is: Vert.x's own
 * Buffer codec copies a Buffer on every local delivery, a copy of every rawBlocks reply (tens
 * of MB a second on an initial sync). The service never touches a reply after sending it, so
 * handing over the one buffer is safe.
 *
 * <p>Used only for requests that did not come over the cluster: a node that receives a
 * message names its codec, and another node may not have this one registered. Replies across
 * the cluster keep the default codec, so raw event-bus callers on any node see the contract's
 * Buffer either way.
 */
public final class LocalBufferCodec implements MessageCodec<Buffer, Buffer> {

  public static final String NAME = "io.daemonverticle.local-buffer";

  /** Registers the codec once per Vert.x instance (several verticle instances may ask). */
  public static void registerOn(EventBus eventBus) {
    synchronized (LocalBufferCodec.class) {
      try {
        eventBus.registerCodec(new LocalBufferCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // Another instance of the verticle registered it: one is enough.
      }
    }
  }

  /**
   * Whether the message was sent from this Vert.x instance (not read from the cluster's wire):
   * its reply stays in this instance too. Vert.x has no public API for this; a clustered
   * message says whether it came from the wire.
   */
  public static boolean isLocal(Message<?> message) {
    return !(message instanceof ClusteredMessage<?, ?> clustered) || !clustered.isFromWire();
  }

  @Override
  public void encodeToWire(Buffer wire, Buffer body) {
    wire.appendInt(body.length()).appendBuffer(body);
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer wire) {
    int length = wire.getInt(pos);
    return wire.getBuffer(pos + 4, pos + 4 + length);
  }

  @Override
  public Buffer transform(Buffer body) {
    return body;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
