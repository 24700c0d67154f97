package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.load.Cloud;
import org.osmetrics.load.TimelineLoader;
import org.osmetrics.load.TimelineMonth;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.transform.WindowGrid;

/** {@code timeline --server ID} as table and JSON lines, and the timelines in status, its JSON and metrics file. */
class TimelineCommandTest {
    private static final String CLOUD = "keystone.test:5000/RegionOne";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.migrated();

    @BeforeAll
    static void setUp() {
        db.jdbi().useHandle(h -> h.createScript(TimelineMonth.SETUP).execute());
        Cloud cloud = new Cloud(1, CLOUD, WindowGrid.ofSeconds(86400));
        TimelineLoader loader = new TimelineLoader(db.jdbi());
        loader.load(cloud, 1, TimelineMonth.month(), TimelineMonth.AS_OF);
        loader.recordFailure(cloud, 1L, "Nova refused the instance actions (403)");
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(Map.of("OS_METRICS_DB_URL", db.jdbcUrl()), args);
    }

    @Test
    void theTableShowsEachIntervalWithItsFlavorHoursAndAssumption() {
        CommandRun shown = run("timeline", "--server", TimelineMonth.SHELVED);

        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("server " + TimelineMonth.SHELVED + " (shelved), project p-1")
                .containsPattern("2026-10-10T00:00Z +2026-10-12T12:00Z +shelved +m1.small +60\\R")
                .containsPattern("2026-10-12T12:00Z +\\(now\\) +shelved_offloaded +m1.small");
        CommandRun unshelved = run("timeline", "--server", TimelineMonth.UNSHELVED, "--cloud", CLOUD);
        assertThat(unshelved.out()).contains("offloaded server")
                .contains("hours Nova dropped, recovered:")
                .contains("shelved_offloaded m1.small: 360 h in 2026-10-05..2026-10-20")
                .contains("problems:").contains("dropped_hours");
    }

    @Test
    void jsonLinesGiveOneObjectPerIntervalRecoveredRowAndProblem() throws IOException {
        CommandRun shown = run("timeline", "--server", TimelineMonth.UNSHELVED, "--format", "jsonl");

        assertThat(shown.exitCode()).as(shown.err()).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : shown.out().strip().split("\n")) {
            rows.add(new ObjectMapper().readTree(line));
        }
        assertThat(rows).extracting(r -> r.get("type").asText() + " " + (r.has("vm_state") ? r.get("vm_state").asText() : r.get("kind").asText()))
                .containsExactly("interval building", "interval active", "interval shelved_offloaded", "interval active",
                        "recovered active", "recovered shelved_offloaded", "problem dropped_hours");
        assertThat(rows.get(2).get("hours").decimalValue()).isEqualByComparingTo("360"); // Oct 5 00:00 to Oct 20 00:00
        assertThat(rows.get(2).get("assumption").asText()).contains("offloaded");
        assertThat(rows.get(5).get("hours").decimalValue()).isEqualByComparingTo("360");
    }

    @Test
    void anUnknownServerOrFormatIsOneLineWithExitTwo() {
        CommandRun none = run("timeline", "--server", "00000000-0000-4000-8000-0000000000ff");
        CommandRun notUuid = run("timeline", "--server", "web-1");
        CommandRun format = run("timeline", "--server", TimelineMonth.SHELVED, "--format", "xml");

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.errLines()).singleElement().asString().contains("no timeline recorded for server");
        assertThat(notUuid.exitCode()).isEqualTo(2);
        assertThat(notUuid.errLines()).singleElement().asString().contains("not a server id");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.errLines()).singleElement().asString().contains("not table or jsonl");
    }

    @Test
    void statusItsJsonAndTheMetricsFileShowTimelineFreshnessAndTheLatestError(@TempDir Path dir) throws IOException {
        Path metrics = dir.resolve("os-metrics.prom");
        CommandRun status = run("status", "--metrics-file", metrics.toString());
        CommandRun json = run("status", "--json");

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("Timelines (Nova's instance actions):")
                .contains(CLOUD + ": last read ").contains("failed: Nova refused the instance actions (403)")
                .contains("1 timeline anomaly recorded");
        JsonNode timelines = new ObjectMapper().readTree(json.out()).get("timelines");
        assertThat(timelines).hasSize(1);
        assertThat(timelines.get(0).get("last_error").asText()).contains("403");
        assertThat(timelines.get(0).get("last_success").isNull()).isFalse();
        String text = Files.readString(metrics);
        assertThat(text).contains("os_metrics_timeline_last_load_failed{cloud=\"" + CLOUD + "\"} 1")
                .contains("os_metrics_timeline_anomalies{cloud=\"" + CLOUD + "\"} 1")
                .containsPattern("os_metrics_timeline_last_success_timestamp_seconds\\{cloud=\"[^\"]+\"} [1-9][0-9]+");
    }
}
