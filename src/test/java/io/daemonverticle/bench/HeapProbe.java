package io.daemonverticle.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap still in use right after each garbage collection, the highest since the last reset:
 * what the process held at those moments (the benchmark's -Xmx search gives the heap it
 * actually runs in); and the longest collection, which holds the event loops too (G1's
 * collections as reported here are its pauses).
 */
final class HeapProbe implements NotificationListener {

  private final Set<String> heapPools = new HashSet<>();
  private final AtomicLong peakBytes = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final AtomicLong longestMs = new AtomicLong();

  HeapProbe() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(this, null, null);
      }
    }
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
        .equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc()
        .entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    peakBytes.accumulateAndGet(used, Math::max);
    longestMs.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
    collections.incrementAndGet();
  }

  /** The highest heap in use after a collection since the last reset; 0 when none ran. */
  long peakAfterGcBytes() {
    return peakBytes.get();
  }

  long collections() {
    return collections.get();
  }

  long longestCollectionMs() {
    return longestMs.get();
  }

  void reset() {
    peakBytes.set(0);
    collections.set(0);
    longestMs.set(0);
  }
}
