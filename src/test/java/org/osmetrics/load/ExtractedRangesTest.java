package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.TimeRange;
import org.osmetrics.testing.TestDatabaseExtension;

/** What the ledger of extractions says of a scope, read back from rows as the loader writes them. */
class ExtractedRangesTest {
    private static final Instant DAY = Instant.parse("2026-10-01T00:00:00Z");
    @RegisterExtension
    final TestDatabaseExtension test = TestDatabaseExtension.migrated();

    private Cloud cloud;
    private long runId;

    private void extracted(Scope scope, int fromDay, int toDay, boolean provisional, int servers) {
        if (cloud == null) {
            cloud = new CloudRepository(test.jdbi()).resolve("k:5000/R", null);
            runId = new RunLedger(test.jdbi(), Clock.fixed(DAY, ZoneOffset.UTC)).start("run", "", cloud.cloudId(), null);
        }
        test.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO metrics.extracted_range (cloud_id, scope,"
                        + " range_start, range_end, stop, provisional, microversion, server_count, extracted_at, run_id)"
                        + " VALUES (:cloud, :scope, :start, :end, :end, :provisional, '2.40', :servers, :start, :run)")
                .bind("cloud", cloud.cloudId()).bind("scope", scope.key()).bind("start", day(fromDay)).bind("end", day(toDay))
                .bind("provisional", provisional).bind("servers", servers).bind("run", runId).execute());
    }

    private static Instant day(int n) {
        return DAY.plus(Duration.ofDays(n));
    }

    @Test
    void aScopeResumesAfterItsLastCompleteRangeNotItsProvisionalOne() {
        Scope all = Scope.allProjects();
        extracted(all, 0, 1, false, 3);
        extracted(all, 1, 2, false, 3);
        extracted(all, 2, 3, true, 3);
        ExtractedRanges ranges = new ExtractedRanges(test.jdbi());

        assertThat(ranges.completeUntil(cloud, all)).contains(day(2));
        assertThat(ranges.seen(cloud, all)).isTrue();
        assertThat(ranges.completeUntil(cloud, Scope.project("p1"))).isEmpty();
        assertThat(ranges.seen(cloud, Scope.project("p1"))).isFalse();
    }

    @Test
    void aBackfillSkipsTheCompleteRangesAndComparesTheCountsOfRangesOfItsSpan() {
        Scope all = Scope.allProjects();
        extracted(all, 0, 1, false, 5);
        extracted(all, 1, 3, false, 9);
        extracted(all, 3, 4, true, 2);
        extracted(all, 4, 5, false, 7);
        ExtractedRanges ranges = new ExtractedRanges(test.jdbi());

        assertThat(ranges.complete(cloud, all, day(1), day(5)))
                .containsExactly(new TimeRange(day(1), day(3)), new TimeRange(day(4), day(5)));
        assertThat(ranges.serverCounts(cloud, all, day(0), day(5), Duration.ofDays(1))).containsExactly(
                new ExtractedRanges.ServerCount(day(0), day(1), 5), new ExtractedRanges.ServerCount(day(3), day(4), 2),
                new ExtractedRanges.ServerCount(day(4), day(5), 7));
    }
}
