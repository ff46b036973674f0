package io.daemonverticle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java wire client's height keeps 10 calls in flight the whole pass, as the service's load
 * does: a daemon that answers only while it holds 10 (fewer once the last are sent) gets a new
 * call after each answer. A client that sent 10 and waited for all 10 would stall it.
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
    Checkpoint everyCallAnswered = test.checkpoint();
    Checkpoint passReported = test.checkpoint();
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
            if (++answered[0] == CALLS) {
              everyCallAnswered.flag();
            }
          }
        }));
    int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    vertx.executeBlocking(() -> {
      try (WireClient client = new WireClient(port, 1000)) {
        return client.command("height " + CALLS);
      }
    })
        .onComplete(test.succeeding((JsonObject line) -> test.verify(() -> {
          assertThat(line.getString("mode")).isEqualTo("height" + WireClient.SUFFIX);
          assertThat(line.getLong("units")).isEqualTo(CALLS);
          assertThat(answered[0]).isEqualTo(CALLS);
          assertThat(most[0]).isEqualTo(WINDOW);
          passReported.flag();
        })));
    assertThat(test.awaitCompletion(20, TimeUnit.SECONDS))
        .as("the pass ends (a client that waits for a whole window stalls here)").isTrue();
    if (test.failed()) {
      throw test.causeOfFailure();
    }
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
