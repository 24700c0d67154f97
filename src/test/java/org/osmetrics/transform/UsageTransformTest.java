package org.osmetrics.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osmetrics.extract.PageTotals;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.TenantUsage;
import org.osmetrics.extract.UsageExtraction;

class UsageTransformTest {

    private static final WindowGrid HOURLY = new WindowGrid(Duration.ofHours(1));
    private static final Instant DAY = Instant.parse("2026-11-24T00:00:00Z");
    private static final Instant NEXT_DAY = DAY.plus(Duration.ofDays(1));
    private static final String PROJECT = "p-1";

    @Test
    void lifetimeIsSplitOverHourlyWindowsAndAddsUpToNovaHours() {
        ServerUsage server = server("00000000-0000-0000-0000-000000000001", "2026-11-24T10:30:00.500000Z",
                "2026-11-24T13:15:00Z", 2, 4096, 20, DAY, NEXT_DAY);

        TransformedRange range = UsageTransform.transform(closed(server), HOURLY);

        assertThat(range.anomalies()).isEmpty();
        assertThat(range.facts()).extracting(f -> f.windowStart().toString()).containsExactly(
                "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z");
        assertThat(range.facts()).extracting(WindowFact::micros)
                .containsExactly(1_799_500_000L, 3_600_000_000L, 3_600_000_000L, 900_000_000L);
        assertThat(range.facts().get(0).hours()).isEqualTo(1_799_500_000L / 1e6 / 3600);
        assertThat(range.facts().get(0).vcpuHours()).isEqualTo(2 * range.facts().get(0).hours());
        assertThat(range.facts().get(0).memoryMbHours()).isEqualTo(4096 * range.facts().get(0).hours());
        assertThat(range.facts()).noneMatch(WindowFact::provisional);
        assertThat(range.windowStarts()).hasSize(24);
        assertThat(range.reconciliations()).singleElement().satisfies(r -> assertThat(r.matches()).isTrue());
    }

    @Test
    void serverRunningBeforeAndAfterTheRangeIsClippedToIt() {
        ServerUsage server = server("00000000-0000-0000-0000-000000000002", "2026-01-01T00:00:00Z", null, 1, 512, 1,
                DAY, NEXT_DAY);

        TransformedRange range = UsageTransform.transform(closed(server), new WindowGrid(Duration.ofDays(1)));

        assertThat(range.anomalies()).isEmpty();
        assertThat(range.facts()).singleElement().satisfies(f -> {
            assertThat(f.windowStart()).isEqualTo(DAY);
            assertThat(f.windowEnd()).isEqualTo(NEXT_DAY);
            assertThat(f.hours()).isEqualTo(24.0);
        });
    }

    @Test
    void windowsStillOpenWhenNovaAnsweredAreProvisionalAndClosedOnesAreNot() {
        Instant stop = Instant.parse("2026-11-24T12:15:00.123456Z");
        ServerUsage server = server("00000000-0000-0000-0000-000000000003", "2026-11-24T10:00:00Z", null, 1, 512, 1,
                DAY, stop);
        UsageExtraction open = extraction(DAY, NEXT_DAY, stop, true, tenant(List.of(server), DAY, stop));

        TransformedRange range = UsageTransform.transform(open, HOURLY);

        assertThat(range.anomalies()).isEmpty();
        assertThat(range.facts()).extracting(WindowFact::provisional).containsExactly(false, false, true);
        assertThat(range.facts().get(2).micros()).isEqualTo(15 * 60_000_000L + 123_456);
    }

    @Test
    void hoursThatDifferFromTheTimestampsAreAnAnomalyAndTheSplitIsKept() {
        ServerUsage honest = server("00000000-0000-0000-0000-000000000004", "2026-11-24T10:00:00Z", null, 1, 512, 1,
                DAY, NEXT_DAY);
        ServerUsage bent = withHours(honest, 14.000000000000002);

        TransformedRange range = UsageTransform.transform(closed(bent), HOURLY);

        assertThat(range.anomalies()).extracting(Anomaly::kind)
                .contains(Anomaly.Kind.HOURS_MISMATCH, Anomaly.Kind.TOTALS_MISMATCH);
        assertThat(range.reconciled()).isFalse();
        assertThat(range.facts()).hasSize(14);
        assertThat(range.reconciliations().get(0).ours().totalHours()).isEqualTo(14.0);
    }

