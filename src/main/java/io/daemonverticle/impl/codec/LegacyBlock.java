package io.daemonverticle.impl.codec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Rebuilds a raw block from a verbose getblock reply and the block's raw transactions, as
 * ElectrumX's LegacyRPCDaemon does for daemons whose getblock cannot return hex.
 *
 * <p>Only Bitcoin-style 80-byte headers can be rebuilt this way: the reply must carry every header
 * field, and the fields written are exactly version, previous hash, merkle root, time, bits and
 * nonce.
 */
public final class LegacyBlock {

  public static final int HEADER_SIZE = 80;

  private static final long MAX_U32 = 0xffff_ffffL;
  private static final byte[] NO_PARENT = new byte[HashHex.HASH_SIZE];

  /** Old daemons print times as text; Python's strptime "%Y-%m-%d %H:%M:%S %Z" in ElectrumX. */
  private static final DateTimeFormatter TEXT_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

  private LegacyBlock() {
  }

  /** The 80-byte header described by a verbose getblock reply. */
  public static byte[] header(JsonObject block) {
    Objects.requireNonNull(block, "getblock reply");
    return new ByteSink(HEADER_SIZE)
        .u32le(version(block))
        .bytes(parentHash(block))
        .bytes(HashHex.hexToHash(requiredString(block, "merkleroot"), "getblock reply merkleroot"))
        .u32le(time(block))
        .u32le(bits(block))
        .u32le(uint32(block, "nonce"))
        .toByteArray();
  }

  /**
   * The header followed by a CompactSize transaction count and {@code rawTxs} in block order.
   *
   * <p>For the genesis block (height 0) a single zero count byte follows the header and
   * {@code rawTxs} is ignored: its coinbase cannot be spent, ElectrumX never fetches it, and many
   * daemons refuse getrawtransaction for it.
   */
  public static byte[] block(JsonObject verbose, List<byte[]> rawTxs) {
    Objects.requireNonNull(rawTxs, "rawTxs");
    byte[] header = header(verbose);
    long height = integer(verbose, "height");
    if (height < 0) {
      throw new IllegalArgumentException("getblock reply height is negative: " + height);
    }
    ByteSink sink = new ByteSink(HEADER_SIZE + 9 + rawTxs.stream().mapToInt(LegacyBlock::length).sum());
    sink.bytes(header);
    if (height == 0) {
      return sink.u8(0).toByteArray();
    }
    requireTxCountMatches(verbose, rawTxs.size());
    sink.varint(rawTxs.size());
    rawTxs.forEach(sink::bytes);
    return sink.toByteArray();
  }

  private static int length(byte[] rawTx) {
    if (rawTx == null) {
      throw new IllegalArgumentException("raw transaction list contains null");
    }
    return rawTx.length;
  }

  /** A count mismatch would otherwise yield a block that silently misparses downstream. */
  private static void requireTxCountMatches(JsonObject verbose, int rawCount) {
    Object txids = verbose.getValue("tx");
    if (txids instanceof JsonArray array && array.size() != rawCount) {
      throw new IllegalArgumentException(
          "getblock reply lists " + array.size() + " transactions but " + rawCount
              + " raw transactions were given");
    }
  }

  /**
   * Version bits make versions such as 0x20000000 and above common; they are written as unsigned
   * 32 bits, and a negative value from a daemon that prints them as int32 is taken modulo 2^32.
   */
  private static long version(JsonObject block) {
    long version = integer(block, "version");
    if (version < Integer.MIN_VALUE || version > MAX_U32) {
      throw new IllegalArgumentException("getblock reply version does not fit 32 bits: " + version);
    }
    return version & MAX_U32;
  }

  /** The genesis block has no previousblockhash; its header holds 32 zero bytes instead. */
  private static byte[] parentHash(JsonObject block) {
    Object value = block.getValue("previousblockhash");
    if (value == null) {
      return NO_PARENT;
    }
    if (!(value instanceof String hex)) {
      throw illTyped("previousblockhash", value, "a hex string");
    }
    return HashHex.hexToHash(hex, "getblock reply previousblockhash");
  }

  private static long time(JsonObject block) {
    Object value = required(block, "time");
    if (value instanceof String text) {
      return parseTextTime(text);
    }
    return uint32(block, "time");
  }

  private static long parseTextTime(String text) {
    int space = text.lastIndexOf(' ');
    String zone = space < 0 ? "" : text.substring(space + 1);
    if (!zone.equals("UTC") && !zone.equals("GMT")) {
      throw new IllegalArgumentException(
          "getblock reply time \"" + text + "\" is not of the form yyyy-MM-dd HH:mm:ss UTC");
    }
    long seconds;
    try {
      seconds = LocalDateTime.parse(text.substring(0, space), TEXT_TIME).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "getblock reply time \"" + text + "\" is not of the form yyyy-MM-dd HH:mm:ss UTC", e);
    }
    if (seconds < 0 || seconds > MAX_U32) {
      throw new IllegalArgumentException(
          "getblock reply time \"" + text + "\" does not fit an unsigned 32-bit timestamp");
    }
    return seconds;
  }

  /** bitcoind prints bits as 8 hex digits; bcoin prints the same value as a number. */
  private static long bits(JsonObject block) {
    Object value = required(block, "bits");
    if (!(value instanceof String hex)) {
      return uint32(block, "bits");
    }
    if (hex.isEmpty() || hex.length() > 8) {
      throw new IllegalArgumentException(
          "getblock reply bits must be 1 to 8 hex digits, got \"" + hex + "\"");
    }
    try {
      return HexFormat.fromHexDigitsToLong(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("getblock reply bits is not hex: \"" + hex + "\"", e);
    }
  }

  private static long uint32(JsonObject block, String field) {
    long value = integer(block, field);
    if (value < 0 || value > MAX_U32) {
      throw new IllegalArgumentException(
          "getblock reply " + field + " is not an unsigned 32-bit value: " + value);
    }
    return value;
  }

  /** Accepts any JSON number with an integral value, whichever Java type the parser chose. */
  private static long integer(JsonObject block, String field) {
    Object value = required(block, field);
    if (!(value instanceof Number number)) {
      throw illTyped(field, value, "a number");
    }
    try {
      return new BigDecimal(number.toString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "getblock reply " + field + " is not an integer: " + number, e);
    }
  }

  private static String requiredString(JsonObject block, String field) {
    Object value = required(block, field);
    if (!(value instanceof String text)) {
      throw illTyped(field, value, "a string");
    }
    return text;
  }

  private static Object required(JsonObject block, String field) {
    Object value = block.getValue(field);
    if (value == null) {
      throw new IllegalArgumentException("getblock reply lacks " + field);
    }
    return value;
  }

  private static IllegalArgumentException illTyped(String field, Object value, String expected) {
    return new IllegalArgumentException(
        "getblock reply " + field + " should be " + expected + " but is a "
            + value.getClass().getSimpleName() + ": " + value);
  }
}
