package io.daemonverticle.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's verdict: what it counts as answered, and which requests must succeed. */
class SoakReportTest {

  private static final long S = 1_000_000_000L;
  private static final String URL = "http://rpc:pw-secret@127.0.0.1:1/";

  private static Load.Call call(long sentS, long latencyMs, boolean ok, String failure) {
    return call(sentS, latencyMs, ok, failure, false);
  }

  private static Load.Call call(long sentS, long latencyMs, boolean ok, String failure,
                                boolean http) {
    Load.Call call = new Load.Call("height", sentS * S, http);
    if (latencyMs >= 0) {
      call.doneNanos = call.sentNanos + latencyMs * 1_000_000;
    }
    call.ok = ok;
    call.failure = failure;
    call.message = failure == null ? null : "failed";
    return call;
  }

  private static SoakReport report(List<Load.Call> calls, List<Restarter.Outage> outages) {
    return report(calls, outages, 1);
  }

  private static SoakReport report(List<Load.Call> calls, List<Restarter.Outage> outages,
                                   long reloads) {
    List<Load.Call> withHttp = new ArrayList<>(calls);
    withHttp.add(call(2, 25, true, null, true));
    return new SoakReport(1, 0, 60 * S, withHttp, outages, null,
        new HeapSampler(List.of(), 1000), List.of(), Map.of(), Map.of(), URL, reloads);
  }

  private static List<Restarter.Outage> twoRestarts() {
    return List.of(new Restarter.Outage(30 * S, 33 * S), new Restarter.Outage(60 * S, 62 * S));
  }

  @Test
  void answeredCallsAndShortRestartsPass() {
    List<Load.Call> calls = new ArrayList<>();
    calls.add(call(1, 20, true, null));
    calls.add(call(31, 2500, true, null));
    calls.add(call(40, 30, false, "422"));
    calls.get(2).ok = true; // a broadcast the daemon refused: its answer
    SoakReport report = report(calls, twoRestarts());
    assertThat(report.passed()).as(report.markdown()).isTrue();
  }

  @Test
  void aFailureWhileTheNodeWasUpFails() {
    SoakReport report = report(List.of(call(5, 40, false, "503")), twoRestarts());
    assertThat(report.passed()).isFalse();
    assertThat(report.markdown()).contains("failed: 1");
  }

  @Test
  void aFailureDuringALongOutageIsNotRequiredToSucceed() {
    // Down from 30 s to 45 s: a request sent at 31 s had 5 s of node up-time in its window.
    List<Restarter.Outage> longOne = List.of(new Restarter.Outage(30 * S, 45 * S));
    SoakReport report = report(List.of(call(31, 20_000, false, "503")), longOne);
    assertThat(report.passed()).as(report.markdown()).isTrue();
    assertThat(report.markdown()).contains("others: 1, of which succeeded: 0");
  }

  @Test
  void unansweredLateAndBusTimedOutCallsFail() {
    assertThat(report(List.of(call(1, -1, false, null)), twoRestarts()).passed()).isFalse();
    assertThat(report(List.of(call(1, 26_000, true, null)), twoRestarts()).passed()).isFalse();
    assertThat(report(List.of(call(1, 30_000, false, "TIMEOUT")), twoRestarts()).passed())
        .isFalse();
  }

  @Test
  void noRestartFails() {
    assertThat(report(List.of(call(1, 20, true, null)), List.of()).passed()).isFalse();
  }

  @Test
  void thePasswordInAReplyFails() {
    Load.Call call = call(1, 20, false, "503");
    call.message = "could not reach http://rpc:pw-secret@127.0.0.1:1/";
    SoakReport report = report(List.of(call), List.of(new Restarter.Outage(30 * S, 31 * S)));
    assertThat(report.markdown()).contains("replies or service logs: yes")
        .doesNotContain("pw-secret");
  }

  @Test
  void onlyElectrumXsRetryLinesAtWarnAreTransientFailureReports() {
    assertThat(SoakReport.isDaemonFailureLine("08:46:08.354 WARN  i.d.i.r.FailureLog - "
        + "disconnected: 127.0.0.1:1/ closed the connection.  Retrying occasionally...")).isTrue();
    assertThat(SoakReport.isDaemonFailureLine("08:46:08.354 ERROR i.d.impl.bus.RequestDispatcher"
        + " - safety net answered a request")).isFalse();
  }

  @Test
  void minutesAreChecked() {
    assertThat(Soak.minutes(new String[0])).isEqualTo(10);
    assertThat(Soak.minutes(new String[] {"3"})).isEqualTo(3);
    for (String bad : List.of("0", "1441", "-1", "x", "1.5")) {
      assertThatThrownBy(() -> Soak.minutes(new String[] {bad}))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Soak.minutes(new String[] {"1", "2"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRunWithoutAReloadOrAFailedHttpRequestFails() {
    SoakReport noReload = report(List.of(call(1, 20, true, null)), twoRestarts(), 0);
    assertThat(noReload.passed()).isFalse();
    assertThat(noReload.markdown()).contains("config reloads under load (service-1's file "
        + "edited half-way): 0");
    SoakReport httpFailed = report(List.of(call(5, 40, false, "HttpClosedException", true)),
        twoRestarts());
    assertThat(httpFailed.passed()).isFalse();
    assertThat(httpFailed.markdown()).contains("failed with the node up: 1");
  }
}
