package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonKind;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which kind serves is checked by what it does, not by the name {@code status} echoes: five
 * requests whose RPC calls (or answers) differ between the nine kinds. A kind wired to the
 * wrong class shows another kind's fingerprint.
 */
@ExtendWith(VertxExtension.class)
class KindBehaviourTest {

  private static final int TIP = 10;
  private static final String HASH = FakeChain.blockHash(3);

  /** What each kind does with the five probes (see {@link #fingerprint}). */
  private static final Map<DaemonKind, String> EXPECTED = new EnumMap<>(DaemonKind.class);

  static {
    String plainBlocks = "deserialisedBlock: getblock [\"" + HASH + "\",true]"
        + " | rawBlocks: getblock [\"" + HASH + "\",false]";
    String legacyBlocks = "deserialisedBlock: getblock [\"" + HASH + "\",true]"
        + " | rawBlocks: getblock [\"" + HASH + "\"]";
    String smartFee = "estimateFee: [estimatesmartfee]";
    String fixedFee = "estimateFee: []";
    EXPECTED.put(DaemonKind.DEFAULT, "height: 10 | masternodeList: 404 | " + smartFee + " | "
        + plainBlocks);
    EXPECTED.put(DaemonKind.DASH, "height: 10 | masternodeList: masternodelist | " + smartFee
        + " | " + plainBlocks);
    EXPECTED.put(DaemonKind.SMARTCASH, "height: 10 | masternodeList: smartnodelist | "
        + smartFee + " | " + plainBlocks);
    EXPECTED.put(DaemonKind.ZCOIN_MTP, "height: 10 | masternodeList: znodelist | " + smartFee
        + " | " + plainBlocks);
    EXPECTED.put(DaemonKind.DECRED, "height: 9 | masternodeList: 404 | " + smartFee + " | "
        + plainBlocks);
    EXPECTED.put(DaemonKind.FAKE_ESTIMATE_FEE, "height: 10 | masternodeList: 404 | " + fixedFee
        + " | " + plainBlocks);
    EXPECTED.put(DaemonKind.LEGACY, "height: 10 | masternodeList: 404 | " + smartFee + " | "
        + legacyBlocks);
    EXPECTED.put(DaemonKind.FAKE_ESTIMATE_LEGACY, "height: 10 | masternodeList: 404 | "
        + fixedFee + " | " + legacyBlocks);
    EXPECTED.put(DaemonKind.PRE_LEGACY, "height: 10 | masternodeList: 404 | " + smartFee
        + " | deserialisedBlock: getblock [\"" + HASH + "\",false] | rawBlocks: getblock [\""
        + HASH + "\"]");
  }

  @Test
  void everyKindHasAFingerprintOfItsOwn() {
    assertThat(EXPECTED).hasSize(DaemonKind.values().length);
    assertThat(new TreeSet<>(EXPECTED.values())).hasSize(DaemonKind.values().length);
  }

  @ParameterizedTest
  @EnumSource(DaemonKind.class)
  void eachKindByNameDoesWhatThatKindDoes(DaemonKind kind, Vertx vertx, VertxTestContext ctx) {
    JsonObject overrides = coin("Bitcoin", "regtest").put("daemonKind", kind.configName())
        .put("estimateFee", 0.0002).put("relayFee", 0.0001);
    FakeDaemon.bitcoinLike(vertx, TIP)
        .compose((FakeDaemon fake) -> deployAndFingerprint(vertx, fake, overrides))
        .onComplete(ctx.succeeding((String seen) -> ctx.verify(() -> {
          assertThat(seen).isEqualTo(EXPECTED.get(kind));
          ctx.completeNow();
        })));
  }

