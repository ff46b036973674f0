package io.daemonverticle.impl.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.resilience.NotHere;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass scanner reads exactly what a JSON parser followed by JSON-RPC's batch rules
 * reads: thousands of random batch replies (ids of every form, results that are hex, not hex,
 * or no string at all, errors of every shape, unknown and over-long keys, values long enough
 * to grow its buffer, every kind of JSON whitespace between every token), each fed one byte at
 * a time and in random pieces, come out as the same items or the same kind of failure as the
 * reference below, which parses the whole reply with Vert.x's JSON and then applies the rules.
 */
class HexBatchScannerAgreementTest {

  private static final long FIRST = 40;
  private static final int COUNT = 3;
  private static final String[] SPACES = {"", "", " ", "\n", "\r", "\t", " \t\r\n"};

  @Test
  void randomRepliesReadAsTheParserAndTheRulesReadThem() {
    Random random = new Random(33);
    Map<String, Integer> outcomes = new HashMap<>();
    for (int round = 0; round < 2000; round++) {
      String reply = reply(random);
      String expected = reference(reply);
      outcomes.merge(expected.replaceAll("[ :].*", ""), 1, Integer::sum);
      expected = failureKind(expected);
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      // Which transient failure is the scanner's to word; its kind (retried as a parse error
      // or as warming up) is the rules'.
      for (int piece : new int[] {1, 0}) {
        String got = failureKind(scan(bytes, piece, random));
        if (expected.equals("transient ANY")) {
          assertThat(got).as(reply).startsWith("transient ");
        } else {
          assertThat(got).as(reply).isEqualTo(expected);
        }
      }
    }
    // The replies reach every outcome, often.
    assertThat(outcomes).containsOnlyKeys("items", "transient", "daemon");
    assertThat(outcomes.values()).allMatch(n -> n > 20);
  }

  @Test
  void aReplyCutOffSaysHowManyBytesCame() {
    HexBatchScanner scanner = new HexBatchScanner(FIRST, 1, false, "http://127.0.0.1:1/");
    byte[] bytes = "[{\"id\":40,\"result\":\"00ff00".getBytes(StandardCharsets.US_ASCII);
    scanner.feed(bytes, 0, 10);
    scanner.feed(bytes, 10, 22);
    scanner.feed(Buffer.buffer(new byte[] {'f', 'f'}));
    Throwable cut = catchThrowable(scanner::end);
    assertThat(cut).isInstanceOf(TransientFailure.class).hasMessage(
        "daemon reply from http://127.0.0.1:1/ is malformed: the reply was cut off after 24 "
            + "bytes");
  }

  @Test
  void aReplyCutOffAfterAHexResultSaysHowManyBytesCame() {
    HexBatchScanner scanner = new HexBatchScanner(FIRST, 1, false, "http://127.0.0.1:1/");
    byte[] bytes = "[{\"id\":40,\"result\":\"00ff\" ".getBytes(StandardCharsets.US_ASCII);
    scanner.feed(bytes, 0, 20);
    scanner.feed(bytes, 20, bytes.length);
    Throwable cut = catchThrowable(scanner::end);
    assertThat(cut).isInstanceOf(TransientFailure.class).hasMessage(
        "daemon reply from http://127.0.0.1:1/ is malformed: the reply was cut off after "
            + bytes.length + " bytes");
  }

  @Test
  void anErrorOfMoreThanAMegabyteIsMalformed() {
    String message = "x".repeat(1024 * 1024);
    String reply = "[{\"id\":40,\"result\":null,\"error\":{\"code\":-5,\"message\":\"" + message
        + "\"}}]";
    assertThat(scan(reply.getBytes(StandardCharsets.US_ASCII), 0, new Random(1)))
        .isEqualTo("transient PARSE_ERROR: daemon reply from test is malformed: the error of an item is "
            + "longer than 1048576 bytes");
    // Just under, it is read: the reply fails only for the items it lacks.
    String under = "[{\"id\":40,\"result\":null,\"error\":\""
        + "y".repeat(1024 * 1024 - 2) + "\"}]";
    assertThat(scan(under.getBytes(StandardCharsets.US_ASCII), 0, new Random(1)))
        .isEqualTo("transient PARSE_ERROR: daemon batch reply lacks the answer to request id 41");
  }

