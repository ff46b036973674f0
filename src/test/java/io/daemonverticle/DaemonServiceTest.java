package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running service follows edits of its config file: a new daemon URL takes over with no
 * request lost and the requests in flight finishing on the old one; an edit that does not
 * validate, or that only touches restart-only keys, changes nothing that serves.
 */
@ExtendWith(VertxExtension.class)
class DaemonServiceTest {

  /** How often the test's service reads its file again. */
  private static final long SCAN_MS = 100;

  @TempDir
  Path dir;
  private Path file;
  private FakeDaemon first;
  private FakeDaemon second;
  private JsonObject config;
  private String address;

  @BeforeEach
  void daemons(Vertx vertx, VertxTestContext ctx) {
    file = dir.resolve("config.json");
    Future.all(FakeDaemon.bitcoinLike(vertx, 120), FakeDaemon.bitcoinLike(vertx, 120))
        .onComplete(ctx.succeeding((CompositeFuture all) -> {
          first = all.resultAt(0);
          second = all.resultAt(1);
          config = Deployments.config(first).put("requestTimeoutMs", 5000);
          address = config.getString("address");
          ctx.completeNow();
        }));
  }

  @AfterEach
  void close(Vertx vertx, VertxTestContext ctx) {
    Future.all(first.close(), second.close())
        .onComplete((AsyncResult<CompositeFuture> ar) -> ctx.completeNow());
  }

  @Test
  void aNewDaemonUrlTakesOverWithNoRequestLost(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(config);
    // Slow enough that requests are in flight at the old URL when the edit lands.
    first.setLatency(300);
    LogCapture log = LogCapture.start();
    List<Future<Object>> replies = new ArrayList<>();
    Promise<Void> edited = Promise.promise();
    deploy(vertx).onComplete(ctx.succeeding((DaemonService service) -> {
      String before = service.deploymentID();
      DaemonVerticle old = service.verticle();
      // One request every 10 ms for 2 s; the edit goes in after 500 ms.
      long sender = vertx.setPeriodic(10, (Long id) -> replies.add(mempool(vertx)));
      vertx.setTimer(500, (Long id) -> {
        writeQuietly(config.copy().put("daemonUrl", second.url(Deployments.USER,
            Deployments.PASSWORD)), ctx);
        edited.complete();
      });
      vertx.setTimer(2000, (Long id) -> {
        vertx.cancelTimer(sender);
        Future.join(new ArrayList<>(replies))
            .onComplete((AsyncResult<CompositeFuture> ar) -> ctx.verify(() -> {
          int firstCalls = first.calls().size();
          assertThat(replies).allSatisfy((Future<Object> reply) -> assertThat(reply.succeeded())
              .as("every request answered with the mempool: %s", reply.cause()).isTrue());
          assertThat(first.calls()).as("served at the old URL before the edit").isNotEmpty();
          assertThat(second.calls()).as("served at the new URL after it").isNotEmpty();
          assertThat(service.verticle()).as("a new verticle serves").isNotSameAs(old);
          assertThat(log.linesWith("config changed")).anySatisfy((String line) -> assertThat(line)
              .contains("daemonUrl: " + masked(first) + " -> " + masked(second))
              .contains("reloading"));
          assertThat(String.join("\n", log.lines())).doesNotContain(Deployments.PASSWORD);
          log.close();
          // The old verticle is gone once its last request is answered; the old URL
          // takes no new call (a request made after it went is answered by the new one).
          awaitUndeployed(vertx, old, () -> mempool(vertx)
              .onComplete(ctx.succeeding((Object last) -> ctx.verify(() -> {
                assertThat(vertx.deploymentIDs()).contains(before)
                    .contains(service.verticle().deploymentID())
                    .doesNotContain(old.deploymentID());
                assertThat(first.calls()).hasSize(firstCalls);
                ctx.completeNow();
              }))));
        }));
      });
    }));
  }

