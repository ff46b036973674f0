package io.daemonverticle;

import static io.daemonverticle.testing.PropertyChecks.intsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.Generate.byteArrays;
import static org.quicktheories.generators.Generate.bytes;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.lists;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.PropertyChecks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random broken daemon replies (QuickTheories): the daemon's first reply to a request is a mutation
 * of the right one (cut at any byte, odd or non-hex data, ids missing, duplicated or unknown, items
 * missing, wrong types, HTTP errors with and without JSON, JSON-RPC errors); every later reply is
 * right. Every request gets exactly one answer, and never a wrong one: a reply that is no JSON-RPC
 * answer is a transient failure of that URL, retried, so the request ends with the right result; a
 * JSON-RPC error is the daemon's answer (422); a result of the wrong type is the right result on
 * retry or a 503 saying so. Nothing is logged at ERROR, and nothing escapes to Vert.x's exception
 * handler. One Vert.x, daemon and deployment serve every try of the class, as in production one
 * service sees one broken reply after another; a failure names the smallest mutation found and the
 * seed ({@code -DQT_SEED=} replays it).
 */
class ReplyPropertiesTest {

  private static Vertx vertx;
  private static String address;
  private static LogCapture log;
  private static final Queue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
  /** What the daemon serves: block and transaction hex by hash. */
  private static final Map<String, String> hexByHash = new ConcurrentHashMap<>();
  /** The mutation of the next reply (then cleared: later replies are right). */
  private static final AtomicReference<Mutation> next = new AtomicReference<>();
  private static final AtomicInteger replies = new AtomicInteger();

  /** Above every right reply here (at most 4 items of 3000 bytes, as hex): only padding
   *  crosses it. */
  private static final int MAX_REPLY_BYTES = 64 * 1024;

  @BeforeAll
  static void deploy() throws Exception {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(uncaught::add);
    HttpServer daemon = await(vertx.createHttpServer().requestHandler(ReplyPropertiesTest::answer)
        .listen(0, "127.0.0.1"));
    JsonObject config = Deployments.config("http://user:pass@127.0.0.1:" + daemon.actualPort()
        + "/").put("maxReplyBytes", MAX_REPLY_BYTES);
    address = config.getString("address");
    await(Deployments.deploy(vertx, config));
    log = LogCapture.start();
  }