  /**
   * Replies where a wrong reading would still fail, but for another reason: the words say
   * where the scanner stopped. And an empty batch, the one case where {@code []} is whole.
   */
  @Test
  void eachMalformedReplyFailsWhereItGoesWrong() {
    assertFails(40, 1, "[{}]", "daemon batch reply has an item without a whole-number id");
    assertFails(40, 1, "[{\"id\" 40}]", "an object key is not followed by ':'");
    assertFails(40, 1, "[{\"id\":40,\"result\":\"00\",\"result\":\"01\"}]",
        "an item has two results");
    assertFails(40, 1, "[{\"id\":40,\"result\":null,\"result\":null}]",
        "an item has two results");
    assertFails(40, 1, "[{\"id\":40,\"error\":\"a\"x}]", "an object value is followed by x");
    assertFails(40, 1, "[{\"id\":40,\"error\":{}x}]", "an object value is followed by x");
    assertFails(40, 1, "[{\"error\":{\"m\":\"y\"}x,\"id\":40}]",
        "an object value is followed by x");
    assertFails(40, 1, "[{\"id\":40]}]", "an object value is followed by ]");
    assertFails(40, 1, "[{\"id\":40,\"result\":\"00\"}]]", "the reply goes on after its end");
    assertFails(40, 1, "[{\"id\":40,\"result\":\"00\"}x", "an array item is followed by x");
    assertFails(40, 1, "[{\"id\":40,\"result\":\"00\"} {", "an array item is followed by {");
    // Past 18 digits a number is read by the parser: 2^64 + 40 is no id, not 40 wrapped round.
    assertFails(40, 1, "[{\"id\":18446744073709551656,\"result\":\"00\"}]",
        "daemon batch reply has an item without a whole-number id");
    // An id with no value is no id 0.
    assertFails(0, 1, "[{\"id\":,\"result\":\"00\"}]", "the id of an item is not valid JSON");
    assertFails(0, 1, "[{\"id\": ,\"result\":\"00\"}]", "the id of an item is not valid JSON");
    // Numbers the fast path must leave to the parser: a leading zero, an exponent, a sign, a
    // fraction; and a number ended by a space is over, whatever follows.
    assertFails(40, 1, "[{\"id\":040,\"result\":\"00\"}]", "the id of an item is not valid JSON");
    assertFails(40, 1, "[{\"id\":4a,\"result\":\"00\"}]", "the id of an item is not valid JSON");
    assertFails(40, 1, "[{\"id\":-40,\"result\":\"00\"}]",
        "daemon batch reply has an answer to id -40, which this batch did not ask");
    assertFails(40, 1, "[{\"id\":40 41,\"result\":\"00\"}]",
        "an object value is followed by 4");
    for (String forty : new String[] {"4e1", "40.0"}) {
      assertThat(scanner(40, 1, "[{\"id\":" + forty + ",\"result\":\"00\"}]").end()[0]
          .hex().toBytes()).as(forty + " is 40 to a JSON parser").containsExactly(0);
    }
    // A key the scanner does not know stays unknown, backslash and all.
    assertThat(scanner(40, 1, "[{\"id\":40,\"\\id\":41,\"result\":\"00\"}]").end()[0]
        .hex().toBytes()).containsExactly(0);
    assertThat(scanner(0, 0, " [ ] ").end()).isEmpty();
  }

  private static void assertFails(long first, int count, String reply, String why) {
    Throwable failure = catchThrowable(() -> scanner(first, count, reply).end());
    assertThat(failure).as(reply).isInstanceOf(TransientFailure.class)
        .hasMessageEndingWith(why);
  }

