package io.daemonverticle.impl.metrics;

import io.daemonverticle.ActionSpec;
import io.daemonverticle.impl.bus.RequestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times each answered event-bus request by action and outcome ({@code ok} or the failure
 * code) and counts the bytes of blocks served (the actions whose declared reply is bytes). Meters of the same name and tags are one meter
 * in a registry, so the instances of a service add up in it by themselves.
 */
public final class RequestMeter implements RequestListener {

  /** A name the service does not serve: one tag value, so a caller cannot grow the series. */
  static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final String address;
  private final Counter blockBytes;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  public RequestMeter(MeterRegistry registry, String address) {
    this.registry = registry;
    this.address = address;
    this.blockBytes = Counter.builder("daemon.blocks.served")
        .baseUnit("bytes")
        .description("bytes of framed blocks answered to rawBlocks")
        .tag("address", address)
        .register(registry);
  }

  /** An action the service does not serve is counted as {@value #UNKNOWN}. */
  @Override
  public void answered(ActionSpec spec, int code, long startedNanos, Object reply) {
    String name = spec != null ? spec.name() : UNKNOWN;
    String outcome = code == 0 ? "ok" : Integer.toString(code);
    timers.computeIfAbsent(name + ' ' + outcome, k -> Timer.builder("daemon.requests")
            .description("event-bus requests answered, by action and outcome")
            .tags("address", address, "action", name, "outcome", outcome)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry))
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    if (spec != null && spec.binaryReply() && reply instanceof Buffer framed) {
      blockBytes.increment(framed.length());
    }
  }
}
