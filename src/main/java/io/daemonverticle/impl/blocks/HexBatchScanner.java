package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.codec.HexSink;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a JSON-RPC batch reply whose results are hex strings in one pass over its bytes, fed
 * in the pieces they arrive in: no String and no JSON tree for the batch. Each item's
 * {@code result} string goes straight into a {@link HexSink} (decoded, or kept as text) while
 * it arrives; its {@code id} and {@code error}, small, are parsed as JSON. Items are matched
 * to the request by id, never by position, with exactly the rules of
 * {@code JsonRpc.batchReply}: an item without a whole-number id, with an id the batch did not
 * ask, answered twice or missing, with neither result nor error, or a warming-up (-28) or
 * parse (-32700) error, is a {@link TransientFailure}; any other error is the daemon's answer
 * for that item. A reply that is no JSON, cut off, or holds a result that is not whole hex is
 * a transient failure too. Not thread-safe: one thread at a time feeds it.
 */
public final class HexBatchScanner {

  /** The largest id, error or other value kept to parse: a JSON-RPC error is small. */
  private static final int MAX_SMALL_VALUE = 1024 * 1024;
  private static final int MAX_KEY = 64;
  /** {@link #plainValue()}: the value needs the JSON parser. */
  private static final Object NOT_PLAIN = new Object();

  private enum State {
    TOP, FIRST_ITEM, ITEM, KEY_OR_END, KEY, KEY_END, COLON, VALUE, HEX, SMALL_VALUE,
    AFTER_VALUE, AFTER_ITEM, DONE
  }

  private final long firstId;
  private final HexItem[] items;
  private final boolean text;
  private final String source;
  private State state = State.TOP;
  private boolean topLevelObject;
  private long offset;

  // The item being read.
  private HexSink hex;
  private boolean hasResult;
  private Object otherResult;
  private Object id;
  private boolean hasId;
  private Object error;

  // The key being read, and the small value being kept.
  private final byte[] key = new byte[MAX_KEY];
  private int keyLength;
  private boolean keyEscape;
  private String currentKey;
  private byte[] small = new byte[256];
  private int smallLength;
  private int depth;
  private boolean inString;
  private boolean escape;

  /**
   * @param text   keep each hex result as its text instead of decoding it
   * @param source the URL the reply comes from, for the failure text
   */
  public HexBatchScanner(long firstId, int count, boolean text, String source) {
    this.firstId = firstId;
    this.items = new HexItem[count];
    this.text = text;
    this.source = source;
  }

