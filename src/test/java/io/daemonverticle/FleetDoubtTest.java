package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 31: daemon URLs that answer but mislead. A URL on another chain (another block 0,
 * another chain name) is quarantined and serves nothing; a URL behind the others is the last
 * choice; the height answered and published never goes down because the service changed URL.
 * Each case with the fault injected into one of two fakes.
 */
@ExtendWith(VertxExtension.class)
class FleetDoubtTest {

  private static final int TIP = 120;
  private static final String OTHER_GENESIS = "ab".repeat(32);

  /** A fake whose block 0 is another chain's. */
  private static FakeDaemon onAnotherChain(FakeDaemon fake) {
    return fake.handle("getblockhash", (JsonArray p) -> p.getInteger(0) == 0 ? OTHER_GENESIS
        : FakeChain.blockHash(p.getInteger(0)));
  }

  private static JsonObject config(FakeDaemon first, FakeDaemon second) {
    return Deployments.config(first.url(Deployments.USER, Deployments.PASSWORD) + ","
        + second.url(Deployments.USER, Deployments.PASSWORD));
  }

  private static Future<DaemonClient> deploy(Vertx vertx, JsonObject config) {
    return Deployments.deploy(vertx, config)
        .map((String id) -> DaemonClient.create(vertx, config.getString("address")));
  }

