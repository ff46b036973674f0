package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.Fault;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Typed and raw event-bus callers see the same failure: a {@code ReplyException} with the same
 * type, code and text; the typed one adds the daemon's error as {@code debugInfo}. And the
 * typed client waits for the service's own deadline, whatever it is configured to.
 */
@ExtendWith(VertxExtension.class)
class TypedClientFailureTest {

  private static final int TIP = 7;
  private static final String HASH = FakeChain.blockHash(1);

  @Test
  void theDaemonsErrorIsAReplyExceptionWithDebugInfo(Vertx vertx, VertxTestContext ctx) {
    // Long attempts: on a loaded machine an attempt timed out before the error arrived was
    // retried, and the retry answered.
    Service.start(vertx, TIP, (JsonObject c) -> c.put("attemptTimeoutMs", 8_000)
        .put("requestTimeoutMs", 10_000)).compose((Service s) -> {
      s.fake.failNext(Fault.RPC_ERROR(-5, "Block not found"));
      Future<Throwable> typed = s.client.deserialisedBlock(HASH)
          .transform((AsyncResult<JsonObject> ar) -> Future.succeededFuture(ar.cause()));
      Future<Throwable> raw = typed.compose((Throwable t) -> {
        s.fake.failNext(Fault.RPC_ERROR(-5, "Block not found"));
        return rawRequest(vertx, s.address, Actions.DESERIALISED_BLOCK,
            new JsonObject().put("hash", HASH));
      });
      return Future.all(typed, raw).map((CompositeFuture both) -> {
        Throwable t = both.resultAt(0);
        ReplyException r = both.resultAt(1);
        assertThat(t).isInstanceOf(DaemonRpcException.class).isInstanceOf(ReplyException.class);
        DaemonRpcException e = (DaemonRpcException) t;
        assertThat(e.failureType()).isEqualTo(r.failureType())
            .isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(e.failureCode()).isEqualTo(r.failureCode()).isEqualTo(422);
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo(r.getMessage());
        assertThat(e.debugInfo()).isEqualTo(new JsonObject().put("code", -5)
            .put("message", "Block not found"));
        assertThat(new JsonObject(r.getMessage())).isEqualTo(e.debugInfo());
        return e;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aServiceAnswerIsTheSameReplyExceptionForBoth(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      Future<Throwable> typed = s.client.blockHexHashes(-1, 1)
          .transform((AsyncResult<List<String>> ar) -> Future.succeededFuture(ar.cause()));
      Future<Throwable> raw = rawRequest(vertx, s.address, Actions.BLOCK_HEX_HASHES,
          new JsonObject().put("first", -1).put("count", 1));
      return Future.all(typed, raw).map((CompositeFuture both) -> {
        DaemonException e = both.resultAt(0);
        ReplyException r = both.resultAt(1);
        assertThat(e.failureType()).isEqualTo(r.failureType());
        assertThat(e.failureCode()).isEqualTo(r.failureCode()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo(r.getMessage());
        assertThat(e.debugInfo()).isEmpty();
        return e;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anUnreachableServiceIs503KeepingTheEventBusFailure(Vertx vertx, VertxTestContext ctx) {
    DaemonClient.create(vertx, "nobody.home." + System.nanoTime()).height()
        .transform((AsyncResult<Integer> ar) -> Future.succeededFuture(ar.cause()))
        .map((Throwable t) -> {
          DaemonException e = (DaemonException) t;
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
          assertThat(e.debugInfo().getString("failureType")).isEqualTo("NO_HANDLERS");
          return e;
        }).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * The smaller analogue of "a service with requestTimeoutMs 60 s and a daemon answering in
   * 35 s": a service whose deadline is longer than the client's, the daemon slower than the
   * client's own timeout would allow; the default client gets the service's answer.
   */
  @Test
  void theDefaultClientWaitsForTheServicesOwnDeadline(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP, (JsonObject c) -> c.put("requestTimeoutMs", 6_000)
        .put("attemptTimeoutMs", 5_000)).compose((Service s) -> {
          s.fake.failNext(Fault.DELAY(2_500));
          Future<Integer> patient = s.client.height();
          return patient.compose((Integer h) -> {
            assertThat(h).isEqualTo(TIP);
            // The same daemon delay with a client asking for a 1 s deadline: the service
            // answers it 503 by that deadline (a recipient failure, not a bus timeout).
            s.fake.failNext(Fault.DELAY(2_500));
            return DaemonClient.create(vertx, s.address, 1_000).height()
                .transform((AsyncResult<Integer> ar) -> Future.succeededFuture(ar.cause()));
          }).map((Throwable t) -> {
            DaemonException e = (DaemonException) t;
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
            return e;
          });
        }).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Throwable> rawRequest(Vertx vertx, String address, String action,
                                              JsonObject body) {
    return vertx.eventBus().request(address, body,
            new DeliveryOptions().addHeader(Actions.HEADER, action))
        .transform((AsyncResult<Message<Object>> ar) -> Future.succeededFuture(ar.cause()));
  }
}
