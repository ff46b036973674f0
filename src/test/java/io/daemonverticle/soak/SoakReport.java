package io.daemonverticle.soak;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The soak's verdict and its table. The checks:
 * <ol>
 *   <li>answered: every request sent was answered by the service (success or a failure with
 *   its code) within its deadline plus {@link #ANSWER_MARGIN_MS}; none still open at the end,
 *   none given up by the event bus (TIMEOUT, NO_HANDLERS);</li>
 *   <li>succeeded while up: a request must succeed when the node was up for at least
 *   {@link #UP_NEEDED_MS} of its deadline window [sent, sent + deadline], "down" being from
 *   the restarter's stop until its start saw the node answer again. With restarts of a few
 *   seconds every 30 s that is every request; broadcasts succeed with the daemon's 422;</li>
 *   <li>heap: each service JVM's heap after a full GC, averaged over the last minute, at most
 *   10 % above its average over the second minute (runs of 3 minutes or more);</li>
 *   <li>no ERROR line in the service JVMs' logs (ElectrumX's "Retrying occasionally..."
 *   reports of failed attempts, which the fault proxies cause on purpose, are WARN and
 *   counted apart);</li>
 *   <li>the node was restarted (at least once a minute, by scripts that never failed);</li>
 *   <li>the rpc password appears in no reply and no service log;</li>
 *   <li>a share of the load went through the service JVMs' HTTP fronts, and service-1's config
 *   was reloaded under load half-way (its log says "reloaded").</li>
 * </ol>
 */
final class SoakReport {

  static final long ANSWER_MARGIN_MS = 5_000;
  static final long UP_NEEDED_MS = 10_000;
  static final double HEAP_GROWTH_LIMIT = 0.10;

  private final int minutes;
  private final long startNanos;
  private final long loadEndNanos;
  private final List<Load.Call> calls;
  private final List<Restarter.Outage> outages;
  private final Exception restarterFailure;
  private final HeapSampler heap;
  private final List<ServiceJvm> services;
  private final Map<String, Long> faultyCounts;
  private final Map<String, Long> flappingCounts;
  private final String password;
  private final long reloads;
  private final List<String> checks = new ArrayList<>();
  private boolean passed = true;

  SoakReport(int minutes, long startNanos, long loadEndNanos, List<Load.Call> calls,
             List<Restarter.Outage> outages, Exception restarterFailure, HeapSampler heap,
             List<ServiceJvm> services, Map<String, Long> faultyCounts,
             Map<String, Long> flappingCounts, String nodeUrl, long reloads) {
    this.minutes = minutes;
    this.reloads = reloads;
    this.startNanos = startNanos;
    this.loadEndNanos = loadEndNanos;
    this.calls = calls;
    this.outages = outages;
    this.restarterFailure = restarterFailure;
    this.heap = heap;
    this.services = services;
    this.faultyCounts = faultyCounts;
    this.flappingCounts = flappingCounts;
    String userInfo = URI.create(nodeUrl).getUserInfo();
    this.password = userInfo.substring(userInfo.indexOf(':') + 1);
    check();
  }

  boolean passed() {
    return passed;
  }

  private void verdict(boolean ok, String what) {
    checks.add("| " + (ok ? "PASS" : "**FAIL**") + " | " + what + " |");
    passed &= ok;
  }

  private void check() {
    long open = calls.stream().filter((Load.Call c) -> c.doneNanos == 0).count();
    long busGaveUp = calls.stream().filter((Load.Call c) -> c.doneNanos != 0 && isBusFailure(c))
        .count();
    long late = calls.stream().filter((Load.Call c) -> c.doneNanos != 0
        && latencyMs(c) > Load.DEADLINE_MS + ANSWER_MARGIN_MS).count();
    long answered = calls.size() - open - busGaveUp - late;
    verdict(open == 0 && busGaveUp == 0 && late == 0, "requests sent " + calls.size()
        + " = answered " + answered + " (never answered: " + open + ", given up by the event "
        + "bus: " + busGaveUp + ", answered after deadline " + Load.DEADLINE_MS / 1000 + " s + "
        + ANSWER_MARGIN_MS / 1000 + " s: " + late + ")");

    long required = 0;
    long requiredFailed = 0;
    long exempt = 0;
    long exemptOk = 0;
    for (Load.Call call : calls) {
      if (upMillis(call) >= UP_NEEDED_MS) {
        // HTTP and event-bus requests alike: a reload must cut neither.
        required++;
        requiredFailed += call.ok ? 0 : 1;
      } else {
        exempt++;
        exemptOk += call.ok ? 1 : 0;
      }
    }
    verdict(requiredFailed == 0, "requests with the node up >= " + UP_NEEDED_MS / 1000
        + " s of their " + Load.DEADLINE_MS / 1000 + " s window: " + required + ", failed: "
        + requiredFailed + " (others: " + exempt + ", of which succeeded: " + exemptOk + ")");

    long overHttp = calls.stream().filter((Load.Call c) -> c.http).count();
    long httpFailed = calls.stream().filter((Load.Call c) -> c.http && !c.ok
        && upMillis(c) >= UP_NEEDED_MS).count();
    verdict(overHttp > 0 && httpFailed == 0, "through the HTTP fronts: " + overHttp
        + " of the requests (1 in " + Load.HTTP_SHARE + "), failed with the node up: "
        + httpFailed);
    verdict(reloads >= 1, "config reloads under load (service-1's file edited half-way): "
        + reloads);

    if (minutes < 3) {
      checks.add("| skipped | heap after GC flat: needs a run of 3 minutes or more (this one: "
          + minutes + ") |");
    } else {
      double totalS = (loadEndNanos - startNanos) / 1e9;
      for (ServiceJvm service : services) {
        OptionalDouble second = heap.meanBytes(service.name(), 60, 120);
        OptionalDouble last = heap.meanBytes(service.name(), totalS - 60, totalS + 1);
        boolean ok = second.isPresent() && last.isPresent()
            && last.getAsDouble() <= second.getAsDouble() * (1 + HEAP_GROWTH_LIMIT);
        verdict(ok, service.name() + " heap after full GC: minute 2 " + mib(second)
            + ", last minute " + mib(last) + " (limit +" + (int) (HEAP_GROWTH_LIMIT * 100)
            + " %)");
      }
    }

    List<String> errors = new ArrayList<>();
    List<String> daemonFailures = new ArrayList<>();
    boolean leaked = false;
    for (ServiceJvm service : services) {
      try {
        for (String line : service.errorLines()) {
          errors.add(service.name() + ": " + line);
        }
        Files.readAllLines(service.log(), StandardCharsets.UTF_8).stream()
            .filter(SoakReport::isDaemonFailureLine)
            .forEach((String line) -> daemonFailures.add(service.name() + ": " + line));
        leaked |= Files.readString(service.log(), StandardCharsets.UTF_8).contains(password);
      } catch (IOException e) {
        errors.add(service.name() + ": cannot read its log: " + e);
      }
    }
    verdict(errors.isEmpty(), "ERROR lines in the service logs: " + errors.size()
        + (errors.isEmpty() ? "" : "; first: `" + shorten(errors.get(0)) + "`"));
    checks.add("| info | daemon trouble reported at WARN (FailureLog, ElectrumX's \"... "
        + "Retrying occasionally...\", caused on purpose by the fault proxies): "
        + daemonFailures.size() + " |");

    long expected = Math.max(1, minutes * 60_000L / Soak.RESTART_PERIOD_MS - 1);
    long longest = outages.stream().mapToLong(Restarter.Outage::millis).max().orElse(0);
    verdict(restarterFailure == null && outages.size() >= expected, "node restarts: "
        + outages.size() + " (expected >= " + expected + "), longest down " + longest + " ms"
        + (restarterFailure == null ? "" : "; restarter failed: " + shorten(
        String.valueOf(restarterFailure))));

    leaked |= calls.stream()
        .anyMatch((Load.Call c) -> c.message != null && c.message.contains(password));
    verdict(!leaked, "the rpc password in replies or service logs: " + (leaked ? "yes" : "no"));
  }

  /**
   * ElectrumX's report of a failed attempt, logged at WARN (the daemon's trouble, not a bug of
   * ours): the fault proxies cause these on purpose. Every ERROR line fails the soak.
   */
  static boolean isDaemonFailureLine(String line) {
    // The logger's name as the pattern abbreviates it (%logger{24}): i.d.i.r.FailureLog.
    return line.contains(" WARN  i.d.i.r.FailureLog - ")
        && line.endsWith(".  Retrying occasionally...");
  }

  private static boolean isBusFailure(Load.Call call) {
    return "TIMEOUT".equals(call.failure) || "NO_HANDLERS".equals(call.failure)
        || "ERROR".equals(call.failure);
  }

  private static long latencyMs(Load.Call call) {
    return (call.doneNanos - call.sentNanos) / 1_000_000;
  }

  /** How long the node was up within the call's deadline window. */
  private long upMillis(Load.Call call) {
    long from = call.sentNanos;
    long to = from + Load.DEADLINE_MS * 1_000_000;
    long down = 0;
    for (Restarter.Outage outage : outages) {
      down += Math.max(0, Math.min(to, outage.toNanos()) - Math.max(from, outage.fromNanos()));
    }
    return (to - from - down) / 1_000_000;
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("## Soak: ").append(minutes).append(" min, ").append(Soak.CONCURRENCY)
        .append(" requests in flight, node restarted every ")
        .append(Soak.RESTART_PERIOD_MS / 1000).append(" s\n\n");
    out.append("| check | result |\n|---|---|\n");
    checks.forEach((String line) -> out.append(line).append('\n'));
    out.append("\n| action | sent | succeeded | failed | p50 ms | p99 ms |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    Map<String, List<Load.Call>> byAction = new TreeMap<>();
    calls.forEach((Load.Call c) -> byAction.computeIfAbsent(c.action,
        (String k) -> new ArrayList<>()).add(c));
    byAction.put("all", calls);
    byAction.forEach((String action, List<Load.Call> list) -> {
      long ok = list.stream().filter((Load.Call c) -> c.ok).count();
      long[] latencies = list.stream().filter((Load.Call c) -> c.doneNanos != 0)
          .mapToLong(SoakReport::latencyMs).sorted().toArray();
      out.append("| ").append(action).append(" | ").append(list.size()).append(" | ")
          .append(ok).append(" | ").append(list.size() - ok).append(" | ")
          .append(percentile(latencies, 0.50)).append(" | ")
          .append(percentile(latencies, 0.99)).append(" |\n");
    });
    Map<String, List<Load.Call>> byCode = new TreeMap<>();
    calls.stream().filter((Load.Call c) -> c.failure != null)
        .forEach((Load.Call c) -> byCode.computeIfAbsent(c.action + " " + c.failure,
            (String k) -> new ArrayList<>()).add(c));
    out.append("\n| failures: action, code | count | counted as | first message |\n")
        .append("|---|---:|---|---|\n");
    if (byCode.isEmpty()) {
      out.append("| none | 0 | | |\n");
    }
    byCode.forEach((String key, List<Load.Call> list) -> out.append("| ").append(key).append(" | ")
        .append(list.size()).append(" | ").append(list.get(0).ok ? "the daemon's answer"
            : "failure").append(" | ").append(shorten(list.get(0).message)).append(" |\n"));
    out.append("\nfault proxy (URL 1): ").append(faultyCounts)
        .append("; flapping proxy (URL 2): ").append(flappingCounts).append('\n');
    return out.toString();
  }

  private static String percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return "-";
    }
    int at = (int) Math.ceil(p * sorted.length) - 1;
    return Long.toString(sorted[Math.max(0, Math.min(sorted.length - 1, at))]);
  }

  private static String mib(OptionalDouble bytes) {
    return bytes.isPresent() ? String.format("%.1f MiB", bytes.getAsDouble() / (1 << 20))
        : "no sample";
  }

  /** One table cell: one line, no '|', the password (should it have leaked) masked. */
  private String shorten(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replace(password, "***").replace('|', '/').replace('\n', ' ');
    return line.length() <= 140 ? line : line.substring(0, 140) + "...";
  }
}
