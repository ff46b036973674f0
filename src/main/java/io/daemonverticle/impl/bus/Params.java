package io.daemonverticle.impl.bus;

import io.daemonverticle.ActionParam;
import io.daemonverticle.ActionSpec;
import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.codec.HexDigits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The named parameters of one request, checked before anything is sent: every failure is a
 * 400 that names the parameter and says what is wrong.
 */
public final class Params {

  /** A consensus-valid transaction is at most 4 MB: 8 M hex characters. */
  public static final int MAX_TX_HEX = 8_000_000;
  private static final Set<String> FEE_MODES = Set.of("UNSET", "ECONOMICAL", "CONSERVATIVE");
  /** A character's class for {@link #hexClasses}: 0-9 and a-f are 0. */
  private static final int UPPER_HEX = 1;
  private static final int NOT_HEX = 2;
  private static final byte[] HEX_CLASS = new byte[128];

  static {
    // What is a hex digit is HexDigits' to say; this table adds only which are upper case.
    for (int c = 0; c < HEX_CLASS.length; c++) {
      HEX_CLASS[c] = (byte) (HexDigits.nibble((byte) c) < 0 ? NOT_HEX
          : c >= 'A' && c <= 'F' ? UPPER_HEX : 0);
    }
  }

  private final JsonObject body;

  private Params(JsonObject body) {
    this.body = body;
  }

  public static Params of(Object body) {
    if (body == null) {
      return new Params(new JsonObject());
    }
    if (!(body instanceof JsonObject object)) {
      throw DaemonException.badRequest("the request body must be a JSON object of named "
          + "parameters, not " + kindOf(body));
    }
    return new Params(object);
  }

  /**
   * Checks the body against every parameter the action declares, in declared order: the first
   * that is wrong is answered 400 naming it. Keys the action does not declare are ignored.
   */
  public CheckedParams check(ActionSpec spec, int maxBatch) {
    Map<ActionParam<?>, Object> values = new HashMap<>();
    for (ActionParam<?> param : spec.params()) {
      values.put(param, value(param, maxBatch));
    }
    return new CheckedParams(spec, values);
  }

  private Object value(ActionParam<?> param, int maxBatch) {
    String name = param.name();
    if (!param.required() && body.getValue(name) == null) {
      // A pass-through action without params calls its method with none.
      return param.type() == ActionParam.Type.JSON_ARRAY ? new JsonArray() : param.fallback();
    }
    if (param.required()) {
      required(name);
    }
    long max = param.max(maxBatch);
    int maxItems = (int) Math.min(max, Integer.MAX_VALUE);
    return switch (param.type()) {
      case WHOLE_NUMBER -> nonNegativeInt(name, max);
      case HASH -> hash(name);
      case HASHES -> hashes(name, maxItems);
      case RAW_TX -> rawTx(name);
      case RAW_TXS -> rawTxs(name, maxItems);
      case BOOLEAN -> optionalBoolean(name, Boolean.TRUE.equals(param.fallback()));
      case FEE_MODE -> feeMode(name);
      case JSON_ARRAY -> optionalArray(name, maxItems);
    };
  }

  public long nonNegativeLong(String name) {
    Object value = required(name);
    if (!(value instanceof Number n) || !isIntegral(n)) {
      throw DaemonException.badRequest(name + " must be a whole number, not " + kindOf(value));
    }
    long v = n.longValue();
    if (v < 0) {
      throw DaemonException.badRequest(name + " must not be negative, not " + v);
    }
    return v;
  }

  public int nonNegativeInt(String name, long max) {
    long v = nonNegativeLong(name);
    if (v > max) {
      throw DaemonException.badRequest(name + " must be at most " + max + ", not " + v);
    }
    return (int) v;
  }

