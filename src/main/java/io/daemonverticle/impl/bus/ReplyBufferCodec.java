package io.daemonverticle.impl.bus;

import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries a Buffer reply (rawBlocks: tens of MB a second on an initial sync) with one copy
 * fewer than Vert.x's own Buffer codec, which copies a Buffer on every local delivery and
 * again when decoding one read from the cluster.
 *
 * <ul>
 *   <li>To a requester in the same Vert.x instance the reply buffer is handed over as it is:
 *   the service never touches a reply after sending it.</li>
 *   <li>Across the cluster it is written like Vert.x's Buffer codec writes a Buffer, and read
 *   as a slice of the message Vert.x has just read from the wire, which is a fresh buffer of
 *   that one message and nobody else's. A node can only read a codec it has registered, so
 *   the service uses it across the cluster only for requests carrying {@link #HEADER} (sent
 *   by {@code DaemonClient}, which registers it on its node); plain event-bus callers get
 *   Vert.x's Buffer codec.</li>
 * </ul>
 */
public final class ReplyBufferCodec implements MessageCodec<Buffer, Buffer> {

  public static final String NAME = "io.daemonverticle.reply-buffer";
  /** A request header whose value {@link #NAME} says the requester's node can read this codec. */
  public static final String HEADER = "reply-codec";

  /**
   * Asks for this codec where the action's declared reply is bytes (rawBlocks): the one place
   * that says which requests ask. The caller must have registered ({@link BusCodecs}) it on
   * its node.
   */
  public static DeliveryOptions askFor(String action, DeliveryOptions delivery) {
    ActionSpec spec = Actions.spec(action);
    if (spec != null && spec.binaryReply()) {
      delivery.addHeader(HEADER, NAME);
    }
    return delivery;
  }

  /**
   * Whether the reply to {@code request} may use this codec: always without a cluster (every
   * requester is in this instance, where the service registered it); across a cluster when the
   * request came to the local-only address ({@link LocalServices}: only this instance can send
   * there) or says its node registered the codec ({@link #HEADER}). A plain caller on a
   * clustered node gets Vert.x's Buffer codec even from its own node's service: whether a
   * message came from the wire, Vert.x says only through an internal class that a module may
   * not read.
   *
   * @param clustered whether the service's Vert.x instance is clustered
   */
  public static boolean readableBy(Message<?> request, boolean clustered) {
    return !clustered || LocalServices.isLocalAddress(request.address())
        || NAME.equals(request.headers().get(HEADER));
  }

  @Override
  public void encodeToWire(Buffer wire, Buffer body) {
    wire.appendInt(body.length()).appendBuffer(body);
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer wire) {
    int length = wire.getInt(pos);
    return wire.slice(pos + 4, pos + 4 + length);
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