    @Test
    void totalsMatchNovaBitForBitOnlyWhenSummedInApiOrder() {
        List<ServerUsage> servers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            servers.add(server(String.format("00000000-0000-0000-0000-%012d", i),
                    DAY.plusMillis(i * 1_234_567L + 7).plusNanos(i * 1000L).toString(), null, 1 + i % 7,
                    512 * (1 + i % 5), 10 + i, DAY, NEXT_DAY));
        }
        TenantUsage inOrder = new TenantUsage(PROJECT, servers, List.of(novaTotals(servers)), DAY, NEXT_DAY);
        List<ServerUsage> reversed = new ArrayList<>(servers);
        java.util.Collections.reverse(reversed);
        PageTotals reversedSum = novaTotals(reversed);
        assertThat(reversedSum.totalMemoryMbUsage()).as("test data where order matters")
                .isNotEqualTo(novaTotals(servers).totalMemoryMbUsage());
        TenantUsage wrongOrder = new TenantUsage(PROJECT, servers, List.of(reversedSum), DAY, NEXT_DAY);

        Reconciliation good = UsageTransform.transform(extraction(DAY, NEXT_DAY, NEXT_DAY, false, inOrder), HOURLY)
                .reconciliations().get(0);
        TransformedRange bad = UsageTransform.transform(extraction(DAY, NEXT_DAY, NEXT_DAY, false, wrongOrder), HOURLY);