  public boolean optionalBoolean(String name, boolean fallback) {
    Object value = body.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw DaemonException.badRequest(name + " must be true or false, not " + kindOf(value));
    }
    return b;
  }

  public String optionalString(String name) {
    Object value = body.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw DaemonException.badRequest(name + " must be a string, not " + kindOf(value));
    }
    return s;
  }

  /** A 32-byte hash or txid as 64 hex characters (lower-cased for the daemon). */
  public String hash(String name) {
    Object value = required(name);
    return checkHash(name, -1, value);
  }

  /** A non-empty list of 64-hex hashes, at most {@code max}. */
  public List<String> hashes(String name, int max) {
    JsonArray array = array(name, max);
    List<String> hashes = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      hashes.add(checkHash(name, i, array.getValue(i)));
    }
    return hashes;
  }

  /** A raw transaction in hex: even length, hex digits only, at most 4 MB. */
  public String rawTx(String name) {
    return checkRawTx(name, -1, required(name));
  }

  public List<String> rawTxs(String name, int max) {
    JsonArray array = array(name, max);
    if (array.isEmpty()) {
      throw DaemonException.badRequest(name + " must not be empty");
    }
    List<String> txs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      txs.add(checkRawTx(name, i, array.getValue(i)));
    }
    return txs;
  }

  /**
   * The caller's params array of a pass-through variant action (masternode, protx, …): a copy,
   * empty when absent.
   */
  public JsonArray optionalArray(String name, int max) {
    return body.getValue(name) == null ? new JsonArray() : array(name, max).copy();
  }

  /** An estimatesmartfee mode, upper-cased; null when absent. */
  public String feeMode(String name) {
    String mode = optionalString(name);
    if (mode == null) {
      return null;
    }
    String upper = mode.toUpperCase(Locale.ROOT);
    if (!FEE_MODES.contains(upper)) {
      throw DaemonException.badRequest(name + " must be one of ECONOMICAL, CONSERVATIVE, UNSET");
    }
    return upper;
  }

  private JsonArray array(String name, int max) {
    Object value = required(name);
    if (!(value instanceof JsonArray array)) {
      throw DaemonException.badRequest(name + " must be a JSON array, not " + kindOf(value));
    }
    if (array.size() > max) {
      throw DaemonException.badRequest(name + " has " + array.size() + " items; at most "
          + max + " are allowed (maxBatch)");
    }
    return array;
  }

  private Object required(String name) {
    Object value = body.getValue(name);
    if (value == null) {
      throw DaemonException.badRequest(name + " is missing");
    }
    return value;
  }

  /**
   * What a failure calls the value: {@code name}, or its item {@code name[index]} when
   * {@code index} is 0 or more. Built only for a failure: a batch of 100 txids is checked on
   * the event loop, and needs no label unless one of them is bad.
   */
  private static String label(String name, int index) {
    return index < 0 ? name : name + "[" + index + "]";
  }

  private static String checkHash(String name, int index, Object value) {
    if (!(value instanceof String s)) {
      throw DaemonException.badRequest(label(name, index) + " must be a hex string, not "
          + kindOf(value));
    }
    // One pass that also says whether lowering is needed: a batch of txids is checked on the
    // event loop, and daemons give (and callers pass) lower case almost always.
    int classes = s.length() == 64 ? hexClasses(s) : NOT_HEX;
    if ((classes & NOT_HEX) != 0) {
      throw DaemonException.badRequest(label(name, index)
          + " must be 64 hex characters (a 32-byte hash)");
    }
    return (classes & UPPER_HEX) != 0 ? s.toLowerCase(Locale.ROOT) : s;
  }

  private static String checkRawTx(String name, int index, Object value) {
    if (!(value instanceof String s)) {
      throw DaemonException.badRequest(label(name, index) + " must be a hex string, not "
          + kindOf(value));
    }
    if (s.isEmpty()) {
      throw DaemonException.badRequest(label(name, index) + " must not be empty");
    }
    if (s.length() > MAX_TX_HEX) {
      throw DaemonException.badRequest(label(name, index) + " is longer than " + MAX_TX_HEX
          + " hex characters (4 MB)");
    }
    if (s.length() % 2 != 0 || !isHex(s)) {
      throw DaemonException.badRequest(label(name, index)
          + " must be hex (an even number of 0-9a-f)");
    }
    return s;
  }

  static boolean isHex(String s) {
    return (hexClasses(s) & NOT_HEX) == 0;
  }

  /**
   * The classes of a string's characters ORed together: a table read a character and no
   * branch on it. A hash's digits and letters come as a coin toss, which a branch on each
   * character mispredicts half the time: checking a request's 100 txids that way took a tenth
   * of the event loop's time in getRawTransactions.
   */
  private static int hexClasses(String s) {
    int classes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      classes |= c < HEX_CLASS.length ? HEX_CLASS[c] : NOT_HEX;
    }
    return classes;
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return true;
    }
    double d = n.doubleValue();
    return !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15;
  }

  static String kindOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "the number " + value;
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    return value.getClass().getSimpleName();
  }
}
