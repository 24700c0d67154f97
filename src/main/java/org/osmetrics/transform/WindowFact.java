package org.osmetrics.transform;

import java.time.Instant;
import java.util.UUID;

/**
 * One server's usage in one window of the grid: the row of the fact table.
 *
 * @param hours       {@code (double) micros / 1e6 / 3600}, the way Nova computes hours
 * @param provisional true when the window was still open when Nova answered (its end after Nova's stop)
 */
public record WindowFact(
        UUID instanceId,
        String projectId,
        Instant windowStart,
        Instant windowEnd,
        String flavor,
        int vcpus,
        int memoryMb,
        int localGb,
        long micros,
        double hours,
        double vcpuHours,
        double memoryMbHours,
        double localGbHours,
        String state,
        boolean provisional) {
}
