package io.daemonverticle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One named parameter of an action's request body: its name, what JSON it takes, its bound and
 * whether it may be left out. The service checks a body against these declarations before it
 * sends anything to the daemon (a bad value is answered 400 naming the parameter), and
 * {@link DaemonClient} writes its bodies with them, so the name is written once.
 *
 * @param <T> the Java type of the checked value
 */
public final class ActionParam<T> {

  /** What JSON a parameter takes, and how it is checked. */
  public enum Type {
    /** A whole number, not negative, at most the parameter's bound. */
    WHOLE_NUMBER,
    /** A 32-byte hash or txid: 64 hex characters (answered lower-cased to the daemon). */
    HASH,
    /** A JSON array of hashes, at most {@code maxBatch} of them. */
    HASHES,
    /** A raw transaction in hex: an even number of hex digits, at most 4 MB. */
    RAW_TX,
    /** A non-empty JSON array of raw transactions, at most {@code maxBatch}. */
    RAW_TXS,
    /** true or false. */
    BOOLEAN,
    /** An estimatesmartfee mode: ECONOMICAL, CONSERVATIVE or UNSET (any case). */
    FEE_MODE,
    /** A JSON array of positional RPC parameters, at most {@code maxBatch} items. */
    JSON_ARRAY
  }

  /** The first height of {@link Actions#BLOCK_HEX_HASHES}. */
  public static final ActionParam<Integer> FIRST = number("first", Integer.MAX_VALUE);
  /** How many hashes {@link Actions#BLOCK_HEX_HASHES} gives: at most {@code maxBatch}. */
  public static final ActionParam<Integer> COUNT = number("count", 0);
  /** A block hash. */
  public static final ActionParam<String> HASH = required("hash", Type.HASH);
  /** Block hashes, at most {@code maxBatch}. */
  public static final ActionParam<List<String>> HASHES = required("hashes", Type.HASHES);
  /** The confirmation target of {@link Actions#ESTIMATE_FEE}, in blocks. */
  public static final ActionParam<Integer> BLOCKS = number("blocks", Integer.MAX_VALUE);
  /** The estimatesmartfee mode; absent: the daemon's default. */
  public static final ActionParam<String> MODE = optional("mode", Type.FEE_MODE, null);
  /** A transaction id. */
  public static final ActionParam<String> TXID = required("txid", Type.HASH);
  /** Transaction ids, at most {@code maxBatch}. */
  public static final ActionParam<List<String>> TXIDS = required("txids", Type.HASHES);
  /** Whether {@link Actions#GET_RAW_TRANSACTION} answers the daemon's JSON instead of hex. */
  public static final ActionParam<Boolean> VERBOSE = optional("verbose", Type.BOOLEAN, false);
  /** Whether {@link Actions#GET_RAW_TRANSACTIONS} answers null for a txid it cannot give. */
  public static final ActionParam<Boolean> REPLACE_ERRORS =
      optional("replaceErrors", Type.BOOLEAN, true);
  /** An output's index in its transaction. */
  public static final ActionParam<Integer> VOUT = number("vout", Integer.MAX_VALUE);
  /** A raw transaction in hex. */
  public static final ActionParam<String> RAW_TX = required("rawTx", Type.RAW_TX);
  /** Raw transactions in hex, at least one, at most {@code maxBatch}. */
  public static final ActionParam<List<String>> RAW_TXS = required("rawTxs", Type.RAW_TXS);
  /** The positional parameters a kind's pass-through action hands to its RPC method. */
  public static final ActionParam<JsonArray> PARAMS =
      optional("params", Type.JSON_ARRAY, null);

  private final String name;
  private final Type type;
  private final boolean required;
  private final T fallback;
  private final long max;

  private ActionParam(String name, Type type, boolean required, T fallback, long max) {
    this.name = name;
    this.type = type;
    this.required = required;
    this.fallback = fallback;
    this.max = max;
  }

  /** A required whole number at most {@code max}; 0: at most {@code maxBatch}. */
  private static ActionParam<Integer> number(String name, long max) {
    return new ActionParam<>(name, Type.WHOLE_NUMBER, true, null, max);
  }

  private static <T> ActionParam<T> required(String name, Type type) {
    return new ActionParam<>(name, type, true, null, 0);
  }

  private static <T> ActionParam<T> optional(String name, Type type, T fallback) {
    return new ActionParam<>(name, type, false, fallback, 0);
  }

  /**
   * The parameter's key in the request body.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * What JSON the parameter takes.
   *
   * @return the type
   */
  public Type type() {
    return type;
  }

  /**
   * Whether a body without it is answered 400.
   *
   * @return true when it must be given
   */
  public boolean required() {
    return required;
  }

  /**
   * What an absent optional parameter means.
   *
   * @return the value used when it is absent (null: "not given")
   */
  public T fallback() {
    return fallback;
  }

  /**
   * The largest value (a whole number) or the most items (an array) the parameter takes.
   *
   * @param maxBatch the service's {@code maxBatch}
   * @return the bound
   */
  public long max(int maxBatch) {
    if (type == Type.WHOLE_NUMBER) {
      return max == 0 ? maxBatch : max;
    }
    return maxBatch;
  }

  /**
   * Puts a value into a request body under this parameter's name; a null value is left out.
   *
   * @param body the body to write into
   * @param value the value (a list becomes a JSON array)
   * @return the body
   */
  public JsonObject put(JsonObject body, T value) {
    Objects.requireNonNull(body, "body");
    if (value instanceof List<?> list && !(value instanceof JsonArray)) {
      body.put(name, new JsonArray(new ArrayList<>(list)));
    } else if (value != null) {
      body.put(name, value);
    }
    return body;
  }

  /**
   * How the contract's action table shows the parameter: its name, its JSON type when it is an
   * array, and what an optional one means when absent.
   *
   * @return e.g. {@code txids: JsonArray} or {@code verbose (default false)}
   */
  public String describe() {
    String text = name;
    if (type == Type.HASHES || type == Type.RAW_TXS || type == Type.JSON_ARRAY) {
      text += ": JsonArray";
    }
    if (!required) {
      text += fallback == null ? " (optional)" : " (default " + fallback + ")";
    }
    return text;
  }

  @Override
  public String toString() {
    return name;
  }
}
