package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code <address>.height}: {height, previous}, once per change of the daemon's height. */
@ExtendWith(VertxExtension.class)
class HeightPublicationTest {

  private static final int TIP = 50;

  /** Collects publications; {@link #awaitCount} completes once that many have arrived. */
  private static final class Publications {
    final List<JsonObject> received = new ArrayList<>();
    final List<Promise<Void>> waiters = new ArrayList<>();
    final List<Integer> wanted = new ArrayList<>();

    Publications(Vertx vertx, String address) {
      vertx.eventBus().<JsonObject>consumer(address + Actions.HEIGHT_TOPIC_SUFFIX,
          (Message<JsonObject> msg) -> {
        received.add(msg.body());
        for (int i = 0; i < waiters.size(); i++) {
          if (received.size() >= wanted.get(i)) {
            waiters.get(i).tryComplete();
          }
        }
      });
    }

    Future<List<JsonObject>> awaitCount(int count) {
      Promise<Void> promise = Promise.promise();
      if (received.size() >= count) {
        promise.complete();
      } else {
        waiters.add(promise);
        wanted.add(count);
      }
      return promise.future().map((Void v) -> List.copyOf(received));
    }
  }

  private static JsonObject change(int height, Integer previous) {
    return new JsonObject().put("height", height).put("previous", previous);
  }

  @Test
  void onePublicationPerChange(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      Publications pubs = new Publications(vertx, s.address);
      return s.client.cachedHeight()
          .compose((Integer cached) -> {
            assertThat(cached).isNull();
            return s.client.height();
          })
          .compose((Integer h) -> s.client.height())
          .compose((Integer h) -> {
            s.fake.setHeight(TIP + 1);
            return s.client.height();
          })
          .compose((Integer h) -> s.client.height())
          .compose((Integer h) -> pubs.awaitCount(2))
          .compose((List<JsonObject> received) -> {
            assertThat(received).containsExactly(change(TIP, null), change(TIP + 1, TIP));
            return s.client.cachedHeight();
          })
          .compose((Integer cached) -> {
            assertThat(cached).isEqualTo(TIP + 1);
            return s.client.status();
          })
          .map((JsonObject status) -> {
            assertThat(status.getLong("heightPublications")).isEqualTo(2);
            assertThat(pubs.received).hasSize(2);
            return status;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void concurrentHeightCallsAtOneHeightPublishOnce(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      Publications pubs = new Publications(vertx, s.address);
      List<Future<Integer>> heights = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        heights.add(s.client.height());
      }
      return Future.all(heights)
          .compose((CompositeFuture all) -> pubs.awaitCount(1))
          .compose((List<JsonObject> received) -> s.client.status().map((JsonObject status) -> {
            assertThat(status.getLong("heightPublications")).isEqualTo(1);
            assertThat(pubs.received).containsExactly(change(TIP, null));
            return status;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void pollerPublishesWithoutAnyRequest(Vertx vertx, VertxTestContext ctx) {
    String address = "daemon.poll." + System.nanoTime();
    Publications pubs = new Publications(vertx, address);
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) ->
        Service.deploy(vertx, fake, (JsonObject c) -> c.put("address", address).put("heightPollMs",
            50))
            .compose((Service s) -> pubs.awaitCount(1))
            .compose((List<JsonObject> first) -> {
              assertThat(first).containsExactly(change(TIP, null));
              fake.setHeight(TIP + 3);
              return pubs.awaitCount(2);
            })
            .map((List<JsonObject> both) -> {
              assertThat(both).containsExactly(change(TIP, null), change(TIP + 3, TIP));
              // The poll asks the count for the height, and the best block for the tip (the
              // blocks between two tips by their hashes; the long-poll, once, finds the fake
              // lacks it).
              assertThat(fake.methods()).contains("getblockcount").isSubsetOf("getblockcount",
                  "getbestblockhash", "getblockheader", "getblockhash", "waitfornewblock");
              return both;
            })).onComplete(ctx.succeedingThenComplete());
  }
}
