package io.daemonverticle.impl.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Carries a request body that its sender never touches again (the HTTP front's parsed body)
 * without the deep copy Vert.x's JsonObject codec makes on every local delivery: in the same
 * Vert.x instance the object is handed over as it is; across the cluster it is written and read
 * as JSON text, as Vert.x's codec does. Every node that serves the address registers it (the
 * service does at start), so a request may use it wherever it is delivered.
 */
public final class RequestBodyCodec implements MessageCodec<JsonObject, JsonObject> {

  public static final String NAME = "io.daemonverticle.request-body";

  @Override
  public void encodeToWire(Buffer wire, JsonObject body) {
    Buffer encoded = body.toBuffer();
    wire.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer wire) {
    int length = wire.getInt(pos);
    return new JsonObject(wire.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject body) {
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
