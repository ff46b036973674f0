package io.daemonverticle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * scripts/dv --cluster sends on the event bus with the deadline it was given, and without
 * --timeout asks for none (the service's own), as it does over HTTP. A stand-in consumer on
 * the address answers with the header it got.
 */
@ExtendWith(VertxExtension.class)
class DaemonCliClientTest {

  @Test
  void withoutTimeoutTheRequestCarriesNoDeadline(Vertx vertx, VertxTestContext ctx) {
    echoTimeoutHeader(vertx, "d1");
    DaemonCli.CliArgs args = DaemonCli.CliArgs.parse(new String[] {"height", "--cluster",
        "--address", "d1"});
    DaemonCli.client(vertx, args).request(Actions.HEIGHT, null)
        .onComplete(ctx.succeeding((Object header) -> ctx.verify(() -> {
          assertThat(header).isEqualTo("none");
          ctx.completeNow();
        })));
  }

  @Test
  void withTimeoutTheRequestCarriesIt(Vertx vertx, VertxTestContext ctx) {
    echoTimeoutHeader(vertx, "d2");
    DaemonCli.CliArgs args = DaemonCli.CliArgs.parse(new String[] {"height", "--cluster",
        "--address", "d2", "--timeout", "2500"});
    DaemonCli.client(vertx, args).request(Actions.HEIGHT, null)
        .onComplete(ctx.succeeding((Object header) -> ctx.verify(() -> {
          assertThat(header).isEqualTo("2500");
          ctx.completeNow();
        })));
  }

  private static void echoTimeoutHeader(Vertx vertx, String address) {
    vertx.eventBus().<JsonObject>consumer(address, (Message<JsonObject> message) -> {
      String header = message.headers().get(Actions.TIMEOUT_HEADER);
      message.reply(header == null ? "none" : header);
    });
  }
}
