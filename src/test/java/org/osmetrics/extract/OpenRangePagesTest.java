package org.osmetrics.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.transform.Anomaly;
import org.osmetrics.transform.Reconciliation;
import org.osmetrics.transform.TransformedRange;
import org.osmetrics.transform.UsageTransform;
import org.osmetrics.transform.WindowFact;
import org.osmetrics.transform.WindowGrid;

/**
 * A range that is still open, read in several pages: Nova clamps the range's end to its own "now" at each
 * request, so each page carries its own stop and the running servers of each page have hours up to it.
 */
class OpenRangePagesTest {

    private static final Instant DAY = Instant.parse("2026-12-06T00:00:00Z");
    private static final Instant NEXT_DAY = DAY.plus(Duration.ofDays(1));
    private static final Instant NOW = Instant.parse("2026-12-06T14:29:46.910453Z");
    private static final WindowGrid HOURLY = WindowGrid.ofSeconds(3600);
    private static final Path OPEN_WINDOW_PAGES = Path.of("../shared/fixtures/nova/open-window-pages/pages.json");

    private static SimClock clock;
    private static SimServer sim;

    @BeforeAll
    static void startSimulator() {
        // the simulated Nova's clock moves on between requests as a real one does (about 0.3 s a reading)
        clock = SimClock.ticking(NOW, Duration.ofMillis(320).plusNanos(123_000));
        sim = SimServer.start(SimCloud.generate(77, 6, 2500, DAY.minus(Duration.ofDays(40)), NEXT_DAY), clock);
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    private static UsageExtraction extractToday() {
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(
                SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), 500), clock)) {
            return source.extract(DAY, NEXT_DAY, Scope.allProjects());
        }
    }

    @Test
    void everyServerOfEveryPageOfAnOpenRangeReconcilesWithNovaToTheLastDigit() {
        UsageExtraction extraction = extractToday();
        TransformedRange range = UsageTransform.transform(extraction, HOURLY);

        assertThat(extraction.rawPages()).hasSizeGreaterThanOrEqualTo(3);
        Set<Instant> stops = extraction.tenants().stream().flatMap(t -> t.pageStops().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(stops).as("one stop per page").hasSize(extraction.rawPages().size());
        assertThat(extraction.stop()).isEqualTo(((TreeSet<Instant>) stops).first());
        assertThat(range.anomalies()).extracting(Anomaly::detail).isEmpty();
        assertThat(range.reconciliations()).isNotEmpty().allMatch(Reconciliation::matches);
    }

    @Test
    void aRunningServerOnALaterPageHasHoursUpToItsOwnPagesStop() {
        UsageExtraction extraction = extractToday();
        TransformedRange range = UsageTransform.transform(extraction, HOURLY);
        TenantUsage tenant = extraction.tenants().stream().filter(t -> t.pageStops().size() > 1).findFirst()
                .orElseThrow(() -> new AssertionError("no project straddles two pages"));
        int firstPageRows = tenant.pageTotals().get(0).serverCount();
        ServerUsage running = tenant.servers().stream().skip(firstPageRows).filter(s -> s.endedAt() == null)
                .findFirst().orElseThrow();
        Instant ownStop = tenant.pageStops().get(1);
        assertThat(ownStop).isAfter(tenant.pageStops().get(0));

        long micros = range.facts().stream().filter(f -> f.instanceId().toString().equals(running.instanceId()))
                .mapToLong(WindowFact::micros).sum();
        Instant from = running.startedAt().isAfter(DAY) ? running.startedAt() : DAY;
        assertThat(micros).isEqualTo(Duration.between(from, ownStop).toNanos() / 1000);
    }

    @Test
    void windowsClosedBeforeTheEarliestPageStopAreFinalTheOthersProvisional() {
        UsageExtraction extraction = extractToday();
        TransformedRange range = UsageTransform.transform(extraction, HOURLY);

        assertThat(extraction.provisional()).isTrue();
        assertThat(range.facts()).isNotEmpty().allSatisfy(fact ->
                assertThat(fact.provisional()).as(fact.windowStart().toString())
                        .isEqualTo(fact.windowEnd().isAfter(extraction.stop())));
    }

    /** Real pages of one open range (Nova 26.2.2): each server's hours are Nova's up to its own page's stop. */
    @Test
    void novasRecordedPagesOfAnOpenRangeGiveEachServerItsOwnPagesStop() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(OPEN_WINDOW_PAGES), "../shared/fixtures is absent (not in a user's "
                + "clone): the recorded pages of an open range are not checked");
        JsonNode recorded = new ObjectMapper().readTree(OPEN_WINDOW_PAGES.toFile());
        Map<String, List<UsagePage.TenantPart>> byTenant = new LinkedHashMap<>();
        for (JsonNode page : recorded.get("pages")) {
            for (JsonNode tenant : page.get("tenant_usages")) {
                // the recording keeps two servers a page and says how many it left out: drop that note
                ArrayNode rows = (ArrayNode) tenant.get("server_usages");
                for (int i = rows.size() - 1; i >= 0; i--) {
                    if (rows.get(i).has("...")) {
                        rows.remove(i);
                    }
                }
            }
            UsagePage parsed = UsagePage.parse(page, true, page.get("request").asText());
            parsed.tenants().forEach(part -> byTenant.computeIfAbsent(part.tenantId(), id -> new ArrayList<>()).add(part));
        }
        List<TenantUsage> tenants = new ArrayList<>();
        byTenant.forEach((id, parts) -> tenants.add(new TenantUsage(id,
                parts.stream().flatMap(p -> p.servers().stream()).toList(),
                parts.stream().map(UsagePage.TenantPart::totals).toList(),
                parts.stream().map(UsagePage.TenantPart::stop).toList(), parts.get(0).start())));
        Instant earliest = tenants.stream().flatMap(t -> t.pageStops().stream()).min(Instant::compareTo).orElseThrow();
        UsageExtraction extraction = new UsageExtraction(Scope.allProjects(), DAY, NEXT_DAY, earliest, earliest, true,
                "2.40", false, tenants, List.of());

        TransformedRange range = UsageTransform.transform(extraction, HOURLY);

        assertThat(tenants.stream().flatMap(t -> t.pageStops().stream()).distinct()).hasSize(3);
        // the recording cut each page's servers, so its page totals cannot match: every server must
        assertThat(range.anomalies()).filteredOn(a -> a.kind() != Anomaly.Kind.TOTALS_MISMATCH)
                .extracting(Anomaly::detail).isEmpty();
        assertThat(range.facts()).as("9 running servers, 15 windows each").hasSize(9 * 15);
    }
}
