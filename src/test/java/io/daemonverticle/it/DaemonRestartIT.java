package io.daemonverticle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.testing.Answered;
import io.daemonverticle.testing.Deployments;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real node goes away under a deployed service and comes back on the same port with the
 * same key: requests meanwhile are answered 503 at their deadline, later ones succeed again
 * with no restart of the verticle.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class DaemonRestartIT {

  private static final long DEADLINE_MS = 2000;

  @RegisterExtension
  static final OneRegtestNode REGTEST = new OneRegtestNode(4);

  @Test
  void unavailableWhileDownThenServedAgain(Vertx vertx, VertxTestContext ctx) {
    RegtestNode node = REGTEST.node();
    JsonObject config = Deployments.realNodeConfig(node.url());
    String address = config.getString("address");
    DaemonClient client = DaemonClient.create(vertx, address);
    DaemonClient shortDeadline = DaemonClient.create(vertx, address, DEADLINE_MS);
    WebClient web = RegtestNode.webClient(vertx);
    Deployments.deploy(vertx, config)
        .compose((String id) -> client.height())
        .compose((Integer h) -> {
          ctx.verify(() -> assertThat(h).isEqualTo(4));
          return RegtestNode.blocking(vertx, () -> {
            node.stop();
            return null;
          });
        })
        .compose((Object stopped) -> {
          long started = System.nanoTime();
          List<Future<?>> whileDown = List.of(
              shortDeadline.height(),
              shortDeadline.blockHexHashes(0, 2),
              shortDeadline.mempoolHashes(),
              shortDeadline.estimateFee(2, null));
          return Future.join(whileDown).transform((AsyncResult<CompositeFuture> ar) -> {
            ctx.verify(() -> {
              for (Future<?> f : whileDown) {
                assertThat(f.failed()).as("answered while the node is down").isTrue();
                // From the retry loop (or estimateFee's shared probe), naming the node's URL
                // it could not reach: not the dispatcher's safety net.
                assertThat(f.cause()).isInstanceOf(DaemonException.class);
                assertThat(((DaemonException) f.cause()).code()).isEqualTo(503);
                assertThat(f.cause().getMessage()).doesNotContain(Answered.SAFETY_NET);
                assertThat(f.cause().getMessage()).doesNotContain(node.apiKey());
              }
              // Not before their deadline: the service kept trying until then.
              assertThat(System.nanoTime() - started)
                  .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS))
                  .as("by the deadline, well before the safety net's 2 s margin")
                  .isLessThan(TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS + 1_500));
            });
            return RegtestNode.blocking(vertx, node::restart);
          });
        })
        // The chain lived in memory: the node is back with only its genesis block.
        .compose((RegtestNode restarted) -> client.height())
        .compose((Integer h) -> node.rpc(web, "getblockcount").map((Object direct) -> {
          ctx.verify(() -> assertThat(h).isEqualTo(((Number) direct).intValue()));
          return null;
        }))
        .compose((Object v) -> client.blockHexHashes(0, 1))
        .compose((List<String> hashes) -> node.rpc(web, "getblockhash", 0).map((Object genesis) -> {
          ctx.verify(() -> assertThat(hashes).containsExactly((String) genesis));
          return null;
        }))
        .compose((Object v) -> client.status())
        .map((JsonObject status) -> {
          ctx.verify(() -> {
            assertThat(status.getString("currentUrl")).isEqualTo(node.publicUrl());
            // Four 503s: height, blockHexHashes and mempoolHashes from the retry loop,
            // estimateFee's from the deadline of its shared estimatesmartfee probe.
            assertThat(status.getJsonObject("counters").getLong("unavailable"))
                .isGreaterThanOrEqualTo(4);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
