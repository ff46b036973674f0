package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values written into the shared map by something else than the service (a member of the
 * cluster with other code, a probe), as issue 29's review did: each is written straight into
 * the map the service uses, and the service must answer as if the entry were absent, replace
 * it, and say so once at WARN. In one JVM the map is Vert.x's local shared data, the same code
 * as on Hazelcast.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SharedMapPoisoningTest {

  private static final int TIP = 80;
  /**
   * A lease that would run for 30 years: the probe's far-future lease (Long.MAX_VALUE ms
   * would not do: it overflows when counted in nanoseconds, and so runs out at once).
   */
  static final String FORGED_LEASE = TimeUnit.DAYS.toMillis(30 * 365) + "|forged|elsewhere";

  private LogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.start();
  }

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  private static Future<AsyncMap<String, Object>> sharedMap(Vertx vertx, String address) {
    return vertx.sharedData().getAsyncMap("daemon-verticle:" + address);
  }

  /** The first publication on the address's height topic, once it comes. */
  private static Future<JsonObject> firstPublication(Vertx vertx, String address) {
    Promise<JsonObject> first = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(
        address + Actions.HEIGHT_TOPIC_SUFFIX, (Message<JsonObject> m) -> first.tryComplete(
            m.body()));
    return consumer.completion().compose((Void v) -> first.future()
        .timeout(15, TimeUnit.SECONDS)
        .andThen(ar -> consumer.unregister()));
  }

  private List<String> warningsAbout(String address) {
    return logs.lines().stream()
        .filter((String line) -> line.startsWith("WARN") && line.contains(address))
        .toList();
  }

  private void nothingWorseThanWarnings() {
    assertThat(logs.lines()).noneMatch((String line) -> line.startsWith("ERROR"))
        .noneMatch((String line) -> line.contains("ClassCastException"));
  }

  @Test
  void aStringWhereTheHeightBelongsIsNoHeightUntilTheDaemonGivesOne(Vertx vertx,
                                                                     VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> sharedMap(vertx, s.address)
        .compose((AsyncMap<String, Object> map) -> map.put("height", "not a height")
            .compose((Void v) -> s.client.cachedHeight())
            .compose((Integer first) -> {
              ctx.verify(() -> assertThat(first).as("no height yet").isNull());
              // Written again, read again: still no height, and no second warning.
              return map.put("height", "not a height");
            })
            .compose((Void v) -> s.client.cachedHeight())
            .compose((Integer second) -> {
              ctx.verify(() -> assertThat(second).isNull());
              Future<JsonObject> published = firstPublication(vertx, s.address);
              return map.put("height", "not a height")
                  .compose((Void v) -> s.client.height())
                  .compose((Integer h) -> published);
            })
            .compose((JsonObject published) -> {
              ctx.verify(() -> assertThat(published)
                  .isEqualTo(new JsonObject().put("height", TIP).putNull("previous")));
              return s.client.cachedHeight();
            })
            .map((Integer cached) -> {
              ctx.verify(() -> {
                assertThat(cached).isEqualTo(TIP);
                assertThat(warningsAbout(s.address)).hasSize(1)
                    .allMatch((String line) -> line.contains("height"));
                nothingWorseThanWarnings();
              });
              return cached;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void infosOfAnotherTypeAreAskedAgainForRelayFeeNetworkInfoAndMempoolInfo(Vertx vertx,
                                                                          VertxTestContext ctx) {
    double relayFee = FakeChain.MIN_FEE.doubleValue();
    Service.start(vertx, TIP).compose((Service s) -> sharedMap(vertx, s.address)
        .compose((AsyncMap<String, Object> map) -> map.put("networkInfo", "not network info")
            .compose((Void v) -> s.client.relayFee())
            .compose((Double fee) -> {
              ctx.verify(() -> assertThat(fee).isEqualTo(relayFee));
              return map.put("networkInfo", "not network info");
            })
            .compose((Void v) -> s.ask(Actions.NETWORK_INFO, null))
            .compose((Object info) -> {
              ctx.verify(() -> {
                assertThat(info).isInstanceOf(JsonObject.class);
                assertThat(((JsonObject) info).getDouble("relayfee")).isEqualTo(relayFee);
              });
              return map.put("mempoolInfo", 42);
            })
            .compose((Void v) -> s.ask(Actions.MEMPOOL_INFO, null))
            .map((Object info) -> {
              ctx.verify(() -> {
                assertThat(info).isInstanceOf(JsonObject.class);
                assertThat(((JsonObject) info).getDouble("minrelaytxfee")).isEqualTo(relayFee);
                assertThat(warningsAbout(s.address)).hasSize(2)
                    .anyMatch((String line) -> line.contains("networkInfo"))
                    .anyMatch((String line) -> line.contains("mempoolInfo"));
                nothingWorseThanWarnings();
              });
              return info;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * An info written without a TTL (as a plain put does) would be served for ever: the service
   * must not take it for a fresh one.
   */
  @Test
  void anInfoWrittenWithoutItsExpiryIsAskedAgain(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> sharedMap(vertx, s.address)
        .compose((AsyncMap<String, Object> map) -> map.put("networkInfo",
                new JsonObject().put("relayfee", 999))
            .compose((Void v) -> s.client.relayFee())
            .map((Double fee) -> {
              ctx.verify(() -> {
                assertThat(fee).isEqualTo(FakeChain.MIN_FEE.doubleValue());
                assertThat(s.fake.methods()).contains("getnetworkinfo");
                assertThat(warningsAbout(s.address)).hasSize(1);
              });
              return fee;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void thePollerPublishesOverAStringWhereTheHeightBelongs(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.poisoned.height." + System.nanoTime();
    sharedMap(vertx, address)
        .compose((AsyncMap<String, Object> map) -> map.put("height", "not a height"))
        .compose((Void v) -> {
          Future<JsonObject> published = firstPublication(vertx, address);
          return FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) ->
                  Service.deploy(vertx, fake, (JsonObject c) -> c.put("address", address)
                      .put("heightPollMs", 50)))
              .compose((Service s) -> published.map((JsonObject first) -> {
                ctx.verify(() -> {
                  assertThat(first)
                      .isEqualTo(new JsonObject().put("height", TIP).putNull("previous"));
                  nothingWorseThanWarnings();
                });
                return first;
              }));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPollerLeaseRunningForAgesIsTakenOver(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.poisoned.lease." + System.nanoTime();
    sharedMap(vertx, address).compose((AsyncMap<String, Object> map) ->
            map.put("heightPoller.lease", FORGED_LEASE)
                .compose((Void v) -> {
                  Future<JsonObject> published = firstPublication(vertx, address);
                  return FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) ->
                          Service.deploy(vertx, fake, (JsonObject c) -> c.put("address", address)
                              .put("heightPollMs", 50)))
                      .compose((Service s) -> published);
                })
                .compose((JsonObject first) -> map.get("heightPoller.lease")))
        .onComplete(ctx.succeeding((Object lease) -> ctx.verify(() -> {
          assertThat(lease).as("the poller's own lease").isNotNull().isNotEqualTo(FORGED_LEASE);
          assertThat(warningsAbout(address)).hasSize(1)
              .allMatch((String line) -> line.contains("heightPoller.lease"));
          ctx.completeNow();
        })));
  }

  @Test
  void aCacheLeaseRunningForAgesIsTakenOver(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> sharedMap(vertx, s.address)
        .compose((AsyncMap<String, Object> map) -> map.put("networkInfo.lease", FORGED_LEASE))
        .compose((Void v) -> s.client.relayFee())
        .map((Double fee) -> {
          ctx.verify(() -> {
            assertThat(fee).isEqualTo(FakeChain.MIN_FEE.doubleValue());
            assertThat(warningsAbout(s.address)).hasSize(1)
                .allMatch((String line) -> line.contains("networkInfo.lease"));
          });
          return fee;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
