package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.osmetrics.testing.ArchiveDocuments.tenantUsage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.TestDatabaseExtension;

/** import-json end to end: documents written by the test (both shapes, empty, broken) and the old archive. */
class ImportJsonCommandTest {
    private static final Path ARCHIVE = Path.of("..", "shared", "fixtures", "nova", "original-script-output");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;
    @RegisterExtension
    final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private Jdbi jdbi;

    @BeforeEach
    void database() {
        jdbi = test.jdbi();
    }

    private record Result(int exitCode, String out, String err) {
    }

    private Result importJson(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "import-json";
        all[1] = "--db-url";
        all[2] = test.jdbcUrl();
        System.arraycopy(args, 0, all, 3, args.length);
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(code, out.toString(), err.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(folder.resolve(name), content);
    }

    private List<String> facts() {
        return jdbi.withHandle(h -> h.createQuery("SELECT concat_ws('|', instance_id, window_start, project_id, hours,"
                + " vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional) FROM metrics.usage_fact"
                + " ORDER BY instance_id, window_start").mapTo(String.class).list());
    }

    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void bothShapesLoadEmptyFilesAreFailedRunsAndBrokenFilesAreSkippedWithTheirReason() throws IOException {
        Instant day = Instant.parse("2021-10-05T00:00:00Z");
        Instant next = day.plus(Duration.ofDays(1));
        // the old script's shape: one bare tenant_usage object per file, one line
        write("os_metrics_20211006.json", JSON.writeValueAsString(tenantUsage("p-old", day, next, 7, 1)) + "\n");
        // Nova's list answer, two tenants, for the day after
        ObjectNode list = JSON.createObjectNode();
        list.putArray("tenant_usages").add(tenantUsage("p-a", next, next.plus(Duration.ofDays(1)), 5, 2))
                .add(tenantUsage("p-b", next, next.plus(Duration.ofDays(1)), 3, 3));
        write("list.json", JSON.writeValueAsString(list));
        write("os_metrics_20220427.json", "");
        String whole = JSON.writeValueAsString(tenantUsage("p-cut", day, next, 4, 4));
        write("os_metrics_20220428.json", whole.substring(0, whole.length() / 2));
        write("wrong-type.json", whole.replaceFirst("\"vcpus\":\\d+", "\"vcpus\":\"two\""));

        Result result = importJson(folder.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).contains("import-json: 2 of 5 files loaded (3 ranges, 15 servers,")
                .contains("import-json: 1 empty file: a failed run of the old script, no data");
        assertThat(result.err())
                .contains(folder.resolve("os_metrics_20220428.json") + ": truncated JSON at line 1")
                .contains(folder.resolve("wrong-type.json") + ": field 'vcpus' is not an integer")
                .contains("2 files malformed or truncated, not loaded");
        assertThat(count("SELECT count(*) FROM metrics.extracted_range")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE project_id = 'p-cut'")).isZero();
        assertThat(count("SELECT count(*) FROM report.reconciliation WHERE matches AND matched_at_load")).isEqualTo(3);
        List<String> outcomes = jdbi.withHandle(h -> h.createQuery("SELECT outcome || ':' || count(*)"
                + " FROM metrics.imported_file GROUP BY outcome ORDER BY outcome").mapTo(String.class).list());
        assertThat(outcomes)
                .containsExactly("empty:1", "loaded:3", "malformed:2");
        assertThat(count("SELECT count(*) FROM metrics.run WHERE command = 'import-json' AND status = 'succeeded'"))
                .isEqualTo(1);
    }

    @Test
    void filesBeyondJacksonsReadLimitsAreReportedAsBadFilesAndTheOthersLoad() throws IOException {
        Instant day = Instant.parse("2023-03-01T00:00:00Z");
        Path good = write("good.json", JSON.writeValueAsString(tenantUsage("p-good", day, day.plus(Duration.ofDays(1)), 6, 1)));
        Path deep = write("deep.json", "[".repeat(5000) + "]".repeat(5000));
        // a server name of 25 MB: over Jackson's 20,000,000-character limit for one string
        ObjectNode document = tenantUsage("p-long", day, day.plus(Duration.ofDays(1)), 1, 2);
        ((ObjectNode) document.get("server_usages").get(0)).put("name", "x".repeat(25_000_000));
        Path huge = write("huge-string.json", JSON.writeValueAsString(document));
        Path longNumber = write("long-number.json", JSON.writeValueAsString(tenantUsage("p-num", day,
                day.plus(Duration.ofDays(1)), 1, 3)).replaceFirst("\"vcpus\":\\d+", "\"vcpus\":" + "9".repeat(5000)));

        Result result = importJson(good.toString(), deep.toString(), huge.toString(), longNumber.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).contains("import-json: 1 of 4 files loaded (1 range, 6 servers,");
        assertThat(result.err().lines().toList())
                .contains(deep + ": not valid JSON (nested more than 1,000 levels deep)")
                .contains(huge + ": not valid JSON (a string of more than 20,000,000 characters)")
                .contains(longNumber + ": not valid JSON (a number of more than 1,000 digits)")
                .contains("os-metrics: 3 files malformed or truncated, not loaded (listed above; the other files are loaded)")
                .noneMatch(line -> line.contains("internal error") || line.contains("Exception"));
        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE project_id = 'p-good'")).isPositive();
        assertThat(count("SELECT count(*) FROM metrics.imported_file WHERE outcome = 'malformed'")).isEqualTo(3);
    }

    @Test
    void reimportChangesNothing() throws IOException {
        Instant day = Instant.parse("2024-10-12T00:00:00Z");
        write("a.json", JSON.writeValueAsString(tenantUsage("p1", day, day.plus(Duration.ofDays(1)), 9, 5)));
        write("b.json", JSON.writeValueAsString(tenantUsage("p1", day.plus(Duration.ofDays(1)), day.plus(Duration.ofDays(2)), 9, 5)));
        assertThat(importJson(folder.resolve("*.json").toString()).exitCode()).isZero();
        List<String> before = facts();

        Result again = importJson(folder.resolve("a.json").toString(), folder.resolve("b.json").toString());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("2 of 2 files loaded (2 ranges, 9 servers, 0 rows)");
        assertThat(facts()).isNotEmpty().containsExactlyElementsOf(before);
        Result quiet = importJson("--quiet", folder.resolve("a.json").toString());
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.out() + quiet.err()).as("--quiet: nothing on success").isEmpty();
    }

    @Test
    void aMissingFileIsABadCommandLineBeforeAnythingLoads() {
        Result result = importJson(folder.resolve("nope.json").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nope.json: no such file or folder");
        assertThat(count("SELECT count(*) FROM metrics.run")).isZero();
    }

    @Test
    void theOldScriptsArchiveLoadsAndReconcilesBitForBit() {
        assumeTrue(Files.isDirectory(ARCHIVE), "the old script's archived files are in ../shared/fixtures (absent here)");

        Result first = importJson(ARCHIVE.toString());
        List<String> facts = facts();
        Result second = importJson(ARCHIVE.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("7 of 8 files loaded (7 ranges, ")
                .contains("1 empty file: a failed run of the old script, no data");
        assertThat(count("SELECT count(*) FROM report.reconciliation WHERE matches AND matched_at_load")).isEqualTo(7);
        assertThat(count("SELECT count(*) FROM metrics.anomaly")).isZero();
        assertThat(count("SELECT count(DISTINCT scope) FROM metrics.extracted_range")).as("project from the document").isEqualTo(3);
        assertThat(second.out()).containsPattern("7 of 8 files loaded \\(7 ranges, [0-9,]+ servers, 0 rows\\)");
        assertThat(facts()).containsExactlyElementsOf(facts);
    }
}