  @ParameterizedTest
  @CsvSource({
      "Bitcoin, regtest, DEFAULT",
      "Dash, testnet, DASH",
      "SmartCash, mainnet, SMARTCASH",
      "Zcoin, testnet, ZCOIN_MTP",
      "Decred, mainnet, DECRED",
      "Blackcoin, mainnet, LEGACY",
      "EXOS, mainnet, PRE_LEGACY",
      "Peercoin, mainnet, FAKE_ESTIMATE_FEE",
      "GravityZeroCoin, mainnet, FAKE_ESTIMATE_LEGACY"})
  void theCoinTableChoosesAKindThatBehavesAsThatKind(String coinName, String net,
                                                     DaemonKind kind, Vertx vertx,
                                                     VertxTestContext ctx) {
    JsonObject overrides = coin(coinName, net);
    FakeDaemon.bitcoinLike(vertx, TIP)
        .compose((FakeDaemon fake) -> deployAndFingerprint(vertx, fake, overrides))
        .onComplete(ctx.succeeding((String seen) -> ctx.verify(() -> {
          assertThat(seen).isEqualTo(EXPECTED.get(kind));
          ctx.completeNow();
        })));
  }

  /**
   * The height it answers, the RPC method masternodeList calls (or 404 where the kind has no
   * such action), the RPC methods estimateFee calls, and the first call of deserialisedBlock
   * and of rawBlocks, with its parameters. Only the calls matter: the fake's answers to them
   * may be failures for some kinds.
   */
  private static Future<String> deployAndFingerprint(Vertx vertx, FakeDaemon fake,
                                                     JsonObject overrides) {
    JsonObject config = KindHarness.config(fake, overrides);
    return Deployments.deploy(vertx, config)
        .compose((String id) -> fingerprint(vertx, config.getString("address"), fake));
  }

  private static Future<String> fingerprint(Vertx vertx, String address, FakeDaemon fake) {
    List<String> parts = new ArrayList<>();
    return ask(vertx, address, Actions.HEIGHT, null).map((Object h) -> {
      parts.add("height: " + h);
      return null;
    })
        .compose((Object v) -> probe(vertx, address, fake, Actions.MASTERNODE_LIST,
            new JsonObject().put("params", new JsonArray()), false).map((String first) -> {
              parts.add("masternodeList: " + first);
              return null;
            }))
        .compose((Object v) -> {
          int from = fake.calls().size();
          return ask(vertx, address, Actions.ESTIMATE_FEE, new JsonObject().put("blocks", 2))
              .transform((AsyncResult<Object> ar) -> {
                TreeSet<String> methods = new TreeSet<>(fake.methods().subList(from,
                    fake.calls().size()));
                parts.add("estimateFee: " + methods);
                return Future.succeededFuture();
              });
        })
        .compose((Object v) -> probe(vertx, address, fake, Actions.DESERIALISED_BLOCK,
            new JsonObject().put("hash", HASH), true).map((String first) -> {
              parts.add("deserialisedBlock: " + first);
              return null;
            }))
        .compose((Object v) -> probe(vertx, address, fake, Actions.RAW_BLOCKS,
            new JsonObject().put("hashes", new JsonArray().add(HASH)), true).map((String first) -> {
              parts.add("rawBlocks: " + first);
              return null;
            }))
        .map((Object v) -> String.join(" | ", parts));
  }

  /** The first RPC call the action made (with params when asked), or its failure code. */
  private static Future<String> probe(Vertx vertx, String address, FakeDaemon fake,
                                      String action, JsonObject body, boolean withParams) {
    int from = fake.calls().size();
    return ask(vertx, address, action, body).transform((AsyncResult<Object> ar) -> {
      List<JsonObject> calls = fake.calls();
      if (calls.size() > from) {
        JsonObject call = calls.get(from);
        return Future.succeededFuture(call.getString("method")
            + (withParams ? " " + call.getValue("params") : ""));
      }
      return Future.succeededFuture(ar.cause() instanceof ReplyException e
          ? String.valueOf(e.failureCode()) : "no call");
    });
  }

  private static Future<Object> ask(Vertx vertx, String address, String action,
                                    JsonObject body) {
    return vertx.eventBus().request(address, body, new DeliveryOptions()
            .addHeader(Actions.HEADER, action).addHeader(Actions.TIMEOUT_HEADER, "3000"))
        .map((Message<Object> reply) -> reply.body());
  }
}