  @AfterAll
  static void close() throws Exception {
    if (log != null) {
      log.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void heightGetsTheRightAnswerOrAClearFailure() {
    PropertyChecks.check(150, mutations(), (Mutation mutation) -> {
      arm(mutation);
      int logged = log.lines().size();
      Outcome outcome = ask(Actions.HEIGHT, null);
      check(mutation, outcome, 100, logged);
    });
  }

  @Test
  void rawBlocksGetTheRightBytesOrAClearFailure() {
    // Blocks of a header or more, asked for by their header's hash, as the service checks.
    PropertyChecks.check(150, mutations(), blocks(80), (Mutation mutation,
                                                        List<byte[]> blocks) -> {
      JsonArray hashes = serveBlocks(blocks);
      arm(mutation);
      int logged = log.lines().size();
      Outcome outcome = ask(Actions.RAW_BLOCKS, new JsonObject().put("hashes", hashes));
      // What the daemon has under each hash: two blocks with one header (the generator may
      // draw them) are one block to a daemon, the last served.
      List<String> expected = hashes.stream().map((Object hash) -> hexByHash.get((String) hash))
          .toList();
      Outcome seen = outcome.value() instanceof Buffer framed
          ? new Outcome(BlockFrames.read(framed).stream()
              .map((Buffer b) -> HexFormat.of().formatHex(b.getBytes())).toList(), null)
          : outcome;
      check(mutation, seen, expected, logged);
    });
  }

  @Test
  void rawTransactionsGetTheRightHexOrAClearFailure() {
    PropertyChecks.check(150, mutations(), blocks(1), (Mutation mutation, List<byte[]> txs) -> {
      JsonArray txids = serve(txs);
      arm(mutation);
      int logged = log.lines().size();
      Outcome outcome = ask(Actions.GET_RAW_TRANSACTIONS, new JsonObject().put("txids", txids)
          .put("replaceErrors", false));
      List<String> expected = txs.stream().map(HexFormat.of()::formatHex).toList();
      Outcome seen = outcome.value() instanceof JsonArray array
          ? new Outcome(array.getList(), null) : outcome;
      check(mutation, seen, expected, logged);
    });
  }

  /** The next reply is broken by {@code mutation}; the replies are counted from here. */
  private static void arm(Mutation mutation) {
    replies.set(0);
    next.set(mutation);
  }

  /** {@code logged}: the log lines there were before this try. */
  private static void check(Mutation mutation, Outcome outcome, Object right, int logged) {
    if (mutation instanceof TextMutation text && text.name().startsWith("padded")) {
      // Whitespace keeps it JSON: only the bound makes it a failure, so it must be retried.
      assertThat(replies).as("replies after %s", mutation).hasValueGreaterThanOrEqualTo(2);
    }
    assertThat(uncaught).as("exceptions that escaped to Vert.x").isEmpty();
    List<String> lines = log.lines();
    assertThat(lines.subList(logged, lines.size())).as("log lines at ERROR after %s", mutation)
        .noneMatch((String l) -> l.startsWith("ERROR"));
    if (outcome.failure() == null) {
      assertThat(outcome.value()).as("the answer after %s", mutation).isEqualTo(right);
      assertThat(mutation.kind()).as("answered although the first reply was %s", mutation)
          .isNotEqualTo(Kind.RPC_ERROR);
      return;
    }
    ReplyException failure = outcome.failure();
    assertThat(failure.getMessage()).as("the failure's text").isNotBlank();
    switch (mutation.kind()) {
      case TRANSIENT -> throw new AssertionError("after " + mutation + " the retry should have "
          + "given the right answer, not " + failure.failureCode() + " " + failure.getMessage());
      case RPC_ERROR -> assertThat(failure.failureCode()).as("a JSON-RPC error is the daemon's "
          + "answer: %s", failure.getMessage()).isEqualTo(DaemonException.DAEMON_ERROR);
      case WRONG_TYPE -> assertThat(failure.failureCode()).as("a result of the wrong type: %s",
          failure.getMessage()).isEqualTo(DaemonException.UNAVAILABLE);
      default -> throw new IllegalStateException();
    }
  }

  private static Outcome ask(String action, JsonObject body) throws Exception {
    try {
      Object reply = await(vertx.eventBus().request(address, body, new DeliveryOptions()
          .addHeader(Actions.HEADER, action).setSendTimeout(20_000))).body();
      return new Outcome(reply, null);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ReplyException.class);
      return new Outcome(null, (ReplyException) e.getCause());
    }
  }

  private static JsonArray serve(List<byte[]> items) {
    JsonArray hashes = new JsonArray();
    for (byte[] item : items) {
      String hash = HexFormat.of().formatHex(java.util.UUID.randomUUID().toString()
          .replace("-", "").getBytes()).substring(0, 64);
      hexByHash.put(hash, HexFormat.of().formatHex(item));
      hashes.add(hash);
    }
    return hashes;
  }

  /** As {@link #serve}, each block by its real hash (its first 80 bytes, double SHA-256). */
  private static JsonArray serveBlocks(List<byte[]> blocks) {
    JsonArray hashes = new JsonArray();
    for (byte[] block : blocks) {
      String hash = FakeChain.hashOf(block);
      hexByHash.put(hash, HexFormat.of().formatHex(block));
      hashes.add(hash);
    }
    return hashes;
  }

  // ---- the daemon ----

  private static void answer(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET) {
      // bitcoind without -rest: the blocks' REST probe is told no, and JSON-RPC is what is
      // under test here.
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess((Buffer body) -> {
      try {
        answer(request, body);
      } catch (RuntimeException e) {
        // A bug of this test's daemon, not of the service: fail the property, visibly.
        uncaught.add(new IllegalStateException("the test daemon failed", e));
        request.response().setStatusCode(500).end();
      }
    });
  }

  private static void answer(HttpServerRequest request, Buffer body) {
    Object parsed = Json.decodeValue(body);
    Object right = parsed instanceof JsonArray calls ? batchReply(calls) : single(
        (JsonObject) parsed);
    replies.incrementAndGet();
    Mutation mutation = next.getAndSet(null);
    Reply reply = mutation == null ? new Reply(200, "application/json", Json.encode(right))
        : mutation.apply(right);
    request.response().setStatusCode(reply.status())
        .putHeader("content-type", reply.contentType()).end(reply.body());
  }

  private static JsonObject single(JsonObject call) {
    return new JsonObject().put("result", result(call)).put("error", null)
        .put("id", call.getValue("id"));
  }

  private static JsonArray batchReply(JsonArray calls) {
    JsonArray replies = new JsonArray();
    for (int i = 0; i < calls.size(); i++) {
      replies.add(single(calls.getJsonObject(i)));
    }
    return replies;
  }

  private static Object result(JsonObject call) {
    return switch (call.getString("method")) {
      case "getblockcount" -> 100;
      case "getblock", "getrawtransaction" -> hexByHash.get(call.getJsonArray("params")
          .getString(0));
      default -> null;
    };
  }

  // ---- what is generated ----

  enum Kind { TRANSIENT, RPC_ERROR, WRONG_TYPE }

  /** How the first reply is broken, and what that must lead to. */
  interface Mutation {
    Kind kind();

    Reply apply(Object right);
  }

  record Reply(int status, String contentType, String body) {
  }

  record Outcome(Object value, ReplyException failure) {
  }

  /** A mutation of the reply's text. */
  record TextMutation(Kind kind, String name, java.util.function.UnaryOperator<String> edit)
      implements Mutation {
    @Override
    public Reply apply(Object right) {
      return new Reply(200, "application/json", edit.apply(Json.encode(right)));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A mutation of the reply's JSON items (each item of a batch, or the single reply). */
  record ItemMutation(Kind kind, String name, java.util.function.UnaryOperator<JsonArray> edit)
      implements Mutation {
    @Override
    public Reply apply(Object right) {
      if (right instanceof JsonArray items) {
        return new Reply(200, "application/json", edit.apply(items.copy()).encode());
      }
      JsonArray one = edit.apply(new JsonArray().add(((JsonObject) right).copy()));
      return new Reply(200, "application/json", one.isEmpty() ? "{}" : Json.encode(
          one.getValue(0)));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A whole reply in place of the right one. */
  record Whole(Kind kind, Reply reply) implements Mutation {
    @Override
    public Reply apply(Object right) {
      return reply;
    }
  }

  private static Gen<Mutation> mutations() {
    return oneOf(cuts(), hexDamage(), idDamage(), wrongTypes(), httpErrors(), rpcErrors(),
        oversized());
  }

  /** The reply cut after any byte: no valid JSON. */
  private static Gen<Mutation> cuts() {
    return intsIn(0, 999).map((Integer at) -> new TextMutation(Kind.TRANSIENT,
        "cut at " + at + "/1000", (String text) -> text.substring(0, text.length() * at / 1000)));
  }

  /** The right reply padded with whitespace past maxReplyBytes: still JSON, but too long. */
  private static Gen<Mutation> oversized() {
    return intsIn(MAX_REPLY_BYTES + 1, 5 * MAX_REPLY_BYTES)
        .map((Integer size) -> new TextMutation(Kind.TRANSIENT, "padded to " + size + " bytes",
            (String text) -> text + " ".repeat(Math.max(1, size - text.length()))));
  }

  /** Hex results made odd-length or given a non-hex character (height has no hex: kept). */
  private static Gen<Mutation> hexDamage() {
    return pick(List.of("0", "zz", "0g", " ", "é")).map((String junk) -> new ItemMutation(
        Kind.TRANSIENT, "hex damaged with '" + junk + "'", (JsonArray items) -> {
          boolean damaged = false;
          for (int i = 0; i < items.size(); i++) {
            JsonObject item = items.getJsonObject(i);
            if (item.getValue("result") instanceof String hex) {
              item.put("result", junk.equals("0") ? hex + "0" : junk + hex);
              damaged = true;
            }
          }
          if (!damaged) {
            // Nothing to damage (height): break the reply another way, still transient.
            items.clear();
          }
          return items;
        }));
  }

  private static Gen<Mutation> idDamage() {
    return pick(List.<Mutation>of(
        new ItemMutation(Kind.TRANSIENT, "first id removed", (JsonArray items) -> {
          items.getJsonObject(0).remove("id");
          return items;
        }),
        new ItemMutation(Kind.TRANSIENT, "first id unknown", (JsonArray items) -> {
          items.getJsonObject(0).put("id", 987_654_321);
          return items;
        }),
        new ItemMutation(Kind.TRANSIENT, "first id a string", (JsonArray items) -> {
          items.getJsonObject(0).put("id", "x");
          return items;
        }),
        new ItemMutation(Kind.TRANSIENT, "first item twice", (JsonArray items) -> {
          JsonArray doubled = new JsonArray().add(items.getJsonObject(0).copy());
          items.forEach(doubled::add);
          return doubled;
        }),
        new ItemMutation(Kind.TRANSIENT, "last item missing", (JsonArray items) -> {
          items.remove(items.size() - 1);
          return items;
        }),
        new ItemMutation(Kind.TRANSIENT, "neither result nor error", (JsonArray items) -> {
          items.getJsonObject(0).remove("result");
          items.getJsonObject(0).remove("error");
          return items;
        })));
  }

  private static Gen<Mutation> wrongTypes() {
    return pick(List.<Object>of(new JsonObject().put("a", 1), new JsonArray().add(1), true, 12.5,
            "not-a-number"))
        .map((Object value) -> new ItemMutation(Kind.WRONG_TYPE, "result " + value,
            (JsonArray items) -> {
          items.getJsonObject(0).put("result", value);
          return items;
        }));
  }

  private static Gen<Mutation> httpErrors() {
    return pick(List.of(401, 403, 429, 500, 502, 503, 504)).zip(
            pick(List.of(
                new String[] {"text/html", "<html><body>Work queue depth exceeded</body></html>"},
                new String[] {"text/plain", "Work queue depth exceeded"},
                new String[] {"application/json", "{\"message\":\"Too Many Requests\"}"},
                new String[] {"application/json", "[]"},
                new String[] {"application/json", ""})),
            (Integer status, String[] typeAndBody) -> new Whole(Kind.TRANSIENT,
                new Reply(status, typeAndBody[0], typeAndBody[1])));
  }

  private static Gen<Mutation> rpcErrors() {
    return oneOf(
        // Warming up (-28) is transient: retried.
        constant(new ItemMutation(Kind.TRANSIENT, "warming up", (JsonArray items) -> {
          for (int i = 0; i < items.size(); i++) {
            items.getJsonObject(i).put("result", null).put("error", new JsonObject()
                .put("code", -28).put("message", "Loading block index..."));
          }
          return items;
        })),
        pick(List.of(-5, -8, -1)).map((Integer code) -> new ItemMutation(Kind.RPC_ERROR,
            "error " + code, (JsonArray items) -> {
              items.getJsonObject(0).put("result", null).put("error", new JsonObject()
                  .put("code", code).put("message", "no such thing"));
              return items;
            })));
  }

  /** One to four items of {@code minBytes} to 3000 bytes, or of 80. */
  private static Gen<List<byte[]>> blocks(int minBytes) {
    Gen<Byte> anyByte = bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
    Gen<byte[]> block = oneOf(byteArrays(intsIn(minBytes, 3_000), anyByte),
        byteArrays(constant(80), anyByte));
    return lists().of(block).ofSizeBetween(1, 4).map((List<byte[]> l) -> (List<byte[]>)
            new ArrayList<>(l))
        // Sizes and the start of each block: the bytes themselves would fill screens.
        .describedAs((List<byte[]> l) -> l.stream().map((byte[] b) -> b.length + " bytes "
            + HexFormat.of().formatHex(b, 0, Math.min(8, b.length)) + "...").toList().toString());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