  private static HexBatchScanner scanner(long first, int count, String reply) {
    HexBatchScanner scanner = new HexBatchScanner(first, count, false, "test");
    byte[] bytes = reply.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < bytes.length; i++) {
      scanner.feed(bytes, i, i + 1);
    }
    return scanner;
  }

  /** A transient outcome without its words; any other outcome whole. */
  private static String failureKind(String outcome) {
    return outcome.startsWith("transient") ? outcome.replaceAll(":.*", "") : outcome;
  }

  /** The scanner's outcome; {@code piece} 1: one byte at a time, 0: random pieces. */
  private static String scan(byte[] bytes, int piece, Random random) {
    HexBatchScanner scanner = new HexBatchScanner(FIRST, COUNT, false, "test");
    try {
      int pos = 0;
      while (pos < bytes.length) {
        int n = piece > 0 ? piece : 1 + random.nextInt(Math.min(bytes.length - pos, 64));
        scanner.feed(bytes, pos, Math.min(bytes.length, pos + n));
        pos += n;
      }
      List<String> items = new ArrayList<>();
      for (HexItem item : scanner.end()) {
        if (item.failed()) {
          assertThat(item.hex()).isNull();
          assertThat(item.otherResult()).isNull();
          items.add("error:" + item.error().encode());
        } else if (item.hex() != null) {
          assertThat(item.otherResult()).isNull();
          items.add("hex:" + HexFormat.of().formatHex(item.hex().toBytes()));
        } else {
          items.add("other:" + describe(item.otherResult()));
        }
      }
      return "items: " + items;
    } catch (TransientFailure e) {
      return "transient " + e.kind() + ": " + e.getMessage();
    } catch (DaemonRpcException e) {
      return "daemon: " + Json.encode(e.error());
    } catch (NotHere e) {
      return "daemon: pruned " + e.getMessage();
    }
  }

  /** What a JSON parser and JSON-RPC's batch rules make of the reply. */
  private static String reference(String reply) {
    Object parsed;
    try {
      parsed = Json.decodeValue(Buffer.buffer(reply));
    } catch (DecodeException e) {
      // Read as it comes, an item before the bad byte may fail first, as warming up.
      return "transient ANY: not JSON";
    }
    try {
      if (!(parsed instanceof JsonArray array)) {
        if (parsed instanceof JsonObject object && errorOf(object.getValue("error")) != null) {
          throw JsonRpc.failureOf(errorOf(object.getValue("error")));
        }
        return "transient PARSE_ERROR: not an array";
      }
      String[] items = new String[COUNT];
      for (Object element : array) {
        if (!(element instanceof JsonObject item) || !(item.getValue("id") instanceof Number n)
            || n.doubleValue() != n.longValue()) {
          return "transient PARSE_ERROR: no whole-number id";
        }
        long id = n.longValue();
        if (id < FIRST || id >= FIRST + COUNT) {
          return "transient PARSE_ERROR: id not asked";
        }
        Object result = item.getValue("result");
        if (result instanceof String hex && !isHex(hex)) {
          return "transient PARSE_ERROR: not hex";
        }
        JsonObject error = errorOf(item.getValue("error"));
        String value;
        if (error != null) {
          Object code = error.getValue("code");
          if (code instanceof Number c && (c.intValue() == JsonRpc.WARMING_UP
              || c.intValue() == JsonRpc.PARSE_ERROR)) {
            return "transient " + ((TransientFailure) JsonRpc.failureOf(error)).kind() + ": rule";
          }
          value = "error:" + error.encode();
        } else if (!item.containsKey("result")) {
          return "transient PARSE_ERROR: neither result nor error";
        } else if (result instanceof String hex) {
          value = "hex:" + hex.toLowerCase();
        } else {
          value = "other:" + describe(result);
        }
        if (items[(int) (id - FIRST)] != null) {
          return "transient PARSE_ERROR: twice";
        }
        items[(int) (id - FIRST)] = value;
      }
      for (String item : items) {
        if (item == null) {
          return "transient PARSE_ERROR: missing";
        }
      }
      return "items: " + List.of(items);
    } catch (DaemonRpcException e) {
      return "daemon: " + Json.encode(e.error());
    } catch (NotHere e) {
      return "daemon: pruned " + e.getMessage();
    } catch (TransientFailure e) {
      return "transient " + e.kind() + ": whole batch";
    }
  }

  private static JsonObject errorOf(Object error) {
    if (error == null) {
      return null;
    }
    return error instanceof JsonObject object ? object
        : new JsonObject().putNull("code").put("message", String.valueOf(error));
  }

  private static boolean isHex(String text) {
    return text.length() % 2 == 0 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /** A value with its Java type: an int read as a long would be another value to a caller. */
  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " " + Json.encode(value);
  }

  private static String reply(Random random) {
    int shape = random.nextInt(12);
    if (shape == 0) {
      return pick(random, "{\"error\":{\"code\":-28,\"message\":\"Loading\"},\"id\":null}",
          "{\"error\":{\"code\":-5,\"message\":\"no\"},\"result\":null}",
          "{\"result\":null,\"id\":1}", "{\"error\":\"busy\"}", "[]", "", "  ", "null",
          "\"x\"", "[40]", "[{}]", "[{\"id\":40,\"result\":\"00\"}]x", "[{\"id\":40 x}]",
          "[{\"id\" 40}]", "[{\"id\":40}, ]", "[{\"id\":40,}]", "[{40}]", "[{\"id\":40}}]",
          "{\"id\":40,\"result\":\"00\"}", "{\"error\":{\"code\":-8,\"message\":\"x\"}}",
          "{\"error\":{\"code\":-1,\"message\":\"Block not available (pruned data)\"}}",
          "\t{ \"error\" : {\"code\":-5,\"data\":[{}]} }\n");
    }
    List<Integer> ids = new ArrayList<>(List.of(40, 41, 42));
    Collections.shuffle(ids, random);
    int items = random.nextInt(8) == 0 ? random.nextInt(5) : 3;
    StringBuilder out = new StringBuilder(space(random)).append('[');
    for (int i = 0; i < items; i++) {
      if (i > 0) {
        out.append(space(random)).append(',');
      }
      out.append(space(random)).append(item(random, i < 3 ? ids.get(i) : 40));
    }
    return out.append(space(random)).append(']').append(space(random)).toString();
  }

  private static String item(Random random, long id) {
    List<String> members = new ArrayList<>();
    int idForm = random.nextInt(120);
    String idText = switch (idForm) {
      case 0 -> null;
      case 1 -> "\"" + id + "\"";
      case 2 -> id + ".5";
      case 3 -> id + ".0";
      case 4 -> (id / 10) + "e1";
      case 5 -> "0" + id;
      case 6 -> "-" + id;
      case 7 -> "null";
      case 8 -> String.valueOf(id + 3);
      case 9 -> String.valueOf(FIRST - 1);
      case 10 -> "0";
      case 11 -> "9999999999999999999";
      case 12 -> "1000000000000000040";
      case 13 -> "2147483648";
      case 14 -> "[" + id + "]";
      case 15 -> "true";
      default -> String.valueOf(id);
    };
    if (idText != null) {
      members.add(member(random, "id", idText));
    }
    String result = switch (random.nextInt(70)) {
      case 0 -> null;
      case 1 -> "null";
      case 2 -> "\"0g\"";
      case 3 -> "\"abc\"";
      case 4 -> "\"\"";
      case 5 -> pick(random, "7", "2147483647", "2147483648", "-3", "0", "01", "1.5",
          "123456789012345678", "1234567890123456789", "true", "false", "nul");
      case 6 -> "{\"a\":[1,{\"b\":\"]}\\\"\"}],\"c\":null}";
      case 7 -> "[\"x\",[],{}]";
      case 8 -> "\"\\u0030\"";
      default -> "\"" + hex(random) + "\"";
    };
    if (result != null) {
      members.add(member(random, "result", result));
    }
    String error = switch (random.nextInt(50)) {
      case 0 -> null;
      case 1 -> "{\"code\":-28,\"message\":\"Loading block index\"}";
      case 2 -> "{\"code\":-32700,\"message\":\"Parse error\"}";
      case 3 -> "{\"code\":-5,\"message\":\"Block not found\"}";
      case 4 -> "{\"code\":\"-28\",\"message\":\"text code\"}";
      case 5 -> "\"a plain \\\"text\\\" error, with , and } and ]\"";
      case 6 -> "{\"code\":-8,\"message\":\"" + "long ".repeat(60 + random.nextInt(300))
          + "\",\"data\":{\"list\":[1,2,{\"deep\":[[]]}],\"s\":\"\\\\\"}}";
      case 7 -> pick(random, "7", "-1", "true", "[1,2]", "{}");
      case 8 -> "{\"code\":-1,\"message\":\"Block not available (pruned data)\"}";
      default -> "null";
    };
    if (error != null) {
      members.add(member(random, "error", error));
    }
    if (random.nextInt(4) == 0) {
      members.add(member(random, "jsonrpc", "\"2.0\""));
    }
    if (random.nextInt(6) == 0) {
      String key = pick(random, "k".repeat(63), "k".repeat(64), "k".repeat(65),
          "r".repeat(200), "ids", "resultx", "a\\\"b", "err");
      members.add(member(random, key, pick(random, "1", "\"v\"", "[{}]", "{\"id\":1}",
          "null", "-2.5e3")));
    }
    Collections.shuffle(members, random);
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < members.size(); i++) {
      out.append(i > 0 ? "," : "").append(members.get(i));
    }
    return out.append(space(random)).append('}').toString();
  }

  private static String member(Random random, String key, String value) {
    return space(random) + "\"" + key + "\"" + space(random) + ":" + space(random) + value
        + space(random);
  }

  private static String hex(Random random) {
    byte[] bytes = new byte[random.nextInt(40)];
    random.nextBytes(bytes);
    String hex = HexFormat.of().formatHex(bytes);
    return random.nextBoolean() ? hex : hex.toUpperCase();
  }

  private static String space(Random random) {
    return SPACES[random.nextInt(SPACES.length)];
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
