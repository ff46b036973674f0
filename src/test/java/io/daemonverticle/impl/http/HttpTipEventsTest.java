package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Deployments;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.TipEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /events/tip}: the tip publications as Server-Sent Events, behind the token. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HttpTipEventsTest {

  private static final String TOKEN = "tip-watcher-t0ken";
  private static final int TIP = 40;

  private static String frame(JsonObject event) {
    return "id: " + event.getLong("seq") + "\nevent: tip\ndata: " + event.encode() + "\n\n";
  }

  @Test
  void theStreamCarriesEachTipAsAnEvent(Vertx vertx, VertxTestContext ctx) {
    EventStreamText stream = new EventStreamText();
    HttpClient http = vertx.createHttpClient();
    FakeDaemon.bitcoinLike(vertx, TIP).compose((FakeDaemon fake) -> {
      JsonObject config = Deployments.config(fake).put("heightPollMs", 50)
          .put("tipLongPoll", false).put("httpToken", TOKEN);
      TipEvents tips = new TipEvents(vertx, config.getString("address"));
      return HttpFront.deploy(vertx, config)
          .compose((HttpFront front) -> front.get("/events/tip")
              .compose((HttpResponse<Buffer> refused) -> {
                assertThat(refused.statusCode()).as("the token is needed").isEqualTo(401);
                return tips.awaitCount(1);
              })
              .compose((List<JsonObject> first) -> http.request(new RequestOptions()
                  .setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(front.port)
                  .setURI("/events/tip").putHeader("Authorization", "Bearer " + TOKEN)))
              .compose(request -> request.send())
              .compose((HttpClientResponse response) -> {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
                response.handler(stream::append);
                return stream.contains(": following");
              })
              .compose((Void v) -> {
                fake.setHeight(TIP + 2);
                return tips.awaitCount(3);
              })
              .compose((List<JsonObject> three) -> stream.contains(frame(three.get(2)))
                  .map((Void v) -> {
                    // Both blocks, in order, and nothing from before the stream began.
                    assertThat(stream.text.toString()).startsWith(": following")
                        .endsWith(frame(three.get(1)) + frame(three.get(2)));
                    assertThat(stream.text.toString()).doesNotContain(frame(three.get(0)));
                    return three;
                  })));
    }).andThen(ar -> http.close()).onComplete(ctx.succeedingThenComplete());
  }
}
