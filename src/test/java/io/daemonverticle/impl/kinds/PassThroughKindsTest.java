package io.daemonverticle.impl.kinds;

import static io.daemonverticle.impl.kinds.KindHarness.calls;
import static io.daemonverticle.impl.kinds.KindHarness.coin;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The masternode-style actions of the dash, smartcash and zcoinMtp kinds: each sends the
 * caller's params to the kind's own RPC name, and a kind without the action answers 404.
 */
@ExtendWith(VertxExtension.class)
class PassThroughKindsTest {

  /** Answers every method it knows with what it was sent, so replies can be checked too. */
  private static Future<FakeDaemon> echoing(Vertx vertx, List<String> methods) {
    return FakeDaemon.start(vertx).map((FakeDaemon fake) -> {
      for (String method : methods) {
        fake.handle(method, (JsonArray params) -> new JsonObject().put("echo", method)
            .put("params", params));
      }
      return fake;
    });
  }

  private static Future<Void> expectActions(VertxTestContext ctx, FakeDaemon fake,
                                            DaemonClient client, Map<String, String> rpcOf) {
    JsonArray params = new JsonArray().add("list").add(7).add(new JsonObject().put("k", true));
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, String> e : rpcOf.entrySet()) {
      chain = chain.compose((Void v) -> {
        fake.resetStats();
        return client.request(e.getKey(), new JsonObject().put("params", params));
      }).map((Object reply) -> {
        ctx.verify(() -> {
          assertThat(reply).isEqualTo(new JsonObject().put("echo", e.getValue())
              .put("params", params));
          assertThat(calls(fake)).containsExactly(e.getValue() + " " + params.encode());
        });
        return null;
      });
    }
    return chain;
  }

  private static Future<Void> expectNotFound(VertxTestContext ctx, DaemonClient client,
                                             String action, String kind) {
    return client.request(action, new JsonObject()).transform((AsyncResult<Object> ar) -> {
      ctx.verify(() -> {
        assertThat(ar.failed()).as(action + " on " + kind).isTrue();
        DaemonException e = (DaemonException) ar.cause();
        assertThat(e.code()).isEqualTo(404);
        assertThat(e.getMessage()).contains(action).contains(kind);
      });
      return Future.succeededFuture();
    });
  }

  @Test
  void dashSendsMasternodeRpcsWithTheCallersParams(Vertx vertx, VertxTestContext ctx) {
    echoing(vertx, List.of("masternodebroadcast", "masternodelist", "protx"))
        .compose((FakeDaemon fake) ->
        KindHarness.deploy(vertx, fake, coin("Dash", "mainnet")).compose((DaemonClient client) ->
            expectActions(ctx, fake, client, Map.of(
                Actions.MASTERNODE_BROADCAST, "masternodebroadcast",
                Actions.MASTERNODE_LIST, "masternodelist",
                Actions.PROTX, "protx"))
                .compose((Void v) -> expectNotFound(ctx, client, Actions.SMART_REWARDS, "dash"))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void smartcashUsesSmartnodeNamesAndHasNoProtx(Vertx vertx, VertxTestContext ctx) {
    echoing(vertx, List.of("smartnodebroadcast", "smartnodelist", "smartrewards", "protx"))
        .compose((FakeDaemon fake) -> KindHarness.deploy(vertx, fake, coin("SmartCash", "mainnet"))
            .compose((DaemonClient client) -> expectActions(ctx, fake, client, Map.of(
                    Actions.MASTERNODE_BROADCAST, "smartnodebroadcast",
                    Actions.MASTERNODE_LIST, "smartnodelist",
                    Actions.SMART_REWARDS, "smartrewards"))
                .compose((Void v) -> expectNotFound(ctx, client, Actions.PROTX, "smartcash"))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void zcoinUsesZnodeNames(Vertx vertx, VertxTestContext ctx) {
    echoing(vertx, List.of("znodebroadcast", "znodelist", "protx")).compose((FakeDaemon fake) ->
        KindHarness.deploy(vertx, fake, coin("Zcoin", "mainnet")).compose((DaemonClient client) ->
            expectActions(ctx, fake, client, Map.of(
                Actions.MASTERNODE_BROADCAST, "znodebroadcast",
                Actions.MASTERNODE_LIST, "znodelist",
                Actions.PROTX, "protx"))
                .compose((Void v) -> expectNotFound(ctx, client, Actions.SMART_REWARDS,
                    "zcoinMtp"))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void missingParamsAreSentAsAnEmptyArrayAndBadOnesRefused(Vertx vertx, VertxTestContext ctx) {
    echoing(vertx, List.of("masternodelist")).compose((FakeDaemon fake) ->
        KindHarness.deploy(vertx, fake, coin("Dash", "mainnet")).compose((DaemonClient client) ->
            client.request(Actions.MASTERNODE_LIST, null).compose((Object reply) -> {
              ctx.verify(() -> assertThat(calls(fake)).containsExactly("masternodelist []"));
              return client.request(Actions.MASTERNODE_LIST,
                  new JsonObject().put("params", "status"));
            }).transform((AsyncResult<Object> ar) -> {
              ctx.verify(() -> {
                assertThat(ar.failed()).isTrue();
                assertThat(((DaemonException) ar.cause()).code()).isEqualTo(400);
                assertThat(ar.cause().getMessage()).contains("params");
                assertThat(calls(fake)).hasSize(1);
              });
              return Future.succeededFuture();
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void thePlainKindHasNoneOfThem(Vertx vertx, VertxTestContext ctx) {
    echoing(vertx, List.of("masternodelist")).compose((FakeDaemon fake) ->
        KindHarness.deploy(vertx, fake, coin("Bitcoin", "mainnet")).compose((DaemonClient client) ->
            expectNotFound(ctx, client, Actions.MASTERNODE_LIST, "default")
                .compose((Void v) -> expectNotFound(ctx, client, Actions.PROTX, "default"))
                .map((Void v) -> {
                  ctx.verify(() -> assertThat(fake.calls()).isEmpty());
                  return v;
                })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDaemonErrorIsAnsweredAs422(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.start(vertx).compose((FakeDaemon fake) -> {
      fake.handle("protx", (JsonArray params) -> {
        throw new FakeDaemon.RpcError(-8, "Invalid parameter");
      });
      return KindHarness.deploy(vertx, fake, coin("Dash", "mainnet"));
    }).compose((DaemonClient client) -> client.request(Actions.PROTX, new JsonObject()
            .put("params", new JsonArray().add("bogus"))))
        .transform((AsyncResult<Object> ar) -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).isTrue();
            assertThat(((DaemonException) ar.cause()).code()).isEqualTo(422);
            assertThat(ar.cause().getMessage()).contains("Invalid parameter");
          });
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
