package org.osmetrics.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Memory of this JVM during one stage: the peak heap (sum of the heap pools' peaks, garbage included),
 * the largest live heap seen right after a garbage collection, and the peak resident set (VmHWM of
 * /proc/self/status, reset per stage through /proc/self/clear_refs where the kernel allows it).
 * Not thread-safe: one stage at a time.
 */
final class Meter implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** What one stage used. {@code rssSinceStart} is true when the RSS peak could not be reset. */
    record Sample(long peakHeap, long liveHeap, long peakRss, boolean rssSinceStart) {
    }

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
    private final AtomicLong liveAfterGc = new AtomicLong();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long live = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
            liveAfterGc.accumulateAndGet(live, Math::max);
        }
    };
    private boolean rssReset;

    Meter() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
            }
        }
    }

    /** Starts a stage: collects garbage first, so that the previous stage's leftovers do not count. */
    void begin() {
        System.gc();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        liveAfterGc.set(heapUsed());
        rssReset = resetRss();
    }

    /** The figures since {@link #begin()}, without ending the stage. */
    Sample sample() {
        long peakHeap = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return new Sample(peakHeap, liveAfterGc.get(), peakRss(), !rssReset);
    }

    /** The heap in use now (a baseline, after {@link #begin()}'s collection). */
    long heapUsed() {
        return heapPools.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }

    private static boolean resetRss() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            // an older kernel or a restricted /proc: the peak then counts from the JVM's start, and says so
            return false;
        }
    }

    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux: no RSS figure (printed as -)
        }
        return -1;
    }

    @Override
    public void close() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException e) {
                    // never added to this collector: nothing to remove
                }
            }
        }
    }
}
