package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * A real backfill process (a child JVM running {@code os-metrics backfill}) killed with SIGKILL at several
 * points, then started again until it completes, against the simulator: its rows must equal those of one
 * uninterrupted backfill, row by row, with no range loaded twice and none missing.
 */
class BackfillKillTest {
    private static final Instant FROM = Instant.parse("2026-08-03T00:00:00Z");
    private static final int DAYS = 14;
    private static final Instant TO = FROM.plus(Duration.ofDays(DAYS));
    private static final Instant SIM_NOW = Instant.parse("2026-09-01T08:00:00Z");

    @TempDir
    Path logs;

    @Test
    void killedAndResumedBackfillGivesTheSameRowsAsOneUninterruptedBackfill() throws Exception {
        SimClock clock = new SimClock(SIM_NOW);
        SimCloud cloud = SimCloud.generate(20261125, 4, 120, FROM.minus(Duration.ofDays(10)), TO.plus(Duration.ofDays(5)));
        try (SimServer sim = SimServer.start(cloud, clock);
             TestDatabase killed = TestDatabases.fresh();
             TestDatabase reference = TestDatabases.fresh()) {
            Map<String, String> env = SimulatorLogins.admin(sim);
            StringWriter err = new StringWriter();
            int referenceExit = Main.execute(withDatabase(env, reference), new PrintWriter(new StringWriter()),
                    new PrintWriter(err), backfillArguments());
            assertThat(referenceExit).as(err.toString()).isZero();

            Random random = new Random(42);
            TreeSet<Integer> killPoints = new TreeSet<>();
            while (killPoints.size() < 3) {
                killPoints.add(1 + random.nextInt(DAYS - 2));
            }
            List<Integer> killedAt = new ArrayList<>();
            int launch = 0;
            for (int point : killPoints) {
                Process child = startChild(withDatabase(env, killed), logs.resolve("child-" + ++launch + ".log"));
                int loaded = waitForRanges(killed.jdbi(), child, point);
                child.destroyForcibly();  // SIGKILL: no shutdown hook, no rollback by the JVM
                child.waitFor();
                if (loaded < DAYS) {
                    killedAt.add(loaded);
                }
            }
            Process last = startChild(withDatabase(env, killed), logs.resolve("child-final.log"));
            int exit = last.waitFor();

            assertThat(exit).as(Files.readString(logs.resolve("child-final.log"))).isZero();
            assertThat(killedAt).as("kills landed in the middle of the backfill").isNotEmpty();
            assertThat(rows(killed.jdbi(), FACTS)).isNotEmpty().containsExactlyElementsOf(rows(reference.jdbi(), FACTS));
            assertThat(rows(killed.jdbi(), SERVERS)).containsExactlyElementsOf(rows(reference.jdbi(), SERVERS));
            assertThat(rows(killed.jdbi(), RANGES)).as("every day once, none missing")
                    .hasSize(DAYS).containsExactlyElementsOf(rows(reference.jdbi(), RANGES));
            assertThat(rows(killed.jdbi(), "SELECT status FROM metrics.run ORDER BY run_id"))
                    .as("killed runs stay visible in the ledger").endsWith("succeeded").contains("running");
        }
    }

    private static final String FACTS = "SELECT concat_ws('|', f.instance_id, f.window_start, f.window_end, f.project_id,"
            + " fl.name, f.vcpus, f.memory_mb, f.local_gb, f.hours, f.vcpu_hours, f.memory_mb_hours, f.local_gb_hours,"
            + " f.state, f.provisional) FROM metrics.usage_fact f JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id"
            + " ORDER BY f.instance_id, f.window_start";
    private static final String SERVERS = "SELECT concat_ws('|', s.instance_id, s.project_id, s.name, fl.name,"
            + " s.started_at, s.ended_at, s.state, s.first_seen, s.last_seen) FROM metrics.server s"
            + " JOIN metrics.flavor fl ON fl.flavor_id = s.flavor_id ORDER BY s.instance_id";
    private static final String RANGES = "SELECT concat_ws('|', scope, range_start, range_end, stop, provisional,"
            + " server_count) FROM metrics.extracted_range ORDER BY scope, range_start";

    private static String[] backfillArguments() {
        return new String[] {"backfill", "--from", FROM.toString(), "--to", TO.toString(), "--all-projects",
            "--parallel", "2", "--call-span", "1d", "--quiet"};
    }

    private static Map<String, String> withDatabase(Map<String, String> env, TestDatabase database) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("OS_METRICS_DB_URL", database.jdbcUrl());
        return all;
    }

    /** {@code java -cp <test classpath> org.osmetrics.cli.Main backfill ...}, secrets in the environment only. */
    private static Process startChild(Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(backfillArguments()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(".").getAbsoluteFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("OS_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits until at least {@code ranges} ranges are committed or the child ends; returns how many there are. */
    private static int waitForRanges(Jdbi jdbi, Process child, int ranges) throws InterruptedException {
        while (true) {
            int loaded = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.extracted_range")
                    .mapTo(Integer.class).one());
            if (loaded >= ranges || !child.isAlive()) {
                return loaded;
            }
            Thread.sleep(5);
        }
    }

    private static List<String> rows(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }
}