  /** Feeds the next piece of the reply. */
  public void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    feed(bytes, 0, bytes.length);
  }

  /** Feeds {@code bytes[from, to)}, the next piece of the reply. */
  public void feed(byte[] bytes, int from, int to) {
    int p = from;
    try {
      while (p < to) {
        if (state == State.HEX) {
          int after = hex.feed(bytes, p, to);
          if (after < 0) {
            offset += to - p;
            return;
          }
          offset += after - p;
          p = after;
          hex.finish();
          state = State.AFTER_VALUE;
          continue;
        }
        step(bytes[p]);
        p++;
        offset++;
      }
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  /** The reply has ended: the items in request order. */
  public HexItem[] end() {
    if (state != State.DONE) {
      throw malformed("the reply was cut off after " + offset + " bytes");
    }
    for (int i = 0; i < items.length; i++) {
      if (items[i] == null) {
        throw notJsonRpc("daemon batch reply lacks the answer to request id " + (firstId + i));
      }
    }
    return items;
  }

  private void step(byte b) {
    switch (state) {
      case TOP -> {
        if (isSpace(b)) {
          return;
        }
        if (b == '[') {
          state = State.FIRST_ITEM;
        } else if (b == '{') {
          topLevelObject = true;
          startItem();
        } else {
          throw new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
              "daemon reply to a batch is not a JSON array");
        }
      }
      case FIRST_ITEM, ITEM -> {
        if (isSpace(b)) {
          return;
        }
        if (b == ']' && state == State.FIRST_ITEM) {
          state = State.DONE;
        } else if (b == '{') {
          startItem();
        } else {
          throw notJsonRpc("daemon batch reply has an item without a whole-number id");
        }
      }
      case KEY_OR_END -> {
        if (isSpace(b)) {
          return;
        }
        if (b == '"') {
          keyLength = 0;
          keyEscape = false;
          state = State.KEY;
        } else if (b == '}') {
          endItem();
        } else {
          throw new IllegalArgumentException("an object holds " + (char) b + " where a key "
              + "belongs");
        }
      }
      case KEY -> {
        if (keyEscape) {
          keyEscape = false;
          addKeyByte(b);
        } else if (b == '\\') {
          keyEscape = true;
          addKeyByte(b);
        } else if (b == '"') {
          currentKey = keyLength <= MAX_KEY
              ? new String(key, 0, keyLength, StandardCharsets.ISO_8859_1) : "";
          state = State.COLON;
        } else {
          addKeyByte(b);
        }
      }
      case COLON -> {
        if (isSpace(b)) {
          return;
        }
        if (b != ':') {
          throw new IllegalArgumentException("an object key is not followed by ':'");
        }
        state = State.VALUE;
      }
      case VALUE -> {
        if (isSpace(b)) {
          return;
        }
        if (currentKey.equals("result") && b == '"') {
          if (hasResult) {
            throw new IllegalArgumentException("an item has two results");
          }
          hasResult = true;
          hex = new HexSink(text);
          state = State.HEX;
        } else {
          smallLength = 0;
          depth = 0;
          inString = false;
          escape = false;
          state = State.SMALL_VALUE;
          small(b);
        }
      }
      case SMALL_VALUE -> small(b);
      case AFTER_VALUE -> {
        if (isSpace(b)) {
          return;
        }
        if (b == ',') {
          state = State.KEY_OR_END;
        } else if (b == '}') {
          endItem();
        } else {
          throw new IllegalArgumentException("an object value is followed by " + (char) b);
        }
      }
      case AFTER_ITEM -> {
        if (isSpace(b)) {
          return;
        }
        if (b == ',') {
          state = State.ITEM;
        } else if (b == ']') {
          state = State.DONE;
        } else {
          throw new IllegalArgumentException("an array item is followed by " + (char) b);
        }
      }
      case DONE -> {
        if (!isSpace(b)) {
          throw new IllegalArgumentException("the reply goes on after its end");
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  /** One byte of a value that is not a hex result: kept until the value ends. */
  private void small(byte b) {
    if (inString) {
      keep(b);
      if (escape) {
        escape = false;
      } else if (b == '\\') {
        escape = true;
      } else if (b == '"') {
        inString = false;
        if (depth == 0) {
          endSmallValue();
        }
      }
      return;
    }
    if (b == '"') {
      inString = true;
      keep(b);
    } else if (b == '{' || b == '[') {
      depth++;
      keep(b);
    } else if ((b == '}' || b == ']') && depth > 0) {
      depth--;
      keep(b);
      if (depth == 0) {
        endSmallValue();
      }
    } else if (depth == 0 && (b == ',' || b == '}' || b == ']' || isSpace(b))) {
      // A number, true, false or null ends at the byte after it: that byte is the object's.
      endSmallValue();
      step(b);
    } else {
      keep(b);
    }
  }

  private void endSmallValue() {
    state = State.AFTER_VALUE;
    String name = currentKey;
    if (!name.equals("id") && !name.equals("error") && !name.equals("result")) {
      return;
    }
    Object value = plainValue();
    if (value == NOT_PLAIN) {
      try {
        value = Json.decodeValue(Buffer.buffer(Arrays.copyOf(small, smallLength)));
      } catch (DecodeException e) {
        throw new IllegalArgumentException("the " + name + " of an item is not valid JSON");
      }
    }
    switch (name) {
      case "id" -> {
        id = value;
        hasId = true;
      }
      case "error" -> error = value;
      default -> {
        if (hasResult) {
          throw new IllegalArgumentException("an item has two results");
        }
        hasResult = true;
        otherResult = value;
      }
    }
  }

  /**
   * The kept value when it is what nearly every item holds, {@code null} (its error) or a whole
   * number of up to 18 digits (its id), read without a JSON parser: a batch of 100 transactions
   * asked Jackson for a parser 200 times; anything else is {@link #NOT_PLAIN}.
   */
  private Object plainValue() {
    if (smallLength == 4 && small[0] == 'n' && small[1] == 'u' && small[2] == 'l'
        && small[3] == 'l') {
      return null;
    }
    if (smallLength == 0 || smallLength > 18 || (small[0] == '0' && smallLength > 1)) {
      return NOT_PLAIN;
    }
    long n = 0;
    for (int i = 0; i < smallLength; i++) {
      int digit = small[i] - '0';
      if (digit < 0 || digit > 9) {
        return NOT_PLAIN;
      }
      n = n * 10 + digit;
    }
    // As Jackson reads it: an int where it fits, else a long.
    return n <= Integer.MAX_VALUE ? (Object) (int) n : (Object) n;
  }

  private void keep(byte b) {
    if (smallLength == small.length) {
      if (smallLength >= MAX_SMALL_VALUE) {
        throw new IllegalArgumentException("the " + currentKey + " of an item is longer than "
            + MAX_SMALL_VALUE + " bytes");
      }
      small = Arrays.copyOf(small, smallLength * 2);
    }
    small[smallLength++] = b;
  }

  private void addKeyByte(byte b) {
    if (keyLength < MAX_KEY) {
      key[keyLength] = b;
    }
    keyLength++;
  }

  private void startItem() {
    hex = null;
    hasResult = false;
    otherResult = null;
    id = null;
    hasId = false;
    error = null;
    state = State.KEY_OR_END;
  }

  /** The item is whole: matched by id with JsonRpc.batchReply's rules. */
  private void endItem() {
    JsonObject itemError = errorOf(error);
    if (topLevelObject) {
      // Some daemons answer a whole batch with one error (e.g. warming up).
      if (itemError != null) {
        throw JsonRpc.failureOf(itemError);
      }
      throw new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
          "daemon reply to a batch is not a JSON array");
    }
    if (!(id instanceof Number n) || n.doubleValue() != n.longValue()) {
      throw notJsonRpc("daemon batch reply has an item without a whole-number id");
    }
    long itemId = n.longValue();
    // As an offset from the first id: firstId + items.length may pass Long.MAX_VALUE.
    if (itemId < firstId || itemId - firstId >= items.length) {
      throw notJsonRpc("daemon batch reply has an answer to id " + itemId
          + ", which this batch did not ask");
    }
    if (itemError != null) {
      Integer code = itemError.getValue("code") instanceof Number c ? c.intValue() : null;
      if (code != null && (code == JsonRpc.WARMING_UP || code == JsonRpc.PARSE_ERROR)) {
        throw JsonRpc.failureOf(itemError);
      }
    } else if (!hasResult) {
      throw notJsonRpc("daemon batch reply item " + itemId + " has neither result nor error");
    }
    int index = (int) (itemId - firstId);
    if (items[index] != null) {
      throw notJsonRpc("daemon batch reply answers id " + itemId + " twice");
    }
    items[index] = new HexItem(itemError == null ? hex : null,
        itemError == null ? otherResult : null, itemError);
    hex = null;
    state = State.AFTER_ITEM;
  }

  private static JsonObject errorOf(Object error) {
    if (error == null) {
      return null;
    }
    if (error instanceof JsonObject object) {
      return object;
    }
    return new JsonObject().put("code", null).put("message", String.valueOf(error));
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private TransientFailure malformed(String what) {
    return new TransientFailure(TransientFailure.Kind.PARSE_ERROR, "daemon reply from "
        + source + " is malformed: " + what);
  }

  private static TransientFailure notJsonRpc(String message) {
    return new TransientFailure(TransientFailure.Kind.PARSE_ERROR, message);
  }
}
