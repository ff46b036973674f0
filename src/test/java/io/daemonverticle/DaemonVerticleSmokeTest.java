package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DaemonVerticleSmokeTest {

  @Test
  void heightAndRawBlocks(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 12).compose((FakeDaemon daemon) -> {
      JsonObject config = Deployments.config(daemon);
      DaemonClient client = DaemonClient.create(vertx, config.getString("address"));
      return Deployments.deploy(vertx, config)
          .compose((String id) -> client.height())
          .compose((Integer h) -> {
            ctx.verify(() -> assertThat(h).isEqualTo(12));
            return client.rawBlocks(List.of(FakeChain.blockHash(3), FakeChain.blockHash(5)));
          })
          .map((List<Buffer> blocks) -> {
            ctx.verify(() -> {
              assertThat(blocks).hasSize(2);
              assertThat(blocks.get(0).getBytes()).isEqualTo(
                  HexFormat.of().parseHex(FakeChain.rawBlockHex(3)));
            });
            return blocks;
          })
          .compose((List<Buffer> b) -> client.status())
          .map((JsonObject status) -> {
            ctx.verify(() -> assertThat(status.encode()).doesNotContain(Deployments.PASSWORD));
            return status;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
