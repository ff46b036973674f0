package io.daemonverticle.impl.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The bytes of JSON-RPC requests, written with Jackson's streaming generator straight into the
 * request's buffer: {@code {"method":M,"params":P,"id":N}}, one object or a batch array. A
 * batch of 100 getrawtransaction calls built as a JSON tree first (an object and a params
 * array per call, then Vert.x's encoding of that tree and a copy of its bytes) was the largest
 * part of the event loop's own work in getRawTransactions. Strings, booleans and ints or longs
 * in params are written directly; any other value a JsonArray holds goes through Vert.x's
 * codec.
 */
public final class RpcPayload {

  private static final JsonFactory JSON = new JsonFactory();
  /** Bytes a call takes besides its params, for sizing the buffer once. */
  private static final int CALL_BYTES = 48;

  private RpcPayload() {
  }

  /** One call. */
  public static Buffer single(RpcCall call, long id) {
    return write(CALL_BYTES + 80, (JsonGenerator g) -> call(g, call, id));
  }

  /** A batch: the calls' ids are {@code firstId} onwards. */
  public static Buffer batch(List<RpcCall> calls, long firstId) {
    return write(calls.size() * (CALL_BYTES + 80), (JsonGenerator g) -> {
      g.writeStartArray();
      for (int i = 0; i < calls.size(); i++) {
        call(g, calls.get(i), firstId + i);
      }
      g.writeEndArray();
    });
  }

  private interface Body {
    void write(JsonGenerator generator) throws IOException;
  }

  private static Buffer write(int sizeHint, Body body) {
    ByteBuf bytes = Unpooled.buffer(sizeHint);
    try (JsonGenerator generator = JSON.createGenerator((OutputStream) new ByteBufOutputStream(
        bytes))) {
      body.write(generator);
    } catch (IOException e) {
      throw new EncodeException("cannot write a JSON-RPC request: " + e.getMessage(), e);
    }
    return BufferInternal.buffer(bytes);
  }

  private static void call(JsonGenerator g, RpcCall call, long id) throws IOException {
    g.writeStartObject();
    g.writeStringField("method", call.method());
    if (call.params() != null) {
      g.writeFieldName("params");
      params(g, call.params());
    }
    g.writeNumberField("id", id);
    g.writeEndObject();
  }

  /**
   * Strings, booleans and whole numbers (a txid and its verbose flag, a height) written
   * directly; anything else through Vert.x's codec, which tries every kind of value in turn
   * (5 % of the event loop in getRawTransactions for the txid and the flag of each call).
   */
  private static void params(JsonGenerator g, JsonArray params) throws IOException {
    g.writeStartArray();
    for (Object value : params.getList()) {
      if (value instanceof String s) {
        g.writeString(s);
      } else if (value instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (value instanceof Integer n) {
        g.writeNumber(n);
      } else if (value instanceof Long n) {
        g.writeNumber(n);
      } else {
        JacksonCodec.encodeJson(value, g);
      }
    }
    g.writeEndArray();
  }
}
