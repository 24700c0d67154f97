package org.osmetrics.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimFlavor;
import org.osmetrics.sim.SimInstance;

/** Simulated clouds for the benchmark. */
final class BenchClouds {
    private static final List<SimFlavor> FLAVORS = List.of(
            new SimFlavor("m1.small", 1, 2048, 20, 0),
            new SimFlavor("m1.medium", 2, 4096, 40, 0),
            new SimFlavor("m1.large", 4, 8192, 80, 0),
            new SimFlavor("m1.xlarge", 8, 16384, 160, 0));

    private BenchClouds() {
    }

    /**
     * {@code servers} always-on servers over {@code projects} projects, all launched before {@code launchedBefore}
     * and never deleted: exactly one fact row per server and window of any later range.
     */
    static SimCloud alwaysOn(int projects, int servers, Instant launchedBefore) {
        SimCloud.Builder builder = SimCloud.builder();
        String[] projectIds = new String[projects];
        for (int p = 0; p < projects; p++) {
            projectIds[p] = String.format(Locale.ROOT, "%032x", 0xbe0000L + p);
            builder.project(projectIds[p], String.format(Locale.ROOT, "bench-%03d", p));
        }
        for (int i = 0; i < servers; i++) {
            builder.instance(new SimInstance(new UUID(0xbe0c4000L + (i / 1000), 0x8000000000000000L | i).toString(),
                    String.format(Locale.ROOT, "vm-%06d", i), projectIds[i % projects], FLAVORS.get(i % FLAVORS.size()),
                    launchedBefore.minusSeconds(86_400L + i), null, "active"));
        }
        return builder.build();
    }
}
