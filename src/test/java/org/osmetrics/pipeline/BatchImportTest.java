package org.osmetrics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osmetrics.testing.ArchiveDocuments.tenantUsage;
import static org.osmetrics.testing.ArchiveDocuments.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.Cancellation;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.osmetrics.load.UsageLoader;

/**
 * import-json loads up to 200 ranges per transaction ({@link UsageLoader#loadBatch}): the rows are those of
 * loading the same documents one range at a time, and a document the database refuses leaves the rest of
 * its batch loaded.
 */
class BatchImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DAY = Instant.parse("2024-03-30T00:00:00Z");

    @TempDir
    Path folder;

    /** Every stored row of the schema, without the values the database stamps (now(), generated ids). */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        String flavor = "(SELECT f.name || '/' || f.vcpus || '/' || f.memory_mb || '/' || f.local_gb"
                + " FROM metrics.flavor f WHERE f.flavor_id = %s)";
        TABLES.put("cloud", "SELECT to_jsonb(t) - 'created_at' FROM metrics.cloud t");
        TABLES.put("project", "SELECT to_jsonb(t) - 'first_seen' - 'updated_at' FROM metrics.project t");
        TABLES.put("flavor", "SELECT to_jsonb(t) - 'flavor_id' FROM metrics.flavor t");
        TABLES.put("server", "SELECT to_jsonb(t) - 'flavor_id' || jsonb_build_object('flavor', "
                + flavor.formatted("t.flavor_id") + ") FROM metrics.server t");
        TABLES.put("server_flavor_history", "SELECT to_jsonb(t) - 'flavor_id' || jsonb_build_object('flavor', "
                + flavor.formatted("t.flavor_id") + ") FROM metrics.server_flavor_history t");
        TABLES.put("usage_fact", "SELECT to_jsonb(t) - 'flavor_id' || jsonb_build_object('flavor', "
                + flavor.formatted("t.flavor_id") + ") FROM metrics.usage_fact t");
        TABLES.put("run", "SELECT to_jsonb(t) - 'started_at' - 'finished_at' FROM metrics.run t");
        TABLES.put("extracted_range", "SELECT to_jsonb(t) FROM metrics.extracted_range t");
        TABLES.put("nova_totals", "SELECT to_jsonb(t) FROM metrics.nova_totals t");
        TABLES.put("restatement", "SELECT to_jsonb(t) - 'restatement_id' - 'detected_at' - 'old_flavor_id'"
                + " - 'new_flavor_id' || jsonb_build_object('old_flavor', " + flavor.formatted("t.old_flavor_id")
                + ", 'new_flavor', " + flavor.formatted("t.new_flavor_id") + ") FROM metrics.restatement t");
        TABLES.put("raw_page", "SELECT to_jsonb(t) - 'fetched_at' FROM metrics.raw_page t");
    }

    /** Sorted rows of every table; anomalies and the file ledger in the order they were written. */
    private static Map<String, List<String>> allRows(Jdbi jdbi) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        jdbi.useHandle(handle -> {
            TABLES.forEach((table, select) -> rows.put(table, handle.createQuery("SELECT r::text FROM ("
                    + select + ") AS rows (r)").mapTo(String.class).list().stream().sorted().toList()));
            rows.put("anomaly", handle.createQuery("SELECT (to_jsonb(t) - 'anomaly_id' - 'detected_at')::text"
                    + " FROM metrics.anomaly t ORDER BY anomaly_id").mapTo(String.class).list());
            rows.put("imported_file", handle.createQuery("SELECT (to_jsonb(t) - 'imported_file_id')::text"
                    + " FROM metrics.imported_file t ORDER BY imported_file_id").mapTo(String.class).list());
        });
        return rows;
    }

    private Path write(Path dir, String name, ObjectNode document) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), text(document));
    }

    private static ObjectNode day(String project, int day, int servers, int seed) {
        Instant start = DAY.plus(Duration.ofDays(day));
        return tenantUsage(project, start, start.plus(Duration.ofDays(1)), servers, seed, DAY);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.sorted().toList();
        }
    }

    private static ArchiveImport.Summary importInto(TestDatabase test, Path dir, int batchRanges) throws IOException {
        return new ArchiveImport(test.database(), Clock.systemUTC(), new Cancellation(), batchRanges)
                .run("archive", null, files(dir), "test", false, 2, file -> { });
    }

    @Test
    void batchesLeaveTheSameRowsAsLoadingEachRangeOnItsOwn() throws IOException {
        Path recorded = folder.resolve("recorded");
        write(recorded, "p1-day0.json", day("p1", 0, 6, 1));
        write(recorded, "p2-day1.json", day("p2", 1, 5, 2));
        Path archive = folder.resolve("archive");
        // meets recorded data: other hours for the same servers (restatements), one server gone, one new
        write(archive, "a-p1-day0-again.json", day("p1", 0, 7, 1).put("total_hours", 0.0));
        write(archive, "a-p1-day0-other.json", day("p1", 0, 5, 1));
        // fresh days of several projects, sharing the servers of earlier days (one day crosses the month)
        for (int d = 1; d <= 3; d++) {
            write(archive, "b-p1-day" + d + ".json", day("p1", d, 4 + d, 1));
            write(archive, "b-p3-day" + d + ".json", day("p3", d, 3, 3));
        }
        write(archive, "b-p2-day1-again.json", day("p2", 1, 5, 2));
        // Nova's list answer: two projects of one day in one file
        ObjectNode list = JSON.createObjectNode();
        list.putArray("tenant_usages").add(day("p1", 4, 3, 1)).add(day("p2", 4, 2, 2));
        write(archive, "c-list-day4.json", list);
        // a server listed under another project: on another day, and on the same day as its first project
        write(archive, "d-p4-day5-moved.json", day("p4", 5, 2, 1));
        write(archive, "d-p1-day5.json", day("p1", 5, 3, 1));
        write(archive, "d-p4-day6-moved.json", day("p4", 6, 2, 1));
        write(archive, "d-p1-day0-last.json", day("p1", 0, 6, 1));
        Files.writeString(archive.resolve("e-empty.json"), "");
        Files.writeString(archive.resolve("e-cut.json"), text(day("p5", 2, 3, 5)).substring(0, 40));

        try (TestDatabase batched = TestDatabases.fresh(); TestDatabase single = TestDatabases.fresh()) {
            importInto(batched, recorded, 1);
            importInto(single, recorded, 1);
            ArchiveImport.Summary batch = importInto(batched, archive, ArchiveImport.BATCH_RANGES);
            ArchiveImport.Summary one = importInto(single, archive, 1);

            assertThat(batch.failures()).hasSize(1);
            assertThat(batch.restatements()).isPositive().isEqualTo(one.restatements());
            assertThat(batch.rows()).isEqualTo(one.rows());
            assertThat(batch.ranges()).isEqualTo(one.ranges()).isEqualTo(15);
            Map<String, List<String>> expected = allRows(single.jdbi());
            assertThat(expected.get("usage_fact")).isNotEmpty();
            assertThat(expected.get("restatement")).isNotEmpty();
            assertThat(allRows(batched.jdbi())).containsExactlyEntriesOf(expected);
        }
    }

    @Test
    void aBatchWhoseStagedFactIsRecordedUnderAnotherStagedProjectLeavesTheRowsOfLoadingItsRangesInOrder()
            throws IOException {
        Path recorded = folder.resolve("recorded");
        write(recorded, "p2-day0.json", day("p2", 0, 4, 1));
        write(recorded, "p1-day0-other.json", day("p1", 0, 3, 3));
        Path archive = folder.resolve("archive");
        // p1 now lists those servers (recorded under p2: a collision), p2 lists others; both meet recorded data
        write(archive, "a-p1-day0.json", day("p1", 0, 4, 1));
        write(archive, "b-p2-day0.json", day("p2", 0, 3, 2));

        try (TestDatabase batched = TestDatabases.fresh(); TestDatabase single = TestDatabases.fresh()) {
            importInto(batched, recorded, 1);
            importInto(single, recorded, 1);
            ArchiveImport.Summary batch = importInto(batched, archive, ArchiveImport.BATCH_RANGES);
            ArchiveImport.Summary one = importInto(single, archive, 1);

            assertThat(batch.failures()).isEmpty();
            assertThat(batch.restatements()).isPositive().isEqualTo(one.restatements());
            assertThat(batch.rows()).isEqualTo(one.rows());
            assertThat(allRows(batched.jdbi())).containsExactlyEntriesOf(allRows(single.jdbi()));
        }
    }

    @Test
    void aDocumentTheDatabaseRefusesIsReportedAndTheRestOfItsBatchLoads() throws IOException {
        Path archive = folder.resolve("archive");
        Path good = folder.resolve("good");
        for (int d = 0; d < 3; d++) {
            for (String project : List.of("p1", "p2")) {
                ObjectNode document = day(project, d, 4, project.equals("p1") ? 1 : 2);
                write(archive, project + "-day" + d + ".json", document);
                write(good, project + "-day" + d + ".json", document);
            }
        }
        // valid JSON, but PostgreSQL text cannot hold a NUL character
        ObjectNode refused = day("p3", 1, 3, 3);
        ((ObjectNode) refused.get("server_usages").get(1)).put("name", "bad\u0000name");
        write(archive, "p3-day1.json", refused);

        try (TestDatabase test = TestDatabases.fresh(); TestDatabase expected = TestDatabases.fresh()) {
            ArchiveImport.Summary summary = importInto(test, archive, ArchiveImport.BATCH_RANGES);
            importInto(expected, good, ArchiveImport.BATCH_RANGES);

            assertThat(summary.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.file()).endsWith("p3-day1.json");
                assertThat(failure.reason()).contains("rolled back");
            });
            assertThat(summary.loadedFiles()).isEqualTo(6);
            Map<String, List<String>> rows = allRows(test.jdbi());
            Map<String, List<String>> goodRows = allRows(expected.jdbi());
            for (String table : List.of("usage_fact", "server", "server_flavor_history", "extracted_range",
                    "nova_totals", "project")) {
                assertThat(rows.get(table)).as(table).isNotEmpty().isEqualTo(goodRows.get(table));
            }
            assertThat(rows.get("imported_file")).filteredOn(row -> row.contains("p3-day1.json")).singleElement()
                    .asString().contains("\"outcome\": \"malformed\"");
        }
    }
}
