package org.osmetrics.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.osmetrics.sim.SimAction;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimEvent;
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

    /** Every fifth server was stopped and started again in the range's first day (its timeline shows it). */
    private static final int STOPPED_EVERY = 5;
    private static final String BENCH_USER = "be0000000000000000000000000000ee";

    /**
     * {@code servers} always-on servers over {@code projects} projects, all launched before {@code launchedBefore}
     * and never deleted: exactly one fact row per server and window of any later range. Their instance actions, for
     * the timelines: each a create that finished at its launch; every fifth a stop and a start in the day after
     * {@code launchedBefore} (usage counts the stopped hours as Nova does: the facts stay one per window).
     */
    static SimCloud alwaysOn(int projects, int servers, Instant launchedBefore) {
        SimCloud.Builder builder = SimCloud.builder();
        String[] projectIds = new String[projects];
        for (int p = 0; p < projects; p++) {
            projectIds[p] = String.format(Locale.ROOT, "%032x", 0xbe0000L + p);
            builder.project(projectIds[p], String.format(Locale.ROOT, "bench-%03d", p));
        }
        for (int i = 0; i < servers; i++) {
            String uuid = new UUID(0xbe0c4000L + (i / 1000), 0x8000000000000000L | i).toString();
            String project = projectIds[i % projects];
            Instant launched = launchedBefore.minusSeconds(86_400L + i);
            builder.instance(new SimInstance(uuid, String.format(Locale.ROOT, "vm-%06d", i), project,
                    FLAVORS.get(i % FLAVORS.size()), launched, null, "active"));
            builder.action(action(uuid, i, 0, "create", project, launched.minusSeconds(40),
                    "compute__do_build_and_run_instance", launched));
            if (i % STOPPED_EVERY == 0) {
                Instant stop = launchedBefore.plusSeconds(3_600L + (i % 43_200));
                Instant start = stop.plusSeconds(6 * 3_600L);
                builder.action(action(uuid, i, 1, "stop", project, stop, "compute_stop_instance", stop.plusSeconds(5)));
                builder.action(action(uuid, i, 2, "start", project, start, "compute_start_instance", start.plusSeconds(5)));
            }
        }
        return builder.build();
    }

    /** One action of server {@code i} with one successful event that ends at {@code finish}. */
    private static SimAction action(String uuid, int i, int n, String name, String project, Instant asked, String event,
            Instant finish) {
        return new SimAction(uuid, "req-" + new UUID(0xa0c7L << 16 | n, i), name, BENCH_USER, project, asked,
                List.of(SimEvent.success(event, asked.plusSeconds(1), finish, "compute-01")));
    }
}
