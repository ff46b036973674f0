package io.daemonverticle.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Every period, the heap each service JVM still uses after a full collection (jcmd GC.run,
 * then GC.heap_info), on a thread of its own: jcmd blocks for a second or so.
 */
final class HeapSampler {

  /** One reading: service, seconds since the load began, bytes after a full GC. */
  record Sample(String service, double atS, long bytes) {
  }

  private final List<ServiceJvm> services;
  private final long periodMs;
  private final List<Sample> samples = new ArrayList<>();
  private volatile boolean stopping;
  private Thread thread;

  HeapSampler(List<ServiceJvm> services, long periodMs) {
    this.services = List.copyOf(services);
    this.periodMs = periodMs;
  }

  void start(long startNanos) {
    thread = new Thread(() -> run(startNanos), "soak-heap");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(long startNanos) {
    try {
      while (!stopping) {
        synchronized (this) {
          wait(periodMs);
        }
        for (ServiceJvm service : services) {
          if (stopping) {
            return;
          }
          long bytes = service.heapAfterFullGc();
          double at = (System.nanoTime() - startNanos) / 1e9;
          if (bytes >= 0) {
            synchronized (samples) {
              samples.add(new Sample(service.name(), at, bytes));
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() throws InterruptedException {
    stopping = true;
    synchronized (this) {
      notifyAll();
    }
    if (thread != null) {
      thread.join(150_000);
    }
  }

  List<Sample> samples() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  /** The mean of a service's readings taken from {@code fromS} to {@code toS}, seconds. */
  OptionalDouble meanBytes(String service, double fromS, double toS) {
    return samples().stream()
        .filter((Sample s) -> s.service().equals(service) && s.atS() >= fromS && s.atS() < toS)
        .mapToLong(Sample::bytes).average();
  }
}
