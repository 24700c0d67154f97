package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.ChildProcess;
import org.osmetrics.testing.SimulatorLogins;

/**
 * The README's crontab as cron runs it, compressed: its commands, read from the README and run as written by
 * separate processes on the embedded default database, for about a minute: the cron job ({@code run}) again as
 * soon as the previous one has ended (as cron does every 15 minutes), and {@code status} and an {@code export}
 * started beside each (and the README's {@code status --fail-if-stale}, once a run has succeeded). Every process
 * exits 0, the ledger has a row per run, and the metrics file is readable by
 * another user (umask 022).
 */
class ReadmeCrontabTogetherTest {
    private static final Duration FOR = Duration.ofSeconds(60);
    private static final Duration PAUSE = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path root;

    @Test
    void theReadmesCrontabRunsTogetherForAMinuteWithoutAFailureOrALostRun() throws IOException {
        List<List<String>> crontab = ReadmeCrontabTest.commands(ReadmeCrontabTest.readmeCrontabLines());
        List<String> run = crontab.stream().filter(c -> c.get(0).equals("run")).findFirst().orElseThrow();
        List<String> status = crontab.stream().filter(c -> c.get(0).equals("status") && c.contains("--metrics-file"))
                .findFirst().orElseThrow();
        List<String> staleCheck = crontab.stream().filter(c -> c.get(0).equals("status") && c.contains("--fail-if-stale"))
                .findFirst().orElseThrow();
        Path data = root.resolve("data");
        Path metrics = root.resolve("textfile/os_metrics.prom");
        Files.createDirectories(metrics.getParent());
        List<String> statusHere = status.stream().map(w -> w.startsWith("/") ? metrics.toString() : w).toList();
        Instant now = Instant.now();
        List<ChildProcess> started = new ArrayList<>();
        try (SimServer sim = SimServer.start(SimCloud.generate(9, 3, 30, now.minus(Duration.ofDays(2)),
                now.plus(Duration.ofDays(1))), Clock.systemUTC())) {
            Map<String, String> env = SimulatorLogins.admin(sim);
            Instant end = Instant.now().plus(FOR);
            int runs = 0;
            for (int tick = 0; Instant.now().isBefore(end); tick++) {
                ChildProcess cronJob = start(env, data, "run-" + tick, run);
                started.add(cronJob);
                runs++;
                started.add(start(env, data, "status-" + tick, statusHere));
                if (tick > 0) { // once a run has succeeded, the stale check beside the next one finds it fresh
                    started.add(start(env, data, "stale-check-" + tick, staleCheck));
                }
                if (tick % 2 == 1) {
                    started.add(start(env, data, "export-" + tick, List.of("export", "--report", "server_usage",
                            "--out", root.resolve("export-" + tick + ".csv").toString(), "--quiet")));
                }
                assertThat(cronJob.waitFor(WAIT)).as(cronJob.output()).isZero();
                sleep(PAUSE);
            }
            for (ChildProcess process : started) {
                assertThat(process.waitFor(WAIT)).as(process.output()).isZero();
            }
            // one last status, alone, to read the ledger through the same database
            ChildProcess last = start(env, data, "status-last", List.of("status", "--runs", "1000"));
            assertThat(last.waitFor(WAIT)).as(last.output()).isZero();
            started.add(last);

            assertThat(ledgerRuns(last)).as("a ledger row per run").isEqualTo(runs);
            System.out.printf("the README's crontab together: %d runs, %d processes in all, every one exit 0%n", runs,
                    started.size());
            assertThat(Files.getPosixFilePermissions(metrics)).as("readable by node_exporter, another user")
                    .contains(PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_READ);
            assertThat(Files.readString(metrics)).contains("os_metrics_last_success_timestamp_seconds{");
        } finally {
            started.forEach(ChildProcess::close);
        }
    }

    private ChildProcess start(Map<String, String> env, Path data, String name, List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--data-dir", data.toString()));
        return ChildProcess.startWithUmask("022", env, root.resolve(name + ".log"), args.toArray(String[]::new));
    }

    /** The runs of the ledger, read from the status output's runs table ("N  run  ... succeeded"). */
    private static long ledgerRuns(ChildProcess status) {
        return status.output().lines().filter(line -> line.matches("\\s*\\d+\\s+run\\s.*succeeded\\s*")).count();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
