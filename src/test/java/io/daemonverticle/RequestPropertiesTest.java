package io.daemonverticle;

import static io.daemonverticle.testing.PropertyChecks.brief;
import static io.daemonverticle.testing.PropertyChecks.check;
import static io.daemonverticle.testing.PropertyChecks.chars;
import static io.daemonverticle.testing.PropertyChecks.doubles;
import static io.daemonverticle.testing.PropertyChecks.fractions;
import static io.daemonverticle.testing.PropertyChecks.intsIn;
import static io.daemonverticle.testing.PropertyChecks.longsIn;
import static io.daemonverticle.testing.PropertyChecks.strings;
import static io.daemonverticle.testing.PropertyChecks.stringsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.maps;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.PropertyChecks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random bad requests on the event bus (QuickTheories): every action of the contract with
 * parameters of wrong types, out of range, huge arrays, deep nesting, bodies that are no object,
 * unknown actions and bad {@code timeout-ms} headers. Each is answered 400 or 404 by the request
 * layer with a text saying what is wrong, the daemon is asked nothing, and nothing is logged as
 * an error. One Vert.x and one deployment serve every try of the class, and the tries block on
 * the reply: hundreds of deployments would take longer than the tries themselves. A failure
 * names the smallest bad request found and the seed ({@code -DQT_SEED=} replays it).
 */
class RequestPropertiesTest {

  private static final int MAX_BATCH = 20;
  private static final String HASH = "00".repeat(32);
  private static final String HEX = "0123456789abcdef";

  private static Vertx vertx;
  private static FakeDaemon daemon;
  private static String address;
  private static LogCapture log;

  @BeforeAll
  static void deploy() throws Exception {
    vertx = Vertx.vertx();
    daemon = await(FakeDaemon.bitcoinLike(vertx, 100));
    JsonObject config = Deployments.config(daemon).put("maxBatch", MAX_BATCH);
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
  void badParametersAre400AndAskTheDaemonNothing() {
    check(300, badParameters(), (Request request) -> assertRefused(request, 400));
  }

  @Test
  void aBodyThatIsNoObjectIs400() {
    check(100, bodiesThatAreNoObject(), actionsWithParameters(),
        (Object body, String action) -> assertRefused(new Request(action, body, null), 400));
  }

  @Test
  void aBadTimeoutHeaderIs400() {
    check(100, badTimeouts(), servedActions(),
        (String timeout, String action) -> assertRefused(new Request(action, null, timeout), 400));
  }

  @Test
  void anActionNobodyServesIs404() {
    check(100, unknownActions(), junk(), (String action, Object body) ->
        assertRefused(new Request(action, body instanceof JsonObject ? body : null, null), 404));
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
      return action + " " + brief(body)
          + (timeoutHeader == null ? "" : " timeout-ms=" + timeoutHeader);
    }
  }

