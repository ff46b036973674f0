package io.daemonverticle.impl.http;

import static io.daemonverticle.impl.http.HttpFront.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.bus.BusCodecs;
import io.daemonverticle.impl.bus.LocalServices;
import io.daemonverticle.impl.bus.ReplyBufferCodec;
import io.daemonverticle.impl.bus.RequestBodyCodec;
import io.daemonverticle.impl.service.ServiceGroup;
import io.daemonverticle.impl.time.TimeSource;
import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /actions/{action} over real HTTP on 127.0.0.1: JSON replies, rawBlocks as the bus's
 * bytes, each failure code as its status with the part that answered named in the body
 * ("service": the DaemonVerticle's own answer; "http": the front's), the timeout-ms header
 * passed through, broadcasts only when allowed.
 */
@ExtendWith(VertxExtension.class)
class HttpActionsTest {

  @Test
  void actionsAnswerTheirJson(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 12)
        .compose((FakeDaemon fake) -> HttpFront.deploy(vertx, Deployments.config(fake)))
        .compose((HttpFront front) -> front.post(Actions.HEIGHT, null)
            .compose((HttpResponse<Buffer> height) -> {
          ctx.verify(() -> {
            assertThat(height.statusCode()).isEqualTo(200);
            assertThat(height.getHeader("content-type")).isEqualTo("application/json");
            assertThat(height.bodyAsString()).isEqualTo("12");
          });
          return front.post(Actions.BLOCK_HEX_HASHES, "{\"first\":1,\"count\":2}");
        }).compose((HttpResponse<Buffer> hashes) -> {
          ctx.verify(() -> {
            assertThat(hashes.statusCode()).isEqualTo(200);
            assertThat(hashes.bodyAsJsonArray()).containsExactly(FakeChain.blockHash(1),
                FakeChain.blockHash(2));
          });
          return front.post(Actions.STATUS, "");
        }))
        .onComplete(ctx.succeeding((HttpResponse<Buffer> status) -> ctx.verify(() -> {
          assertThat(status.statusCode()).isEqualTo(200);
          assertThat(status.bodyAsJsonObject().getString("kind")).isEqualTo("default");
          ctx.completeNow();
        })));
  }

  @Test
  void rawBlocksAreTheBussBytesAsOctetStream(Vertx vertx, VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("hashes", new JsonArray()
        .add(FakeChain.blockHash(3)).add(FakeChain.blockHash(0)).add(FakeChain.blockHash(7)));
    FakeDaemon.bitcoinLike(vertx, 10).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config(fake);
      return HttpFront.deploy(vertx, config).compose((HttpFront front) -> vertx.eventBus()
          .<Buffer>request(config.getString("address"), body,
              new DeliveryOptions().addHeader(Actions.HEADER, Actions.RAW_BLOCKS))
          .compose((Message<Buffer> bus) -> front.post(Actions.RAW_BLOCKS, body.encode())
              .map((HttpResponse<Buffer> http) -> new Object[] {bus.body(), http})));
    }).onComplete(ctx.succeeding((Object[] both) -> ctx.verify(() -> {
      Buffer bus = (Buffer) both[0];
      @SuppressWarnings("unchecked")
      HttpResponse<Buffer> http = (HttpResponse<Buffer>) both[1];
      assertThat(http.statusCode()).isEqualTo(200);
      assertThat(http.getHeader("content-type")).isEqualTo("application/octet-stream");
      assertThat(bus.length()).isGreaterThan(3 * 80);
      assertThat(http.body().getBytes()).isEqualTo(bus.getBytes());
      ctx.completeNow();
    })));
  }

  /**
   * The service answering may be on another node of the cluster: the front asks for the reply
   * codec that saves a rawBlocks reply a copy there, and for nothing on other actions.
   */
  @Test
  void theFrontAsksForTheReplyCodecOnRawBlocksOnly(Vertx vertx, VertxTestContext ctx) {
    Map<String, String> codecAsked = new ConcurrentHashMap<>();
    FakeDaemon.bitcoinLike(vertx, 10).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config(fake);
      vertx.eventBus().addOutboundInterceptor((DeliveryContext<Object> delivery) -> {
        String action = delivery.message().headers().get(Actions.HEADER);
        // The service is in this Vert.x: the front asks it at its local-only address.
        String to = delivery.message().address();
        if ((config.getString("address").equals(to)
            || LocalServices.localAddress(config.getString("address")).equals(to))
            && action != null) {
          codecAsked.put(action,
              String.valueOf(delivery.message().headers().get(ReplyBufferCodec.HEADER)));
        }
        delivery.next();
      });
      return HttpFront.deploy(vertx, config).compose((HttpFront front) -> front.post(
              Actions.RAW_BLOCKS, new JsonObject().put("hashes", new JsonArray()
                  .add(FakeChain.blockHash(3))).encode())
          .compose((HttpResponse<Buffer> blocks) -> {
            ctx.verify(() -> assertThat(blocks.statusCode()).isEqualTo(200));
            return front.post(Actions.HEIGHT, null);
          }));
    }).onComplete(ctx.succeeding((HttpResponse<Buffer> height) -> ctx.verify(() -> {
      assertThat(height.statusCode()).isEqualTo(200);
      assertThat(codecAsked).containsEntry(Actions.RAW_BLOCKS, ReplyBufferCodec.NAME)
          .containsEntry(Actions.HEIGHT, "null");
      ctx.completeNow();
    })));
  }

  @Test
  void eachFailureCodeIsItsStatus(Vertx vertx, VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 10).compose((FakeDaemon fake) -> HttpFront.deploy(vertx,
            Deployments.config(fake)).compose((HttpFront front) ->
        // 400 from the service: a parameter it checks.
        front.post(Actions.BLOCK_HEX_HASHES, "{\"first\":-1,\"count\":2}")
            .compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 400, "service", "first");
          // 400 from the front: the body is no JSON object.
          return front.post(Actions.HEIGHT, "[1,2]");
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 400, "http", "JSON object");
          return front.post(Actions.HEIGHT, "{nope");
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 400, "http", "not JSON");
          // 404 from the service: it knows which actions it serves.
          return front.post("noSuchAction", null);
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 404, "service", "unknown action: noSuchAction");
          return front.post(Actions.SMART_REWARDS, null);
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 404, "service", "not served by daemon kind");
          // 422: the daemon's JSON-RPC error, as the service gives it.
          return front.post(Actions.DESERIALISED_BLOCK,
              "{\"hash\":\"" + "ab".repeat(32) + "\"}");
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 422, "service", "Block not found");
          // The timeout-ms header reaches the service: a bad one is its 400 ...
          return front.post(Actions.HEIGHT, null, headers("timeout-ms", "soon"));
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 400, "service", "timeout-ms header");
          // ... and a short one ends a hanging request early: 503 well before the
          // service's own 3 s deadline.
          fake.failNext(Fault.HANG, Fault.HANG, Fault.HANG, Fault.HANG);
          long started = System.nanoTime();
          return front.post(Actions.HEIGHT, null, headers("timeout-ms", "300"))
              .map((HttpResponse<Buffer> resp) -> {
                ctx.verify(() -> assertThat((System.nanoTime() - started) / 1_000_000)
                    .as("answered by the 300 ms deadline").isLessThan(2_500));
                return resp;
              });
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 503, "service", "");
          // Unknown route and wrong method: the front's.
          return front.get("/nowhere");
        }).compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 404, "http", "no such route");
          return front.get("/actions/height");
        })))
        .onComplete(ctx.succeeding((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 405, "http", "POST");
          ctx.completeNow();
        }));
  }

  @Test
  void noServiceOnTheAddressIs503AndNoAnswerIs504FromTheFront(Vertx vertx,
                                                              VertxTestContext ctx) {
    // The front alone, before an address nobody serves, then one whose consumer never answers.
    DaemonOptions options = new DaemonOptions().setAddress("nobody." + System.nanoTime())
        .setHttpPort(0).setRequestTimeoutMs(100);
    DaemonOptions silent = new DaemonOptions().setAddress("silent." + System.nanoTime())
        .setHttpPort(0).setRequestTimeoutMs(100);
    vertx.eventBus().consumer(silent.getAddress(), (Message<Object> message) -> { });
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DaemonHttpVerticle nobody = new DaemonHttpVerticle(options,
        ServiceGroup.of(vertx, options.getAddress(), (ServiceGroup g) -> { }), registry,
        options::getRequestTimeoutMs, TimeSource.of(vertx));
    DaemonHttpVerticle quiet = new DaemonHttpVerticle(silent,
        ServiceGroup.of(vertx, silent.getAddress(), (ServiceGroup g) -> { }), registry,
        silent::getRequestTimeoutMs, TimeSource.of(vertx));
    vertx.deployVerticle(nobody).compose((String id) -> vertx.deployVerticle(quiet))
        .compose((String id) -> HttpFront.at(vertx, nobody.actualPort()).post(Actions.HEIGHT, null))
        .compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 503, "http", "no DaemonVerticle serves");
          return HttpFront.at(vertx, quiet.actualPort()).post(Actions.HEIGHT, null);
        })
        .onComplete(ctx.succeeding((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 504, "http", "did not answer within");
          ctx.completeNow();
        }));
  }

  @Test
  void broadcastsAreRefusedUnlessAllowed(Vertx vertx, VertxTestContext ctx) {
    String tx = "{\"rawTx\":\"0100aabb\"}";
    FakeDaemon.bitcoinLike(vertx, 5).compose((FakeDaemon fake) -> HttpFront.deploy(vertx,
            Deployments.config(fake))
        .compose((HttpFront refusing) -> refusing.post(Actions.BROADCAST_TRANSACTION, tx))
        .compose((HttpResponse<Buffer> r) -> {
          expect(ctx, r, 403, "http", "httpAllowBroadcast");
          ctx.verify(() -> assertThat(fake.methods()).doesNotContain("sendrawtransaction"));
          return HttpFront.deploy(vertx, Deployments.config(fake)
              .put("httpAllowBroadcast", true));
        })
        .compose((HttpFront allowing) -> allowing.post(Actions.BROADCAST_TRANSACTION, tx))
        .map((HttpResponse<Buffer> r) -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
            assertThat(fake.methods()).contains("sendrawtransaction");
          });
          return r;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  static void expect(VertxTestContext ctx, HttpResponse<Buffer> response, int status,
                     String source, String text) {
    ctx.verify(() -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
      assertThat(response.getHeader("content-type")).isEqualTo("application/json");
      JsonObject body = response.bodyAsJsonObject();
      assertThat(body.getInteger("code")).isEqualTo(status);
      assertThat(body.getString("source")).isEqualTo(source);
      assertThat(body.getString("message")).contains(text);
    });
  }

  @Test
  void aReplyThatCannotBeEncodedIsAJson500FromTheFront(Vertx vertx, VertxTestContext ctx) {
    // A reply the front cannot write as JSON (here a value Jackson has no mapping for; in the
    // review, a 60 MB mempool under a small heap) is answered, not left hanging.
    DaemonOptions options = new DaemonOptions().setAddress("unencodable." + System.nanoTime())
        .setHttpPort(0);
    BusCodecs.registerOn(vertx.eventBus());
    vertx.eventBus().consumer(options.getAddress(), (Message<Object> message) ->
        message.reply(new JsonObject().put("thread", new Object()),
            new DeliveryOptions().setCodecName(RequestBodyCodec.NAME)));
    DaemonHttpVerticle front = new DaemonHttpVerticle(options,
        ServiceGroup.of(vertx, options.getAddress(), (ServiceGroup g) -> { }),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), options::getRequestTimeoutMs,
        TimeSource.of(vertx));
    LogCapture log = LogCapture.start();
    vertx.deployVerticle(front)
        .compose((String id) -> HttpFront.at(vertx, front.actualPort()).post(Actions.STATUS, null))
        .onComplete(ctx.succeeding((HttpResponse<Buffer> r) -> ctx.verify(() -> {
          log.close();
          assertThat(r.statusCode()).isEqualTo(500);
          assertThat(r.bodyAsJsonObject().getString("source")).isEqualTo("http");
          assertThat(r.bodyAsJsonObject().getString("message")).contains("could not be encoded");
          assertThat(log.linesWith("could not be encoded")).hasSize(1);
          ctx.completeNow();
        })));
  }
}