  /**
   * Issue 29, finding 6: a reload logged {@code daemonUrl: ... -> http://rpcuser:se/cret@...}, as
   * the log's own masking stopped at the '/' of the password. From a password with '/' and '@'
   * to one given percent-encoded: the log shows neither, in no form, and says what changed.
   */
  @Test
  void aReloadLogsNoPasswordWhateverItHolds(Vertx vertx, VertxTestContext ctx) throws Exception {
    String user = Deployments.USER;
    first.requireAuth(user, "se/cr@t");
    second.requireAuth(user, "an/oth@r");
    write(config.copy().put("daemonUrl", "http://" + user + ":se/cr@t@127.0.0.1:" + first.port()
        + "/"));
    LogCapture log = LogCapture.start();
    deploy(vertx).onComplete(ctx.succeeding((DaemonService service) -> mempool(vertx)
        .onComplete(ctx.succeeding((Object before) -> {
          writeQuietly(config.copy().put("daemonUrl", "http://" + user + ":an%2Foth%40r@127.0.0.1:"
              + second.port() + "/"), ctx);
          vertx.setPeriodic(50, (Long id) -> {
            if (log.linesWith("reloaded").isEmpty()) {
              return;
            }
            vertx.cancelTimer(id);
            mempool(vertx).onComplete(ctx.succeeding((Object after) -> ctx.verify(() -> {
              assertThat(second.calls()).as("the new password authenticates").isNotEmpty();
              assertThat(log.linesWith("config changed")).singleElement()
                  .satisfies((String line) -> assertThat(line).contains("daemonUrl: http://***@"
                      + "127.0.0.1:" + first.port() + "/ -> http://***@127.0.0.1:"
                      + second.port() + "/"));
              String all = String.join("\n", log.lines());
              for (String password : List.of("se/cr@t", "an/oth@r")) {
                byte[] userPass = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
                assertThat(all).doesNotContain(password)
                    .doesNotContain(password.replace("/", "%2F").replace("@", "%40"))
                    .doesNotContain(password.substring(0, 5))
                    .doesNotContain(Base64.getEncoder().encodeToString(userPass))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(userPass));
              }
              log.close();
              ctx.completeNow();
            })));
          });
        }))));
  }

  @Test
  void aFileThatDoesNotParseIsAWarningAndChangesNothing(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    // Launched with -conf naming the second daemon; the file says the first. A syntax error
    // in the file used to drop its layer silently: the service went back to the second.
    write(config);
    LogCapture log = LogCapture.start();
    DaemonService service = new DaemonService(file, SCAN_MS, Map.of());
    vertx.deployVerticle(service, new DeploymentOptions().setConfig(config.copy()
            .put("daemonUrl", second.url(Deployments.USER, Deployments.PASSWORD))))
        .onComplete(ctx.succeeding((String id) -> {
          DaemonVerticle serving = service.verticle();
          try {
            Files.writeString(file, "{\"daemonUrl\": \"" + first.url() + "\",,}",
                StandardCharsets.UTF_8);
          } catch (Exception e) {
            ctx.failNow(e);
          }
          awaitLog(vertx, log, "cannot be used", () -> mempool(vertx)
              .onComplete(ctx.succeeding((Object reply) -> ctx.verify(() -> {
                assertThat(service.verticle()).isSameAs(serving);
                assertThat(second.calls()).as("still not on the launch config").isEmpty();
                assertThat(first.calls()).isNotEmpty();
                assertThat(log.linesWith("cannot be used")).singleElement()
                    .satisfies((String line) -> assertThat(line).contains("WARN")
                        .contains(file.toString()).contains("not JSON")
                        .contains("nothing changed"));
                log.close();
                ctx.completeNow();
              }))));
        }));
  }

  @Test
  void aFileThatDoesNotParseFailsTheStartNamingIt(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Files.writeString(file, "{\"daemonUrl\": ", StandardCharsets.UTF_8);
    vertx.deployVerticle(new DaemonService(file, SCAN_MS, Map.of()),
            new DeploymentOptions().setConfig(config.copy()))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).hasMessageContaining(file.toString()).hasMessageContaining("not JSON");
          ctx.completeNow();
        })));
  }

  /** Runs {@code then} once a log line with {@code text} is in (checked every 20 ms, 10 s). */
  private static void awaitLog(Vertx vertx, LogCapture log, String text, Runnable then) {
    long start = System.nanoTime();
    vertx.setPeriodic(20, (Long id) -> {
      if (!log.linesWith(text).isEmpty() || System.nanoTime() - start > 10_000_000_000L) {
        vertx.cancelTimer(id);
        then.run();
      }
    });
  }

  @Test
  void anEditThatDoesNotValidateChangesNothing(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(config);
    LogCapture log = LogCapture.start();
    deploy(vertx).onComplete(ctx.succeeding((DaemonService service) -> {
      DaemonVerticle serving = service.verticle();
      writeQuietly(config.copy().put("daemonUrl", second.url()).put("maxRetryMs", -5), ctx);
      vertx.setTimer(SCAN_MS * 8, (Long id) -> mempool(vertx)
          .onComplete(ctx.succeeding((Object reply) ->
          ctx.verify(() -> {
            assertThat(service.verticle()).isSameAs(serving);
            assertThat(vertx.deploymentIDs()).contains(serving.deploymentID());
            assertThat(first.calls()).isNotEmpty();
            assertThat(second.calls()).isEmpty();
            assertThat(log.linesWith("config edit not applied")).singleElement()
                .satisfies((String line) -> assertThat(line).contains("maxRetryMs"));
            log.close();
            ctx.completeNow();
          }))));
    }));
  }

  @Test
  void aRestartOnlyKeyIsLoggedAndNotReloaded(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(config);
    LogCapture log = LogCapture.start();
    deploy(vertx).onComplete(ctx.succeeding((DaemonService service) -> {
      DaemonVerticle serving = service.verticle();
      writeQuietly(config.copy().put("maxBatch", 7), ctx);
      vertx.setTimer(SCAN_MS * 8, (Long id) -> ctx.verify(() -> {
        assertThat(service.verticle()).isSameAs(serving);
        assertThat(log.linesWith("config changed")).singleElement().satisfies((String line) ->
            assertThat(line).contains("maxBatch: (default) -> 7 (takes effect on restart)")
                .contains("nothing to reload"));
        log.close();
        ctx.completeNow();
      }));
    }));
  }

  @Test
  void theHttpFrontAnswersAcrossAReload(Vertx vertx, VertxTestContext ctx) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    JsonObject withFront = config.copy().put("httpPort", port);
    write(withFront);
    WebClient web = WebClient.create(vertx);
    deploy(vertx).onComplete(ctx.succeeding((DaemonService service) -> {
      DaemonVerticle old = service.verticle();
      writeQuietly(withFront.copy().put("daemonUrl", second.url(Deployments.USER,
          Deployments.PASSWORD)), ctx);
      // One front, the service's own, across the swap.
      awaitUndeployed(vertx, old, () -> web.post(port, "127.0.0.1", "/actions/"
          + Actions.MEMPOOL_HASHES).timeout(5000).sendJsonObject(new JsonObject())
          .onComplete(ctx.succeeding((HttpResponse<Buffer> response) -> ctx.verify(() -> {
            assertThat(service.verticle()).isNotSameAs(old);
            assertThat(vertx.deploymentIDs()).doesNotContain(old.deploymentID());
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
            assertThat(second.calls()).isNotEmpty();
            ctx.completeNow();
          }))));
    }));
  }

  @Test
  void everyHttpRequestInFlightDuringAReloadIsAnswered(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    JsonObject withFront = config.copy().put("httpPort", port);
    write(withFront);
    // Slow enough that requests are in flight on the front's keep-alive connections while the
    // old verticle finishes and is undeployed.
    first.setLatency(300);
    WebClient web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(8));
    List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
    deploy(vertx).onComplete(ctx.succeeding((DaemonService service) -> {
      DaemonVerticle old = service.verticle();
      long sender = vertx.setPeriodic(10, (Long id) -> replies.add(web.post(port, "127.0.0.1",
          "/actions/" + Actions.MEMPOOL_HASHES).timeout(10_000)
          .sendJsonObject(new JsonObject())));
      // The edit goes in once the old URL is serving requests (and so has more on the way).
      vertx.setPeriodic(10, (Long id) -> {
        if (first.calls().size() >= 4) {
          vertx.cancelTimer(id);
          writeQuietly(withFront.copy().put("daemonUrl",
              second.url(Deployments.USER, Deployments.PASSWORD)), ctx);
        }
      });
      // Until the old verticle is gone: its undeployment is what closed its front before.
      awaitUndeployed(vertx, old, () -> {
        vertx.cancelTimer(sender);
        Future.join(new ArrayList<>(replies)).onComplete((AsyncResult<CompositeFuture> ar) ->
            ctx.verify(() -> {
              assertThat(replies).hasSizeGreaterThan(20);
              assertThat(replies).allSatisfy((Future<HttpResponse<Buffer>> reply) -> {
                assertThat(reply.succeeded()).as("answered, not cut off: %s", reply.cause())
                    .isTrue();
                assertThat(reply.result().statusCode()).as(reply.result().bodyAsString())
                    .isEqualTo(200);
              });
              assertThat(second.calls()).as("served at the new URL after it").isNotEmpty();
              assertThat(service.httpPort()).isEqualTo(port);
              ctx.completeNow();
            }));
      });
    }));
  }

  /**
   * The verticle a reload retires is undeployed once its requests are answered, and at
   * {@link DaemonService#MAX_DRAIN_MS} at the latest, in virtual time ({@link VirtualTime}):
   * exactly then, not a millisecond before. The reload itself is real (the file is read
   * again every {@link #SCAN_MS}); only the drain's bound is on the virtual clock.
   */
  @Test
  void aRetiringVerticleHoldingARequestIsUndeployedAtTheDrainBound(Vertx vertx,
                                                                   VertxTestContext ctx)
      throws Exception {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    // A request the old daemon never answers stays in flight for the whole test.
    JsonObject config = this.config.copy().put("requestTimeoutMs", Actions.MAX_TIMEOUT_MS)
        .put("attemptTimeoutMs", Actions.MAX_TIMEOUT_MS);
    write(config);
    DaemonVerticle[] old = new DaemonVerticle[1];
    AtomicReference<Future<Object>> held = new AtomicReference<>();
    AtomicReference<DaemonService> running = new AtomicReference<>();
    deploy(vertx, time)
        .compose((DaemonService service) -> {
          running.set(service);
          old[0] = service.verticle();
          first.failNext(Fault.HANG);
          held.set(mempool(vertx));
          return time.once(() -> first.methods().contains("getrawmempool"));
        })
        .compose((Void v) -> {
          toSecond(config, ctx);
          // The new verticle serves and the old one drains: its bound is set.
          return time.once(() -> time.pending() == 1);
        })
        .compose((Void v) -> time.advance(DaemonService.MAX_DRAIN_MS - 1))
        .compose((Void v) -> {
          ctx.verify(() -> {
            assertThat(time.delaysSet()).containsExactly(DaemonService.MAX_DRAIN_MS);
            assertThat(running.get().verticle()).isNotSameAs(old[0]);
            assertThat(vertx.deploymentIDs()).as("still draining")
                .contains(old[0].deploymentID());
            assertThat(held.get().isComplete()).isFalse();
          });
          return time.advance(1);
        })
        // Undeploying answers what it still held.
        .compose((Void v) -> held.get().transform((AsyncResult<Object> ar) -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).as("answered by the undeployment").isTrue();
            assertThat(ar.cause()).hasMessageContaining("stopping");
          });
          return time.once(() -> !vertx.deploymentIDs().contains(old[0].deploymentID()));
        }))
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(vertx.deploymentIDs()).contains(running.get().verticle().deploymentID());
          ctx.completeNow();
        })));
  }

  @Test
  void aRetiringVerticleWithNothingInFlightGoesAtOnceAndItsBoundWithIt(Vertx vertx,
                                                                       VertxTestContext ctx)
      throws Exception {
    VirtualTime time = new VirtualTime(vertx.getOrCreateContext());
    write(config);
    DaemonVerticle[] old = new DaemonVerticle[1];
    deploy(vertx, time)
        .compose((DaemonService service) -> {
          old[0] = service.verticle();
          toSecond(config, ctx);
          return time.once(() -> !vertx.deploymentIDs().contains(old[0].deploymentID()));
        })
        .onComplete(ctx.succeeding((Void v) -> ctx.verify(() -> {
          assertThat(time.delaysSet()).as("the bound was set")
              .containsExactly(DaemonService.MAX_DRAIN_MS);
          assertThat(time.pending()).as("and cancelled").isZero();
          assertThat(time.nowMs()).isZero();
          ctx.completeNow();
        })));
  }

  /** Runs {@code then} once {@code verticle} is undeployed (checked every 50 ms, 10 s at most). */
  private static void awaitUndeployed(Vertx vertx, DaemonVerticle verticle, Runnable then) {
    long start = System.nanoTime();
    vertx.setPeriodic(50, (Long id) -> {
      if (!vertx.deploymentIDs().contains(verticle.deploymentID())
          || System.nanoTime() - start > 10_000_000_000L) {
        vertx.cancelTimer(id);
        // A last request on each connection after the old front would have closed.
        then.run();
      }
    });
  }

  /** The fake's URL as the log shows it: credentials masked. */
  private static String masked(FakeDaemon daemon) {
    return "http://***@" + FakeDaemon.HOST + ":" + daemon.port() + "/";
  }

  private Future<DaemonService> deploy(Vertx vertx) {
    return deploy(vertx, null);
  }

  /** Deploys a service on {@code time} (null: the real one) following the test's file. */
  private Future<DaemonService> deploy(Vertx vertx, VirtualTime time) {
    DaemonService service = new DaemonService(file, SCAN_MS, Map.of(), time);
    return vertx.deployVerticle(service, new DeploymentOptions()
        .setConfig(new JsonObject().put("coin", "Bitcoin"))).map((String id) -> service);
  }

  private Future<Object> mempool(Vertx vertx) {
    return vertx.eventBus().request(address, new JsonObject(),
        new DeliveryOptions().addHeader(Actions.HEADER, Actions.MEMPOOL_HASHES)
            .setSendTimeout(10_000)).map((Message<Object> m) -> m.body());
  }

  private void write(JsonObject json) throws Exception {
    Files.writeString(file, json.encodePrettily(), StandardCharsets.UTF_8);
  }

  /** Edits the file to {@code base} with the second daemon's URL: a reload. */
  private void toSecond(JsonObject base, VertxTestContext ctx) {
    writeQuietly(base.copy().put("daemonUrl", second.url(Deployments.USER,
        Deployments.PASSWORD)), ctx);
  }

  private void writeQuietly(JsonObject json, VertxTestContext ctx) {
    try {
      write(json);
    } catch (Exception e) {
      ctx.failNow(e);
    }
  }
}
