package io.daemonverticle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java wire client keeps its requests in flight the whole pass, as the service's load
 * does: height 10 calls, a daemon that answers only while it holds 10 (fewer once the last are
 * sent) gets a new call after each answer; rest-blocks2 two rounds. A client that sent a window
 * and waited for all of it would stall such a daemon.
 */
@ExtendWith(VertxExtension.class)
class WireClientTest {

  private static final int WINDOW = 10;
  private static final int CALLS = 35;

  @Test
  void heightSendsTheNextCallAsEachAnswerArrives(Vertx vertx, VertxTestContext test)
      throws Throwable {
    Deque<HttpServerRequest> held = new ArrayDeque<>();
    int[] answered = {0};
    int[] most = {0};
    HttpServer server = vertx.createHttpServer().requestHandler((HttpServerRequest request) ->
        request.body().onSuccess(body -> {
          held.add(request);
          most[0] = Math.max(most[0], held.size());
          if (held.size() > WINDOW) {
            test.failNow("more than " + WINDOW + " calls in flight");
            return;
          }
          // The oldest call is answered only while the window is as full as it can be.
          while (!held.isEmpty() && held.size() == Math.min(WINDOW, CALLS - answered[0])) {
            held.poll().response().putHeader("Content-Type", "application/json")
                .end("{\"result\":1000000,\"error\":null,\"id\":1}\n");
            answered[0]++;
          }
        }));
    pass(vertx, test, server, "height " + CALLS, (JsonObject line) -> {
      assertThat(line.getString("mode")).isEqualTo("height" + WireClient.SUFFIX);
      assertThat(line.getLong("units")).isEqualTo(CALLS);
      assertThat(answered[0]).isEqualTo(CALLS);
      assertThat(most[0]).isEqualTo(WINDOW);
    });
  }

  /**
   * One pass of a fresh client against {@code server}, off the event loop; its line checked.
   * A client that waits for a whole window stalls the server's daemon: the pass never ends.
   */
  private static void pass(Vertx vertx, VertxTestContext test, HttpServer server,
                           String command, Consumer<JsonObject> check) throws Throwable {
    int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    vertx.executeBlocking(() -> {
      try (WireClient client = new WireClient(port, 1000)) {
        return client.command(command);
      }
    }).onComplete(test.succeeding((JsonObject line) -> test.verify(() -> {
      check.accept(line);
      test.completeNow();
    })));
    assertThat(test.awaitCompletion(20, TimeUnit.SECONDS)).as("the pass ends").isTrue();
    if (test.failed()) {
      throw test.causeOfFailure();
    }
  }

  /**
   * rest-blocks2 keeps two rounds of 10 REST blocks in flight: a daemon that answers only the
   * older of two whole rounds it holds gets the next round before it answers the other. A
   * client that sent two rounds and waited for both would stall it.
   */
  @Test
  void twoRoundsOfBlocksStayInFlightTheWholePass(Vertx vertx, VertxTestContext test)
      throws Throwable {
    int blocks = 60;
    int rounds = blocks / 10;
    Map<Integer, List<HttpServerRequest>> held = new TreeMap<>();
    int[] answeredRounds = {0};
    int[] mostRounds = {0};
    HttpServer server = vertx.createHttpServer().requestHandler((HttpServerRequest request) -> {
      if (request.method() == HttpMethod.POST) {
        // getblockhash batches: the hash of height h is h in hex.
        request.body().onSuccess((Buffer body) -> {
          JsonArray replies = new JsonArray();
          for (Object call : new JsonArray(body)) {
            JsonObject c = (JsonObject) call;
            String hash = String.format("%064x", c.getJsonArray("params").getInteger(0));
            replies.add(new JsonObject().put("result", hash).putNull("error")
                .put("id", c.getValue("id")));
          }
          request.response().end(replies.encode());
        });
        return;
      }
      int height = Integer.parseInt(request.path().substring("/rest/block/".length(),
          request.path().length() - ".bin".length()), 16);
      held.computeIfAbsent(height / 10, (Integer r) -> new ArrayList<>()).add(request);
      mostRounds[0] = Math.max(mostRounds[0], held.size());
      if (held.size() > 2) {
        test.failNow("more than two rounds in flight");
        return;
      }
      // The older round is answered only while the rounds held are as many as can be, whole.
      while (!held.isEmpty() && held.values().stream()
          .allMatch((List<HttpServerRequest> round) -> round.size() == 10)
          && held.size() == Math.min(2, rounds - answeredRounds[0])) {
        int oldest = held.keySet().iterator().next();
        for (HttpServerRequest get : held.remove(oldest)) {
          get.response().end(Buffer.buffer(new byte[1000]));
        }
        answeredRounds[0]++;
      }
    });
    pass(vertx, test, server, "rest-blocks2 " + blocks, (JsonObject line) -> {
      assertThat(line.getLong("units")).isEqualTo(blocks * 1000L);
      assertThat(answeredRounds[0]).isEqualTo(rounds);
      assertThat(mostRounds[0]).isEqualTo(2);
    });
  }

  /** Replies cut anywhere (a selector reads what is there) are taken whole, one at a time. */
  @Test
  void repliesAreReadFromPiecesOfAnySize() {
    String two = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
        + "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
    byte[] bytes = two.getBytes(StandardCharsets.US_ASCII);
    for (int cut = 1; cut < bytes.length; cut++) {
      ReplyReader reader = new ReplyReader();
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      int ended = 0;
      ByteBuffer first = ByteBuffer.wrap(bytes, 0, cut);
      while (reader.take(first, kept)) {
        ended++;
      }
      assertThat(first.hasRemaining()).as("cut at %d", cut).isFalse();
      ByteBuffer rest = ByteBuffer.wrap(bytes, cut, bytes.length - cut);
      while (reader.take(rest, kept)) {
        ended++;
      }
      assertThat(ended).as("cut at %d", cut).isEqualTo(2);
      assertThat(reader.length()).isZero();
      assertThat(kept.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
    }
  }

  @Test
  void aReplyOtherThan200IsAnError() {
    ByteBuffer reply = ByteBuffer.wrap("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> new ReplyReader().take(reply, null))
        .hasMessageContaining("401");
  }
}
