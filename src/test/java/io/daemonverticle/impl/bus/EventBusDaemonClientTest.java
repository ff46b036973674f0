package io.daemonverticle.impl.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The typed client's wait follows the service: without a timeout of its own it outlasts the
 * longest deadline any service may be configured with (plus the service's safety net), so a
 * service with a long requestTimeoutMs never looks unreachable to it.
 */
class EventBusDaemonClientTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void theDefaultClientWaitsLongerThanAnyServiceMayTake() {
    long longestService = Actions.MAX_TIMEOUT_MS + RequestDispatcher.SAFETY_MARGIN_MS;
    // The longest requestTimeoutMs a service accepts...
    assertThat(new DaemonOptions().setDaemonUrl("http://u:p@127.0.0.1:1/")
        .setRequestTimeoutMs(Actions.MAX_TIMEOUT_MS).validate()).isNotNull();
    // ...is answered, by the safety net at the latest, before this client stops waiting.
    EventBusDaemonClient client = new EventBusDaemonClient(vertx, "daemon", 0);
    assertThat(client.busTimeoutMs()).isGreaterThan(longestService)
        .isGreaterThan(2 * DaemonOptions.DEFAULT_REQUEST_TIMEOUT_MS);
  }

  @Test
  void aClientWithItsOwnTimeoutWaitsForThatDeadlineAndTheSafetyNet() {
    EventBusDaemonClient client = new EventBusDaemonClient(vertx, "daemon", 60_000);
    assertThat(client.busTimeoutMs())
        .isGreaterThan(60_000 + RequestDispatcher.SAFETY_MARGIN_MS)
        .isLessThanOrEqualTo(60_000 + 10_000);
  }

  @Test
  void aTimeoutOutOfRangeIsRefusedWithAClearError() {
    for (long bad : new long[] {0, -1, Actions.MAX_TIMEOUT_MS + 1}) {
      assertThatThrownBy(() -> DaemonClient.create(vertx, "daemon", bad))
          .as("timeoutMs " + bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timeoutMs must be between 1 and " + Actions.MAX_TIMEOUT_MS);
    }
    assertThatThrownBy(() -> new DaemonOptions().setDaemonUrl("http://u:p@127.0.0.1:1/")
        .setRequestTimeoutMs(Actions.MAX_TIMEOUT_MS + 1).validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestTimeoutMs must be at most 600000, not 600001");
  }
}
