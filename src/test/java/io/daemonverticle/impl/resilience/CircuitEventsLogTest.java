package io.daemonverticle.impl.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.LogCapture;
import io.daemonverticle.impl.transport.DaemonUrl;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each circuit change of a URL is one publication and one log line at the level it deserves
 * (WARN opened, DEBUG the probe cycle, INFO closed), the URL without its password; nothing
 * after close. Publications are seen by an outbound interceptor, which the event bus calls
 * within {@code publish}: absence is asserted right after the call that would publish.
 */
class CircuitEventsLogTest {

  private static final DaemonUrl URL = DaemonUrl.parse("http://user:secretpw@127.0.0.1:8332/",
      null, false);
  private static final String LOGGER = CircuitEvents.class.getName();

  private final List<String> published = new ArrayList<>();
  private Vertx vertx;
  private LogCapture log;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      published.add(delivery.message().address() + " " + delivery.message().body());
      delivery.next();
    });
    log = LogCapture.start();
  }

  @AfterEach
  void tearDown() {
    log.close();
    vertx.close().await();
  }

  @Test
  void everyChangeIsPublishedAndLoggedAtItsLevel() {
    CircuitEvents events = new CircuitEvents(vertx, "svc");
    assertThat(CircuitEvents.address("svc")).isEqualTo("svc.circuit");
    TransientFailure refused = new TransientFailure(TransientFailure.Kind.CONNECTION,
        "connection refused");
    events.changed(URL, CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN, refused);
    events.changed(URL, CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN, refused);
    events.changed(URL, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.OPEN, null);
    events.changed(URL, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED, null);
    String url = URL.toString();
    assertThat(url).doesNotContain("secretpw");
    assertThat(published).containsExactly(
        "svc.circuit " + new JsonObject().put("url", url).put("state", "OPEN")
            .put("reason", "connection refused"),
        "svc.circuit " + new JsonObject().put("url", url).put("state", "HALF_OPEN")
            .put("reason", "connection refused"),
        "svc.circuit " + new JsonObject().put("url", url).put("state", "OPEN").putNull("reason"),
        "svc.circuit " + new JsonObject().put("url", url).put("state", "CLOSED")
            .putNull("reason"));
    assertThat(log.linesWith(LOGGER)).containsExactly(
        "WARN " + LOGGER + " - circuit of " + url + " opened: requests go elsewhere or wait "
            + "(last failure: connection refused)",
        "DEBUG " + LOGGER + " - circuit of " + url + " half-open: one request may try it "
            + "(last failure: connection refused)",
        "DEBUG " + LOGGER + " - circuit of " + url + " open again: its probe failed",
        "INFO " + LOGGER + " - circuit of " + url + " closed: it answers again");
  }

  @Test
  void withoutAnAddressItOnlyLogs() {
    CircuitEvents events = new CircuitEvents(vertx, null);
    events.changed(URL, CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN, null);
    assertThat(log.linesWith(LOGGER)).hasSize(1);
    assertThat(published).isEmpty();
  }

  @Test
  void afterCloseNothingIsPublishedOrLogged() {
    CircuitEvents events = new CircuitEvents(vertx, "svc");
    events.close();
    events.changed(URL, CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN, null);
    assertThat(published).isEmpty();
    assertThat(log.linesWith(LOGGER)).isEmpty();
  }
}