  @Test
  void aUrlWhoseBlock0IsAnotherChainsIsQuarantinedAndServesNothing(Vertx vertx,
                                                                    VertxTestContext ctx) {
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture both) -> {
          FakeDaemon wrong = onAnotherChain(both.resultAt(0));
          FakeDaemon right = both.resultAt(1);
          return deploy(vertx, config(wrong, right)).compose((DaemonClient client) ->
              client.height().compose((Integer h) -> {
                assertThat(h).isEqualTo(TIP);
                assertThat(wrong.httpRequests()).as("the wrong chain is never asked").isZero();
                assertThat(wrong.probes()).as("but it was checked").isPositive();
                assertThat(right.httpRequests()).isEqualTo(1);
                return client.status();
              })).map((JsonObject status) -> {
                JsonObject first = status.getJsonArray("urls").getJsonObject(0);
                assertThat(first.getString("chainCheck")).isEqualTo("QUARANTINED");
                assertThat(first.getString("quarantined"))
                    .contains("127.0.0.1:" + wrong.port())
                    .contains("its block 0 is " + OTHER_GENESIS)
                    .contains("not " + FakeChain.GENESIS_HASH)
                    .contains("Bitcoin regtest's genesis block");
                assertThat(first.getString("advice")).startsWith("point 127.0.0.1:"
                    + wrong.port() + "/ at a regtest node");
                assertThat(status.getJsonArray("urls").getJsonObject(1)
                    .getString("chainCheck")).isEqualTo("GOOD");
                assertThat(status.getString("currentUrl")).isEqualTo("127.0.0.1:"
                    + right.port() + "/");
                return status;
              });
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aUrlOnAnotherNetByNameIsQuarantinedWithoutAskingBlock0Twice(Vertx vertx,
                                                                  VertxTestContext ctx) {
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture both) -> {
          FakeDaemon mainnet = both.resultAt(0);
          mainnet.chain().chainName("main");
          FakeDaemon right = both.resultAt(1);
          return deploy(vertx, config(mainnet, right)).compose((DaemonClient client) ->
              client.height().compose((Integer h) -> client.status())
                  .map((JsonObject status) -> {
                    JsonObject first = status.getJsonArray("urls").getJsonObject(0);
                    assertThat(first.getString("quarantined")).isEqualTo("127.0.0.1:"
                        + mainnet.port() + "/ is on chain \"main\", not on the configured net "
                        + "regtest");
                    assertThat(first.getString("chain")).isEqualTo("main");
                    assertThat(mainnet.httpRequests()).isZero();
                    return status;
                  }));
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void everyUrlQuarantinedIs503AtOnceNamingTheMismatch(Vertx vertx, VertxTestContext ctx) {
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture both) -> {
          FakeDaemon a = onAnotherChain(both.resultAt(0));
          FakeDaemon b = onAnotherChain(both.resultAt(1));
          JsonObject config = config(a, b).put("requestTimeoutMs", 20_000);
          long started = System.nanoTime();
          return deploy(vertx, config).compose((DaemonClient client) -> client.height())
              .transform(ar -> {
                assertThat(ar.failed()).isTrue();
                DaemonException e = (DaemonException) ar.cause();
                assertThat(e.code()).isEqualTo(503);
                assertThat(e.getMessage()).startsWith("every daemon URL is quarantined: ")
                    .contains("127.0.0.1:" + a.port()).contains("127.0.0.1:" + b.port())
                    .contains("its block 0 is " + OTHER_GENESIS);
                // Answered by the retry loop as soon as it knows, not at the deadline.
                assertThat((System.nanoTime() - started) / 1_000_000L).isLessThan(10_000);
                assertThat(a.httpRequests() + b.httpRequests()).isZero();
                return Future.succeededFuture();
              });
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aQuarantinedUrlPutRightServesAgainAfterThePeriodsLook(Vertx vertx,
                                                            VertxTestContext ctx) {
    FakeDaemon[] fake = new FakeDaemon[1];
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon f) -> {
      fake[0] = onAnotherChain(f);
      JsonObject config = Deployments.config(f).put("heightPollMs", 100);
      return deploy(vertx, config);
    }).compose((DaemonClient client) -> client.height().transform(ar -> {
      assertThat(ar.cause()).hasMessageContaining("quarantined");
      // The operator points the URL at the right node: its block 0 is ours again.
      fake[0].handle("getblockhash", (JsonArray p) -> FakeChain.blockHash(p.getInteger(0)));
      return until(vertx, client, (JsonObject s) -> "GOOD".equals(
          s.getJsonArray("urls").getJsonObject(0).getString("chainCheck")));
    }).compose((JsonObject status) -> {
      assertThat(status.getJsonArray("urls").getJsonObject(0).getString("quarantined"))
          .isNull();
      return client.height();
    })).map((Integer h) -> {
      assertThat(h).isEqualTo(TIP);
      return h;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aUrlBehindIsLeftForOneThatIsNotAndStatusSaysHowFarBehind(Vertx vertx,
                                                               VertxTestContext ctx) {
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP - 20), FakeDaemon.bitcoinLike(vertx, TIP))
        .compose((CompositeFuture both) -> {
          FakeDaemon behind = both.resultAt(0);
          FakeDaemon ahead = both.resultAt(1);
          JsonObject config = config(behind, ahead).put("heightPollMs", 100);
          return deploy(vertx, config).compose((DaemonClient client) ->
              until(vertx, client, (JsonObject s) -> s.getString("currentUrl")
                  .equals("127.0.0.1:" + ahead.port() + "/"))
                  .compose((JsonObject status) -> {
                    JsonObject first = status.getJsonArray("urls").getJsonObject(0);
                    assertThat(first.getInteger("height")).isEqualTo(TIP - 20);
                    assertThat(first.getInteger("behind")).isEqualTo(20);
                    assertThat(first.getBoolean("lagging")).isTrue();
                    assertThat(first.getString("advice")).contains("20 blocks behind");
                    JsonObject second = status.getJsonArray("urls").getJsonObject(1);
                    assertThat(second.getInteger("behind")).isZero();
                    assertThat(second.getBoolean("lagging")).isFalse();
                    // The height poll asked the URL behind while it was still the current
                    // one, and on a loaded machine that getblockcount may reach the fake
                    // only now. Polls never overlap: once the next one has started, the one
                    // in flight when the URL changed has been answered.
                    long polls = status.getLong("heightPolls");
                    return until(vertx, client, (JsonObject s) -> s.getLong("heightPolls")
                        > polls);
                  })
                  .compose((JsonObject status) -> {
                    behind.resetStats();
                    return client.height();
                  })
                  .map((Integer h) -> {
                    assertThat(h).isEqualTo(TIP);
                    // The fleet's watch still looks at it each period (getblockchaininfo):
                    // on a loaded machine one of those may fall in this request's time.
                    assertThat(behind.methods()).as("the URL behind is not asked for requests")
                        .allMatch("getblockchaininfo"::equals);
                    return h;
                  }));
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aUrlBehindServesWhenNoOtherCanAndTheHeightNeverGoesDown(Vertx vertx,
                                                               VertxTestContext ctx) {
    List<Integer> published = new CopyOnWriteArrayList<>();
    Future.all(FakeDaemon.bitcoinLike(vertx, TIP), FakeDaemon.bitcoinLike(vertx, TIP - 20))
        .compose((CompositeFuture both) -> {
          FakeDaemon ahead = both.resultAt(0);
          FakeDaemon behind = both.resultAt(1);
          JsonObject config = config(ahead, behind).put("breakerMaxFailures", 1)
              .put("breakerResetMs", 60_000);
          vertx.eventBus().<JsonObject>consumer(config.getString("address") + ".height",
              m -> published.add(m.body().getInteger("height")));
          return deploy(vertx, config).compose((DaemonClient client) -> client.height()
              .compose((Integer first) -> {
                assertThat(first).isEqualTo(TIP);
                return ahead.setDown(true);
              })
              .compose((Void v) -> client.height())
              .compose((Integer h) -> {
                assertThat(behind.methods()).as("served by the URL behind")
                    .contains("getblockcount");
                assertThat(h).as("not 20 blocks down because the URL changed").isEqualTo(TIP);
                behind.setHeight(TIP + 1);
                return client.height();
              })
              .compose((Integer h) -> {
                assertThat(h).as("up again once the URL serving passes the best")
                    .isEqualTo(TIP + 1);
                behind.setHeight(TIP - 1);
                return client.height();
              })
              .compose((Integer h) -> {
                assertThat(h).as("a lower height told by the URL that gave the best: a reorg")
                    .isEqualTo(TIP - 1);
                return client.cachedHeight();
              })
              .map((Integer cached) -> {
                assertThat(published).as("publications follow the answers, never the URL")
                    .startsWith(TIP).doesNotContain(TIP - 20);
                return cached;
              }));
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aUrlThatWasUnreachableIsCheckedAgainBeforeItServes(Vertx vertx,
                                                          VertxTestContext ctx) {
    FakeDaemon[] fake = new FakeDaemon[1];
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon f) -> {
      fake[0] = f;
      return deploy(vertx, Deployments.config(f));
    }).compose((DaemonClient client) -> client.height().compose((Integer h) -> {
      int checks = fake[0].probes();
      // Another node comes up on the same port: unreachable, then on another chain.
      return fake[0].setDown(true).compose((Void v) -> client.height().transform(ar -> {
        assertThat(ar.failed()).isTrue();
        onAnotherChain(fake[0]);
        return fake[0].setDown(false);
      })).compose((Void v) -> client.height()).transform(ar -> {
        assertThat(ar.failed()).isTrue();
        assertThat(ar.cause()).hasMessageContaining("every daemon URL is quarantined")
            .hasMessageContaining("its block 0 is " + OTHER_GENESIS);
        assertThat(fake[0].probes()).as("checked again after it was unreachable")
            .isGreaterThan(checks);
        return Future.succeededFuture();
      });
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void statusAdvisesRestAndAnUnprunedUrlWhereThatIsWhatWasSeen(Vertx vertx,
                                                               VertxTestContext ctx) {
    FakeDaemon[] fake = new FakeDaemon[1];
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon f) -> {
      fake[0] = f.withRest(false);
      return deploy(vertx, Deployments.config(f).put("heightPollMs", 100));
    }).compose((DaemonClient client) -> client.rawBlocks(List.of(FakeChain.blockHash(2)))
        .compose(blocks -> until(vertx, client, (JsonObject s) -> s.getJsonArray("urls")
            .getJsonObject(0).getString("advice") != null))
        .compose((JsonObject status) -> {
          assertThat(status.getJsonArray("urls").getJsonObject(0).getString("advice"))
              .isEqualTo("127.0.0.1:" + fake[0].port() + "/ does not serve REST (404): start "
                  + "it with -rest=1 for blocks at the wire's speed (JSON-RPC hex is used "
                  + "meanwhile)");
          fake[0].chain().pruneHeight(10);
          return until(vertx, client, (JsonObject s) -> Integer.valueOf(10).equals(
              s.getJsonArray("urls").getJsonObject(0).getInteger("pruneHeight")));
        })
        .map((JsonObject status) -> {
          assertThat(status.getJsonArray("urls").getJsonObject(0).getString("advice"))
              .as("pruned comes before REST").isEqualTo("127.0.0.1:" + fake[0].port()
                  + "/ is pruned below height 10: add an unpruned URL for older blocks");
          return status;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The status, asked again every 50 ms until it passes {@code test} (10 s at most). */
  private static Future<JsonObject> until(Vertx vertx, DaemonClient client,
                                          Predicate<JsonObject> test) {
    Promise<JsonObject> done = Promise.promise();
    long deadline = System.nanoTime() + 10_000_000_000L;
    Runnable[] ask = new Runnable[1];
    ask[0] = () -> client.status().onComplete(ar -> {
      if (ar.succeeded() && test.test(ar.result())) {
        done.complete(ar.result());
      } else if (System.nanoTime() - deadline > 0) {
        done.fail(new AssertionError("status never passed: " + (ar.succeeded() ? ar.result()
            : ar.cause())));
      } else {
        vertx.setTimer(50, t -> ask[0].run());
      }
    });
    ask[0].run();
    return done.future();
  }
}
