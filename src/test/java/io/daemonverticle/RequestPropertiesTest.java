package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bad requests on the event bus (jqwik): every action of the contract with parameters of
 * wrong types, out of range, huge arrays, deep nesting, bodies that are no object, unknown
 * actions and bad {@code timeout-ms} headers. Each is answered 400 or 404 by the request layer
 * with a text saying what is wrong, the daemon is asked nothing, and nothing is logged as an
 * error. (jqwik runs on its own JUnit platform engine: one Vert.x and one deployment serve every
 * try, and the tries block on the reply.)
 */
class RequestPropertiesTest {

  private static final int MAX_BATCH = 20;
  private static final String HASH = "00".repeat(32);

  private static Vertx vertx;
  private static FakeDaemon daemon;
  private static String address;
  private static LogCapture log;

  @BeforeContainer
  static void deploy() throws Exception {
    vertx = Vertx.vertx();
    daemon = await(FakeDaemon.bitcoinLike(vertx, 100));
    JsonObject config = Deployments.config(daemon).put("maxBatch", MAX_BATCH);
    address = config.getString("address");
    await(Deployments.deploy(vertx, config));
    log = LogCapture.start();
  }

  @AfterContainer
  static void close() throws Exception {
    if (log != null) {
      log.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Property(tries = 300)
  void badParametersAre400AndAskTheDaemonNothing(@ForAll("badParameters") Request request)
      throws Exception {
    assertRefused(request, 400);
  }

  @Property(tries = 100)
  void aBodyThatIsNoObjectIs400(@ForAll("bodiesThatAreNoObject") Object body,
                                @ForAll("actionsWithParameters") String action) throws Exception {
    assertRefused(new Request(action, body, null), 400);
  }

  @Property(tries = 100)
  void aBadTimeoutHeaderIs400(@ForAll("badTimeouts") String timeout,
                              @ForAll("servedActions") String action) throws Exception {
    assertRefused(new Request(action, null, timeout), 400);
  }

  @Property(tries = 100)
  void anActionNobodyServesIs404(@ForAll("unknownActions") String action,
                                 @ForAll("junk") Object body) throws Exception {
    assertRefused(new Request(action, body instanceof JsonObject ? body : null, null), 404);
  }

  private static void assertRefused(Request request, int code) throws Exception {
    int asked = daemon.httpRequests();
    ReplyException refused = refusal(request);
    assertThat(refused.failureCode()).as("the failure code of %s", request).isEqualTo(code);
    assertThat(refused.getMessage()).as("a text saying what is wrong").isNotBlank()
        .hasSizeLessThan(2_000);
    assertThat(daemon.httpRequests()).as("requests the daemon saw").isEqualTo(asked);
    assertThat(log.lines()).as("log lines at ERROR")
        .noneMatch((String line) -> line.startsWith("ERROR"));
  }

  private static ReplyException refusal(Request request) throws Exception {
    DeliveryOptions options = new DeliveryOptions().addHeader(Actions.HEADER, request.action())
        .setSendTimeout(10_000);
    if (request.timeoutHeader() != null) {
      options.addHeader(Actions.TIMEOUT_HEADER, request.timeoutHeader());
    }
    try {
      Object reply = await(vertx.eventBus().request(address, request.body(), options));
      throw new AssertionError(request + " was answered " + reply + ", not refused");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).as("how %s failed", request).isInstanceOf(ReplyException.class);
      return (ReplyException) e.getCause();
    }
  }

  // ---- what is generated ----

  /** An action, its body and its timeout header (null: none). */
  record Request(String action, Object body, String timeoutHeader) {
    @Override
    public String toString() {
      String text = String.valueOf(body);
      return action + " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text)
          + (timeoutHeader == null ? "" : " timeout-ms=" + timeoutHeader);
    }
  }

  /** For each action with parameters: how each of its parameters can be wrong. */
  private static Map<String, Map<String, Arbitrary<Object>>> wrongParameters() {
    Map<String, Map<String, Arbitrary<Object>>> wrong = new LinkedHashMap<>();
    wrong.put(Actions.BLOCK_HEX_HASHES, Map.of(
        "first", notAWholeNumberUpTo(Integer.MAX_VALUE),
        "count", notAWholeNumberUpTo(MAX_BATCH)));
    wrong.put(Actions.DESERIALISED_BLOCK, Map.of("hash", notAHash()));
    wrong.put(Actions.RAW_BLOCKS, Map.of("hashes", notAHashList()));
    wrong.put(Actions.ESTIMATE_FEE, Map.of(
        "blocks", notAWholeNumberUpTo(Integer.MAX_VALUE),
        "mode", notAFeeMode()));
    wrong.put(Actions.GET_RAW_TRANSACTION, Map.of("txid", notAHash(), "verbose", notABoolean()));
    wrong.put(Actions.GET_RAW_TRANSACTIONS, Map.of("txids", notAHashList(),
        "replaceErrors", notABoolean()));
    wrong.put(Actions.TX_SPENDING_PREVOUT, Map.of("txid", notAHash(),
        "vout", notAWholeNumberUpTo(Integer.MAX_VALUE)));
    wrong.put(Actions.BROADCAST_TRANSACTION, Map.of("rawTx", notARawTx()));
    wrong.put(Actions.BROADCAST_PACKAGE, Map.of("rawTxs", notARawTxList()));
    wrong.put(Actions.TEST_MEMPOOL_ACCEPT, Map.of("rawTxs", notARawTxList()));
    return wrong;
  }

  /** A right value for each parameter, so that a try may get all but one right. */
  private static final Map<String, Object> RIGHT = Map.of(
      "first", 0, "count", 1, "hash", HASH, "hashes", new JsonArray().add(HASH),
      "blocks", 6, "mode", "ECONOMICAL", "txid", HASH, "verbose", false,
      "txids", new JsonArray().add(HASH), "vout", 0);

  @Provide
  Arbitrary<Request> badParameters() {
    Map<String, Map<String, Arbitrary<Object>>> wrong = wrongParameters();
    return Arbitraries.of(new ArrayList<>(wrong.keySet())).flatMap((String action) -> {
      Map<String, Arbitrary<Object>> params = wrong.get(action);
      List<String> names = new ArrayList<>(params.keySet());
      // One parameter is wrong (or missing, when required); each other one right or absent.
      return Arbitraries.of(names).flatMap((String bad) -> {
        Arbitrary<Object> badValue = isOptional(bad) ? params.get(bad)
            : Arbitraries.oneOf(params.get(bad), Arbitraries.just(null));
        return Combinators.combine(badValue, Arbitraries.of(true, false).list()
                .ofSize(names.size()))
            .as((Object value, List<Boolean> keepOthers) -> {
              JsonObject body = new JsonObject();
              for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!name.equals(bad) && (keepOthers.get(i) || !isOptional(name))
                    && RIGHT.containsKey(name)) {
                  body.put(name, RIGHT.get(name));
                }
              }
              if (value != null) {
                body.put(bad, value);
              }
              return new Request(action, body, null);
            });
      });
    });
  }

  private static boolean isOptional(String name) {
    return name.equals("mode") || name.equals("verbose") || name.equals("replaceErrors");
  }

  @Provide
  Arbitrary<String> actionsWithParameters() {
    return Arbitraries.of(new ArrayList<>(wrongParameters().keySet()));
  }

  @Provide
  Arbitrary<String> servedActions() {
    return Arbitraries.of(List.of(Actions.HEIGHT, Actions.CACHED_HEIGHT, Actions.RAW_BLOCKS,
        Actions.NETWORK_INFO, Actions.BROADCAST_TRANSACTION, Actions.STATUS));
  }

  @Provide
  Arbitrary<String> unknownActions() {
    return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            // Actions of other kinds: this one is the default (Bitcoin) kind.
            Arbitraries.of(Actions.MASTERNODE_BROADCAST, Actions.MASTERNODE_LIST, Actions.PROTX,
                Actions.SMART_REWARDS),
            // Near misses of real names.
            Arbitraries.of(new ArrayList<>(Actions.ALL)).map((String a) -> a.toUpperCase()),
            Arbitraries.of(new ArrayList<>(Actions.ALL)).map((String a) -> a + " "))
        .filter((String a) -> !servesByDefault(a));
  }

  private static boolean servesByDefault(String action) {
    return Actions.ALL.contains(action) && !action.equals(Actions.MASTERNODE_BROADCAST)
        && !action.equals(Actions.MASTERNODE_LIST) && !action.equals(Actions.PROTX)
        && !action.equals(Actions.SMART_REWARDS);
  }

  @Provide
  Arbitrary<String> badTimeouts() {
    return Arbitraries.oneOf(
        Arbitraries.longs().lessOrEqual(0).map(String::valueOf),
        Arbitraries.longs().greaterOrEqual(600_001).map(String::valueOf),
        Arbitraries.of("", " ", "1e3", "10.5", "ten", "0x10", "-", "+", "99999999999999999999999",
            "NaN", "Infinity", "1 000"),
        Arbitraries.of("+5", "\u0663", "\uff15"),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(12).filter((String s) -> !s.trim().matches(
            "[0-9]+") || !inRange(s.trim())));
  }

  private static boolean inRange(String digits) {
    try {
      long value = Long.parseLong(digits);
      return value >= 1 && value <= 600_000;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Provide
  Arbitrary<Object> bodiesThatAreNoObject() {
    return junk().filter((Object v) -> v != null && !(v instanceof JsonObject));
  }

  @Provide
  Arbitrary<Object> junk() {
    return Arbitraries.oneOf(scalars(), deepNesting(),
        Arbitraries.lazy(this::junk).list().ofMaxSize(4).map(JsonArray::new),
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), Arbitraries.lazy(RequestPropertiesTest::scalars))
            .ofMaxSize(4).map((Map<String, Object> m) -> new JsonObject(new LinkedHashMap<>(m))));
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(70).map((String s) -> (Object) s),
        Arbitraries.longs().map((Long l) -> (Object) l),
        Arbitraries.doubles().map((Double d) -> (Object) d),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0),
        Arbitraries.of(true, false).map((Boolean b) -> (Object) b));
  }

  /** Arrays or objects nested up to 500 deep, with a scalar at the bottom. */
  private static Arbitrary<Object> deepNesting() {
    return Combinators.combine(Arbitraries.integers().between(1, 500), Arbitraries.of(true, false))
        .as((Integer depth, Boolean arrays) -> {
          Object value = "bottom";
          for (int i = 0; i < depth; i++) {
            value = arrays ? new JsonArray().add(value) : new JsonObject().put("x", value);
          }
          return value;
        });
  }

  private static Arbitrary<Object> notAWholeNumberUpTo(long max) {
    return Arbitraries.oneOf(
        Arbitraries.longs().lessOrEqual(-1).map((Long l) -> (Object) l),
        Arbitraries.longs().greaterOrEqual(max + 1).map((Long l) -> (Object) l),
        Arbitraries.doubles().filter((Double d) -> d != Math.rint(d)).map((Double d) -> (Object) d),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, 1e300),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5).map((String s) -> (Object) s),
        Arbitraries.of(true, false).map((Boolean b) -> (Object) b),
        deepNesting(), hugeArray());
  }

  private static Arbitrary<Object> notAHash() {
    return Arbitraries.oneOf(
        // Hex of another length.
        Arbitraries.strings().withChars("0123456789abcdef").ofMaxLength(130)
            .filter((String s) -> s.length() != 64).map((String s) -> (Object) s),
        // 64 characters with one that is no hex digit.
        Combinators.combine(Arbitraries.integers().between(0, 63),
                Arbitraries.chars().filter((Character c) -> Character.digit(c, 16) < 0 || c > 'f'))
            .as((Integer at, Character c) -> (Object) (HASH.substring(0,
                at) + c + HASH.substring(at + 1))),
        Arbitraries.longs().map((Long l) -> (Object) l),
        Arbitraries.of(true, false).map((Boolean b) -> (Object) b),
        deepNesting(), hugeArray());
  }

  private static Arbitrary<Object> notAHashList() {
    return Arbitraries.oneOf(
        notAHash().filter((Object v) -> !(v instanceof JsonArray)),
        // A list with one bad item among good ones.
        Combinators.combine(Arbitraries.integers().between(0, MAX_BATCH - 1), notAHash())
            .as((Integer at, Object bad) -> {
              JsonArray list = new JsonArray();
              for (int i = 0; i < at; i++) {
                list.add(HASH);
              }
              return (Object) list.add(bad);
            }),
        // Longer than maxBatch, up to 10 000 items.
        Arbitraries.integers().between(MAX_BATCH + 1, 10_000).map((Integer n) -> {
          JsonArray list = new JsonArray(new ArrayList<>(n));
          for (int i = 0; i < n; i++) {
            list.add(HASH);
          }
          return (Object) list;
        }));
  }

  private static Arbitrary<Object> notARawTx() {
    return Arbitraries.oneOf(
        Arbitraries.just((Object) ""),
        Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(99)
            .filter((String s) -> s.length() % 2 == 1).map((String s) -> (Object) s),
        Combinators.combine(Arbitraries.integers().between(0, 63),
                Arbitraries.chars().filter((Character c) -> Character.digit(c, 16) < 0 || c > 'f'))
            .as((Integer at, Character c) -> (Object) (HASH.substring(0,
                at) + c + HASH.substring(at + 1))),
        Arbitraries.longs().map((Long l) -> (Object) l),
        deepNesting());
  }

  private static Arbitrary<Object> notARawTxList() {
    return Arbitraries.oneOf(
        Arbitraries.just((Object) new JsonArray()),
        notARawTx().filter((Object v) -> !(v instanceof JsonArray)),
        notARawTx().map((Object bad) -> (Object) new JsonArray().add("00").add(bad)),
        Arbitraries.integers().between(MAX_BATCH + 1, 5_000).map((Integer n) -> {
          JsonArray list = new JsonArray();
          for (int i = 0; i < n; i++) {
            list.add("00");
          }
          return (Object) list;
        }));
  }

  private static Arbitrary<Object> notAFeeMode() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20).filter((String s) -> !List.of("UNSET", "ECONOMICAL",
            "CONSERVATIVE").contains(s.toUpperCase(java.util.Locale.ROOT)))
                .map((String s) -> (Object) s),
        Arbitraries.longs().map((Long l) -> (Object) l), deepNesting());
  }

  private static Arbitrary<Object> notABoolean() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map((String s) -> (Object) s),
        Arbitraries.longs().map((Long l) -> (Object) l), deepNesting());
  }

  private static Arbitrary<Object> hugeArray() {
    return Arbitraries.integers().between(1_000, 100_000).map((Integer n) -> {
      JsonArray list = new JsonArray(new ArrayList<>(n));
      for (int i = 0; i < n; i++) {
        list.add(i);
      }
      return (Object) list;
    });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