  /**
   * For each action with parameters: how each of its parameters can be wrong. In a fixed order,
   * so that a seed draws the same requests in every JVM.
   */
  private static Map<String, Map<String, Gen<Object>>> wrongParameters() {
    Map<String, Map<String, Gen<Object>>> wrong = new LinkedHashMap<>();
    wrong.put(Actions.BLOCK_HEX_HASHES, params(
        "first", notAWholeNumberUpTo(Integer.MAX_VALUE),
        "count", notAWholeNumberUpTo(MAX_BATCH)));
    wrong.put(Actions.DESERIALISED_BLOCK, params("hash", notAHash()));
    wrong.put(Actions.RAW_BLOCKS, params("hashes", notAHashList()));
    wrong.put(Actions.ESTIMATE_FEE, params(
        "blocks", notAWholeNumberUpTo(Integer.MAX_VALUE),
        "mode", notAFeeMode()));
    wrong.put(Actions.GET_RAW_TRANSACTION, params("txid", notAHash(), "verbose", notABoolean()));
    wrong.put(Actions.GET_RAW_TRANSACTIONS, params("txids", notAHashList(),
        "replaceErrors", notABoolean()));
    wrong.put(Actions.TX_SPENDING_PREVOUT, params("txid", notAHash(),
        "vout", notAWholeNumberUpTo(Integer.MAX_VALUE)));
    wrong.put(Actions.BROADCAST_TRANSACTION, params("rawTx", notARawTx()));
    wrong.put(Actions.BROADCAST_PACKAGE, params("rawTxs", notARawTxList()));
    wrong.put(Actions.TEST_MEMPOOL_ACCEPT, params("rawTxs", notARawTxList()));
    return wrong;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Gen<Object>> params(Object... namesAndGens) {
    Map<String, Gen<Object>> params = new LinkedHashMap<>();
    for (int i = 0; i < namesAndGens.length; i += 2) {
      params.put((String) namesAndGens[i], (Gen<Object>) namesAndGens[i + 1]);
    }
    return params;
  }

  /** A right value for each parameter, so that a try may get all but one right. */
  private static final Map<String, Object> RIGHT = Map.of(
      "first", 0, "count", 1, "hash", HASH, "hashes", new JsonArray().add(HASH),
      "blocks", 6, "mode", "ECONOMICAL", "txid", HASH, "verbose", false,
      "txids", new JsonArray().add(HASH), "vout", 0);

  private static Gen<Request> badParameters() {
    Map<String, Map<String, Gen<Object>>> wrong = wrongParameters();
    Gen<Request> requests = pick(new ArrayList<>(wrong.keySet())).flatMap((String action) -> {
      Map<String, Gen<Object>> params = wrong.get(action);
      List<String> names = new ArrayList<>(params.keySet());
      // One parameter is wrong (or missing, when required); each other one right or absent.
      return pick(names).flatMap((String bad) -> {
        Gen<Object> badValue = isOptional(bad) ? params.get(bad)
            : oneOf(params.get(bad), constant((Object) null));
        return badValue.zip(lists().of(booleans().all()).ofSize(names.size()),
            (Object value, List<Boolean> keepOthers) -> {
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
    return requests;
  }

  private static boolean isOptional(String name) {
    return name.equals("mode") || name.equals("verbose") || name.equals("replaceErrors");
  }

  private static Gen<String> actionsWithParameters() {
    return pick(new ArrayList<>(wrongParameters().keySet()));
  }

  private static Gen<String> servedActions() {
    return pick(List.of(Actions.HEIGHT, Actions.CACHED_HEIGHT, Actions.RAW_BLOCKS,
        Actions.NETWORK_INFO, Actions.BROADCAST_TRANSACTION, Actions.STATUS));
  }

  private static Gen<String> unknownActions() {
    // Sorted: Set.of iterates in another order in each JVM, and a seed must replay.
    List<String> all = new ArrayList<>(new TreeSet<>(Actions.ALL));
    return oneOf(
            strings(0, 40),
            // Actions of other kinds: this one is the default (Bitcoin) kind.
            pick(List.of(Actions.MASTERNODE_BROADCAST, Actions.MASTERNODE_LIST, Actions.PROTX,
                Actions.SMART_REWARDS)),
            // Near misses of real names.
            pick(all).map((String a) -> a.toUpperCase(Locale.ROOT)),
            pick(all).map((String a) -> a + " "))
        .assuming((String a) -> !servesByDefault(a));
  }

  private static boolean servesByDefault(String action) {
    return Actions.ALL.contains(action) && !action.equals(Actions.MASTERNODE_BROADCAST)
        && !action.equals(Actions.MASTERNODE_LIST) && !action.equals(Actions.PROTX)
        && !action.equals(Actions.SMART_REWARDS);
  }

  private static Gen<String> badTimeouts() {
    return oneOf(
        longsIn(Long.MIN_VALUE, 0).map((Long l) -> Long.toString(l)),
        longsIn(600_001, Long.MAX_VALUE).map((Long l) -> Long.toString(l)),
        pick(List.of("", " ", "1e3", "10.5", "ten", "0x10", "-", "+", "99999999999999999999999",
            "NaN", "Infinity", "1 000")),
        pick(List.of("+5", "\u0663", "\uff15")),
        strings(1, 12).assuming((String s) -> !s.trim().matches("[0-9]+")
            || !inRange(s.trim())));
  }

  private static boolean inRange(String digits) {
    try {
      long value = Long.parseLong(digits);
      return value >= 1 && value <= 600_000;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Gen<Object> bodiesThatAreNoObject() {
    return junk().assuming((Object v) -> v != null && !(v instanceof JsonObject))
        .describedAs(PropertyChecks::brief);
  }

  private static Gen<Object> junk() {
    // Drawn lazily: a list of junk holds junk, and building that eagerly would never end.
    Gen<Object> nested = (in) -> junk().generate(in);
    return oneOf(scalars(), deepNesting(),
        lists().of(nested).ofSizeBetween(0, 4)
            .map((List<Object> l) -> (Object) new JsonArray(new ArrayList<>(l))),
        maps().of(strings(0, 8), scalars()).ofSizeBetween(0, 4)
            .map((Map<String, Object> m) -> (Object) new JsonObject(new LinkedHashMap<>(m))))
        .describedAs(PropertyChecks::brief);
  }

  private static Gen<Object> scalars() {
    return oneOf(
        strings(0, 70).map((String s) -> (Object) s),
        longsIn(Long.MIN_VALUE, Long.MAX_VALUE).map((Long l) -> (Object) l),
        doubles().map((Double d) -> (Object) d),
        pick(List.<Object>of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -0.0)),
        booleans().all().map((Boolean b) -> (Object) b));
  }

  /** Arrays or objects nested up to 500 deep, with a scalar at the bottom. */
  private static Gen<Object> deepNesting() {
    return intsIn(1, 500).zip(booleans().all(), (Integer depth, Boolean arrays) -> {
      Object value = "bottom";
      for (int i = 0; i < depth; i++) {
        value = arrays ? new JsonArray().add(value) : new JsonObject().put("x", value);
      }
      return value;
    });
  }

  private static Gen<Object> notAWholeNumberUpTo(long max) {
    return oneOf(
        longsIn(Long.MIN_VALUE, -1).map((Long l) -> (Object) l),
        longsIn(max + 1, Long.MAX_VALUE).map((Long l) -> (Object) l),
        fractions().map((Double d) -> (Object) d),
        pick(List.<Object>of(Double.NaN, Double.POSITIVE_INFINITY, 1e300)),
        stringsOf("0123456789", intsIn(1, 5)).map((String s) -> (Object) s),
        booleans().all().map((Boolean b) -> (Object) b),
        deepNesting(), hugeArray());
  }

  private static Gen<Object> notAHash() {
    return oneOf(
        // Hex of another length (0 to 130, all but 64).
        stringsOf(HEX, intsIn(0, 129).map((Integer n) -> n < 64 ? n : n + 1))
            .map((String s) -> (Object) s),
        oneNonHexCharIn64(),
        longsIn(Long.MIN_VALUE, Long.MAX_VALUE).map((Long l) -> (Object) l),
        booleans().all().map((Boolean b) -> (Object) b),
        deepNesting(), hugeArray());
  }

  /** 64 characters with one that is no hex digit. */
  private static Gen<Object> oneNonHexCharIn64() {
    Gen<Character> noHexDigit = chars()
        .assuming((Character c) -> Character.digit(c, 16) < 0 || c > 'f');
    return intsIn(0, 63).zip(noHexDigit, (Integer at, Character c) ->
        (Object) (HASH.substring(0, at) + c + HASH.substring(at + 1)));
  }

  private static Gen<Object> notAHashList() {
    return oneOf(
        notAHash().assuming((Object v) -> !(v instanceof JsonArray)),
        // A list with one bad item among good ones.
        intsIn(0, MAX_BATCH - 1).zip(notAHash(), (Integer at, Object bad) -> {
          JsonArray list = new JsonArray();
          for (int i = 0; i < at; i++) {
            list.add(HASH);
          }
          return (Object) list.add(bad);
        }),
        // Longer than maxBatch, up to 10 000 items.
        intsIn(MAX_BATCH + 1, 10_000).map((Integer n) -> {
          JsonArray list = new JsonArray(new ArrayList<>(n));
          for (int i = 0; i < n; i++) {
            list.add(HASH);
          }
          return (Object) list;
        }));
  }

  private static Gen<Object> notARawTx() {
    return oneOf(
        constant((Object) ""),
        // Hex of odd length, 1 to 99.
        stringsOf(HEX, intsIn(0, 49).map((Integer n) -> 2 * n + 1)).map((String s) -> (Object) s),
        oneNonHexCharIn64(),
        longsIn(Long.MIN_VALUE, Long.MAX_VALUE).map((Long l) -> (Object) l),
        deepNesting());
  }

  private static Gen<Object> notARawTxList() {
    return oneOf(
        // A new one each time: the array of a try is not to be shared with the next.
        (in) -> new JsonArray(),
        notARawTx().assuming((Object v) -> !(v instanceof JsonArray)),
        notARawTx().map((Object bad) -> (Object) new JsonArray().add("00").add(bad)),
        intsIn(MAX_BATCH + 1, 5_000).map((Integer n) -> {
          JsonArray list = new JsonArray();
          for (int i = 0; i < n; i++) {
            list.add("00");
          }
          return (Object) list;
        }));
  }

  private static Gen<Object> notAFeeMode() {
    return oneOf(
        strings(0, 20).assuming((String s) -> !List.of("UNSET", "ECONOMICAL", "CONSERVATIVE")
                .contains(s.toUpperCase(Locale.ROOT)))
            .map((String s) -> (Object) s),
        longsIn(Long.MIN_VALUE, Long.MAX_VALUE).map((Long l) -> (Object) l), deepNesting());
  }

  private static Gen<Object> notABoolean() {
    return oneOf(strings(0, 8).map((String s) -> (Object) s),
        longsIn(Long.MIN_VALUE, Long.MAX_VALUE).map((Long l) -> (Object) l), deepNesting());
  }

  private static Gen<Object> hugeArray() {
    return intsIn(1_000, 100_000).map((Integer n) -> {
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
