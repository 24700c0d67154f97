package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.ChildProcess;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * Files os-metrics writes (the Prometheus file that node_exporter, another user, reads; exports) get the
 * permissions the umask gives any new file, like a shell redirection: 0644 with umask 022, not 0600.
 */
class WrittenFileModeTest {
    @TempDir
    Path dir;

    private String written(TestDatabase test, String umask, Path file, String... args) throws IOException {
        Path log = dir.resolve("child-" + umask + "-" + file.getFileName() + ".log");
        try (ChildProcess child = ChildProcess.startWithUmask(umask, Map.of("OS_METRICS_DB_URL", test.jdbcUrl()), log,
                args)) {
            assertThat(child.waitFor(Duration.ofSeconds(60))).as(child.output()).isZero();
        }
        assertThat(Files.list(file.getParent())).as("no temporary file left").containsExactly(file);
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void theMetricsFileAndExportsAreReadableByOthersWithUmask022AndFollowAStricterUmask() throws IOException {
        try (TestDatabase test = TestDatabases.fresh()) {
            Path metrics = dir.resolve("textfile").resolve("os_metrics.prom");
            Path export = dir.resolve("out").resolve("coverage.csv");
            Path strict = dir.resolve("strict").resolve("coverage.csv");

            assertThat(written(test, "022", metrics, "status", "--quiet", "--metrics-file", metrics.toString()))
                    .isEqualTo("rw-r--r--");
            assertThat(written(test, "022", export, "export", "--report", "coverage", "--out", export.toString()))
                    .isEqualTo("rw-r--r--");
            assertThat(written(test, "027", strict, "export", "--report", "coverage", "--out", strict.toString()))
                    .isEqualTo("rw-r-----");
        }
    }
}