        assertThat(good.matches()).isTrue();
        assertThat(good.ours()).isEqualTo(good.nova());
        assertThat(bad.reconciliations().get(0).matches()).isFalse();
        assertThat(bad.anomalies()).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.TOTALS_MISMATCH);
    }

    @Test
    void aTenantSpreadOverPagesIsReconciledPageByPage() {
        List<ServerUsage> servers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            servers.add(server("00000000-0000-0000-0000-00000000001" + i, DAY.plusSeconds(3333L * i + 1).toString(),
                    null, 3, 3000, 33, DAY, NEXT_DAY));
        }
        PageTotals first = novaTotals(servers.subList(0, 2));
        PageTotals second = novaTotals(servers.subList(2, 5));
        TenantUsage tenant = new TenantUsage(PROJECT, servers, List.of(first, second), DAY, NEXT_DAY);

        Reconciliation reconciliation = UsageTransform.transform(
                extraction(DAY, NEXT_DAY, NEXT_DAY, false, tenant), HOURLY).reconciliations().get(0);

        assertThat(reconciliation.matches()).isTrue();
        assertThat(reconciliation.nova()).isEqualTo(tenant.mergedTotals());
        assertThat(reconciliation.ours()).isEqualTo(tenant.mergedTotals());
    }

    @Test
    void pageTotalsCountingOtherServersThanThePagesHeldDoNotReconcile() {
        ServerUsage server = server("00000000-0000-0000-0000-000000000005", "2026-11-24T10:00:00Z", null, 1, 512, 1,
                DAY, NEXT_DAY);
        PageTotals claimsTwo = new PageTotals(2, 14.0, 14.0, 512 * 14.0, 14.0);
        TenantUsage tenant = new TenantUsage(PROJECT, List.of(server), List.of(claimsTwo), DAY, NEXT_DAY);

        TransformedRange range = UsageTransform.transform(extraction(DAY, NEXT_DAY, NEXT_DAY, false, tenant), HOURLY);

        assertThat(range.reconciliations().get(0).matches()).isFalse();
        assertThat(range.anomalies()).extracting(Anomaly::kind).contains(Anomaly.Kind.PAGE_COUNT_MISMATCH);
    }

    @Test
    void aServerListedTwiceIsStoredOnceAndReported() {
        ServerUsage server = server("00000000-0000-0000-0000-000000000006", "2026-11-24T22:00:00Z", null, 1, 512, 1,
                DAY, NEXT_DAY);

        TransformedRange range = UsageTransform.transform(closed(server, server), HOURLY);

        assertThat(range.facts()).hasSize(2);
        assertThat(range.anomalies()).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.DUPLICATE_SERVER);
        assertThat(range.reconciliations().get(0).matches()).isTrue();
    }

    @Test
    void aServerEndingBeforeItStartsIsReportedAndNotStored() {
        ServerUsage server = new ServerUsage("00000000-0000-0000-0000-000000000007", PROJECT, "x", -1.0, "m1", 1, 1, 1,
                Instant.parse("2026-11-24T11:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"), "terminated", 0);

        TransformedRange range = UsageTransform.transform(closed(server), HOURLY);

        assertThat(range.facts()).isEmpty();
        assertThat(range.anomalies()).extracting(Anomaly::kind).contains(Anomaly.Kind.NEGATIVE_INTERVAL);
    }

    @Test
    void aRangeOffTheGridIsRefused() {
        UsageExtraction offGrid = extraction(DAY.plusSeconds(1800), NEXT_DAY, NEXT_DAY, false);

        assertThatThrownBy(() -> UsageTransform.transform(offGrid, HOURLY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not on the 1h window grid");
    }

    @Test
    void factsReadSliceBySliceAreTheFactsOfTheWholeRangeAndTheirCountIsKnownWithoutMakingThem() {
        Instant start = DAY.minus(Duration.ofDays(2));
        Instant stop = Instant.parse("2026-11-24T17:20:00Z");
        ServerUsage always = server("00000000-0000-0000-0000-000000000001", "2026-11-01T00:00:00Z", null, 1, 2048, 10,
                start, stop);
        ServerUsage gone = server("00000000-0000-0000-0000-000000000002", "2026-11-22T05:10:00.250000Z",
                "2026-11-23T01:00:00Z", 2, 4096, 20, start, stop);
        ServerUsage late = server("00000000-0000-0000-0000-000000000003", "2026-11-24T16:59:59Z", null, 4, 8192, 40,
                start, stop);
        List<ServerUsage> rows = List.of(always, gone, late);
        TransformedRange range = UsageTransform.transform(extraction(start, NEXT_DAY, stop, true,
                tenant(rows, start, stop)), HOURLY);

        List<WindowFact> whole = new ArrayList<>();
        range.forEachFact(whole::add);
        assertThat(range.factCount()).isEqualTo(whole.size()).as("66 + 20 + 2 windows").isEqualTo(88);
        assertThat(range.facts()).isEqualTo(whole);
        List<WindowFact> sliced = new ArrayList<>();
        for (Instant slice = start; slice.isBefore(NEXT_DAY); slice = slice.plus(Duration.ofHours(7))) {
            Instant end = slice.plus(Duration.ofHours(7)).isAfter(NEXT_DAY) ? NEXT_DAY : slice.plus(Duration.ofHours(7));
            range.forEachFact(slice, end, sliced::add);
        }
        assertThat(sliced).containsExactlyInAnyOrderElementsOf(whole);
        assertThat(whole).filteredOn(WindowFact::provisional).extracting(f -> f.windowStart().toString())
                .containsOnly("2026-11-24T17:00:00Z");
    }

    // --- builders: rows as Nova would return them, with hours and totals computed by Nova's formulas ---

    static ServerUsage server(String id, String startedAt, String endedAt, int vcpus, int memoryMb, int localGb,
            Instant rangeStart, Instant stop) {
        Instant started = Instant.parse(startedAt);
        Instant ended = endedAt == null ? null : Instant.parse(endedAt);
        Instant from = started.isAfter(rangeStart) ? started : rangeStart;
        Instant to = ended == null || ended.isAfter(stop) ? stop : ended;
        double hours = Duration.between(from, to).toNanos() / 1000 / 1_000_000.0 / 3600.0;
        return new ServerUsage(id, PROJECT, "vm", hours, "m1.test", vcpus, memoryMb, localGb, started, ended,
                ended == null ? "active" : "terminated", 0);
    }

    private static ServerUsage withHours(ServerUsage s, double hours) {
        return new ServerUsage(s.instanceId(), s.tenantId(), s.name(), hours, s.flavor(), s.vcpus(), s.memoryMb(),
                s.localGb(), s.startedAt(), s.endedAt(), s.state(), s.uptime());
    }

    static PageTotals novaTotals(List<ServerUsage> servers) {
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        for (ServerUsage s : servers) {
            hours += s.hours();
            vcpus += s.vcpus() * s.hours();
            memory += s.memoryMb() * s.hours();
            disk += s.localGb() * s.hours();
        }
        return new PageTotals(servers.size(), hours, vcpus, memory, disk);
    }

    private static TenantUsage tenant(List<ServerUsage> servers, Instant start, Instant stop) {
        return new TenantUsage(PROJECT, servers, List.of(novaTotals(servers)), start, stop);
    }

    private static UsageExtraction closed(ServerUsage... servers) {
        return extraction(DAY, NEXT_DAY, NEXT_DAY, false, tenant(List.of(servers), DAY, NEXT_DAY));
    }

    private static UsageExtraction extraction(Instant start, Instant end, Instant stop, boolean provisional,
            TenantUsage... tenants) {
        return new UsageExtraction(Scope.project(PROJECT), start, end, stop, stop, provisional, "2.40", false,
                List.of(tenants), List.of());
    }
}
