package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.bus.Action;
import io.daemonverticle.impl.bus.Params;
import io.daemonverticle.impl.bus.RequestDispatcher;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.testing.Answered;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dispatcher's safety net stays as the last resort: should an action never answer, the
 * request still gets 503 shortly after its deadline, and the net says at ERROR, naming the
 * action, that this is a bug (every wait should be ended by the code that owns it).
 */
@ExtendWith(VertxExtension.class)
class SafetyNetTest {

  @Test
  void aStuckActionIsAnswered503AndLoggedAsABug(Vertx vertx, VertxTestContext ctx) {
    LogCapture logs = LogCapture.start();
    String address = "safety.net.test." + System.nanoTime();
    Map<String, Action> actions = Map.of("stuck", (Params params, Deadline deadline) ->
        Promise.promise().future(), "quick", (Params params,
            Deadline deadline) -> Future.succeededFuture(1));
    vertx.runOnContext((Void v) -> {
      RequestDispatcher dispatcher = new RequestDispatcher(vertx, actions, "default", 5_000);
      // A request answered at once, with the same deadline: its safety net goes with it.
      vertx.eventBus().consumer(address, dispatcher::handle).completion()
          .compose((Void registered) -> vertx.eventBus().request(address, null,
              new DeliveryOptions()
              .addHeader(Actions.HEADER, "quick").addHeader(Actions.TIMEOUT_HEADER, "100")))
          .compose((Message<Object> answered) -> vertx.eventBus().request(address, null,
              new DeliveryOptions()
              .addHeader(Actions.HEADER, "stuck").addHeader(Actions.TIMEOUT_HEADER, "100")
              .setSendTimeout(10_000)))
          .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
            DaemonException failure = DaemonException.fromReply(e);
            assertThat(failure.code()).isEqualTo(503);
            assertThat(failure.getMessage()).contains(Answered.SAFETY_NET);
            assertThat(logs.linesWith("safety net")).singleElement().satisfies((String line) ->
                assertThat(line).startsWith("ERROR").contains("stuck").contains("bug"));
            logs.close();
            ctx.completeNow();
          })));
    });
  }
}
