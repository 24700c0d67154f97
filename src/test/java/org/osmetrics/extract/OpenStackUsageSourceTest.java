package org.osmetrics.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimInstance;
import org.osmetrics.sim.SimRequest;
import org.osmetrics.sim.SimServer;

/** The usage source against the simulated OpenStack over real HTTP. */
class OpenStackUsageSourceTest {

    private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-10-02T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-03T00:00:00Z");

    private static SimClock clock;
    private static SimServer sim;

    @BeforeAll
    static void startSimulator() {
        clock = new SimClock(NOW);
        sim = SimServer.start(SimCloud.generate(42, 12, 2500, FROM, TO), clock);
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void resetSimulator() {
        sim.faults().clear();
        sim.setMaxLimit(1000);
        sim.setMaxMicroversion("2.96");
        sim.clearRequests();
    }

    private static OpenStackUsageSource admin(int pageSize) {
        return OpenStackUsageSource.connect(SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), pageSize), clock);
    }

    private static OpenStackUsageSource adminAt(String microversion, int pageSize) {
        Map<String, String> env = SimulatedCloud.adminEnvironment(sim);
        env.put("OS_COMPUTE_API_VERSION", microversion);
        return OpenStackUsageSource.connect(SimulatedCloud.settings(env, pageSize), clock);
    }

    /** The instances Nova counts in [start, end): launched before the end, not terminated before the start. */
    private static List<SimInstance> expected(Instant start, Instant end, String projectId) {
        return sim.cloud().instances().stream()
                .filter(i -> i.launchedAt() != null && i.launchedAt().isBefore(end))
                .filter(i -> i.terminatedAt() == null || i.terminatedAt().isAfter(start))
                .filter(i -> projectId == null || i.projectId().equals(projectId))
                .toList();
    }

    private static List<ServerUsage> servers(UsageExtraction extraction) {
        return extraction.tenants().stream().flatMap(t -> t.servers().stream()).toList();
    }

    @Test
    void twoAndAHalfThousandServersInPagesOfAThousandAreEachReadExactlyOnce() {
        Instant start = Instant.parse("2020-01-01T00:00:00Z");
        List<SimInstance> expected = expected(start, TO, null);
        assertThat(expected).hasSizeGreaterThan(2000);
        UsageExtraction extraction;
        try (OpenStackUsageSource source = admin(1000)) {
            extraction = source.extract(start, TO, Scope.allProjects());
        }
        List<String> ids = servers(extraction).stream().map(ServerUsage::instanceId).toList();
        assertThat(ids).hasSameSizeAs(new HashSet<>(ids));
        assertThat(new HashSet<>(ids)).isEqualTo(expected.stream().map(SimInstance::uuid).collect(Collectors.toSet()));
        List<SimRequest> calls = sim.usageRequests();
        int fullPages = expected.size() / 1000;
        assertThat(calls).hasSize(fullPages + 1);
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.header("OpenStack-API-Version")).isEqualTo("compute 2.40");
            assertThat(call.pathAndQuery()).contains("limit=1000").contains("detailed=1");
        });
        assertThat(extraction.rawPages()).hasSize(calls.size());
        assertThat(extraction.microversion()).isEqualTo("2.40");
        assertThat(extraction.truncationSuspected()).isFalse();
        assertThat(extraction.provisional()).isFalse();
        for (TenantUsage tenant : extraction.tenants()) {
            assertThat(tenant.mergedTotals().serverCount()).isEqualTo(tenant.servers().size());
        }
    }

    @Test
    void belowMaxLimitMicroversions21And240GiveIdenticalRecords() {
        String project = sim.memberProjectId();
        UsageExtraction old;
        UsageExtraction paged;
        try (OpenStackUsageSource source = adminAt("2.1", 1000)) {
            old = source.extract(FROM, TO, Scope.project(project));
        }
        try (OpenStackUsageSource source = admin(1000)) {
            paged = source.extract(FROM, TO, Scope.project(project));
        }
        assertThat(servers(old)).isNotEmpty().hasSizeLessThan(1000);
        assertThat(old.microversion()).isEqualTo("2.1");
        assertThat(paged.microversion()).isEqualTo("2.40");
        assertThat(servers(old)).isEqualTo(servers(paged));
        assertThat(old.tenants().get(0).mergedTotals()).isEqualTo(paged.tenants().get(0).mergedTotals());
        assertThat(old.truncationSuspected()).isFalse();
    }

    @Test
    void aboveMaxLimitTheMicroversion21ReadIsFlaggedAsTruncated() {
        Instant start = Instant.parse("2020-01-01T00:00:00Z");
        UsageExtraction old;
        UsageExtraction paged;
        try (OpenStackUsageSource source = adminAt("2.1", 1000)) {
            old = source.extract(start, TO, Scope.allProjects());
        }
        try (OpenStackUsageSource source = admin(1000)) {
            paged = source.extract(start, TO, Scope.allProjects());
        }
        assertThat(old.serverCount()).isEqualTo(1000);
        assertThat(old.truncationSuspected()).isTrue();
        assertThat(paged.serverCount()).isGreaterThan(2000);
        assertThat(paged.truncationSuspected()).isFalse();
    }

    @Test
    void anOldCloudWithoutPagingIsReadAt21() {
        sim.setMaxMicroversion("2.39");
        try (OpenStackUsageSource source = admin(1000)) {
            assertThat(source.microversion()).isEqualTo("2.1");
            assertThat(source.extract(FROM, TO, Scope.project(sim.memberProjectId())).serverCount()).isPositive();
        }
        assertThat(sim.usageRequests().get(0).pathAndQuery()).doesNotContain("limit=");
    }

    @Test
    void aServerDeletedInsideTheRangeKeepsItsStateAndEndTimeAndTimesKeepMicroseconds() {
        UsageExtraction extraction;
        try (OpenStackUsageSource source = admin(1000)) {
            extraction = source.extract(FROM, TO, Scope.allProjects());
        }
        Map<String, ServerUsage> byId = servers(extraction).stream()
                .collect(Collectors.toMap(ServerUsage::instanceId, Function.identity()));
        List<SimInstance> deletedInside = expected(FROM, TO, null).stream()
                .filter(i -> i.terminatedAt() != null && i.terminatedAt().isBefore(TO)).toList();
        assertThat(deletedInside).isNotEmpty();
        for (SimInstance instance : deletedInside) {
            ServerUsage server = byId.get(instance.uuid());
            assertThat(server.state()).isEqualTo("terminated");
            assertThat(server.endedAt()).isEqualTo(instance.terminatedAt());
        }
        boolean sawMicroseconds = false;
        for (SimInstance instance : expected(FROM, TO, null)) {
            ServerUsage server = byId.get(instance.uuid());
            assertThat(server.startedAt()).isEqualTo(instance.launchedAt());
            if (instance.terminatedAt() == null) {
                assertThat(server.endedAt()).isNull();
                assertThat(server.state()).isEqualTo(instance.vmState());
            }
            sawMicroseconds |= server.startedAt().getNano() % 1_000_000 != 0;
            String raw = "\"started_at\": \"" + NovaTime.format(server.startedAt()) + "\"";
            assertThat(extraction.rawPages()).anySatisfy(page -> assertThat(page.body()).contains(raw));
        }
        assertThat(sawMicroseconds).as("some launch time has microseconds").isTrue();
    }

    @Test
    void a503IsRetriedAndTheReadCompletes() {
        sim.faults().failNext(503, 1);
        try (OpenStackUsageSource source = admin(1000)) {
            UsageExtraction extraction = source.extract(FROM, TO, Scope.project(sim.memberProjectId()));
            assertThat(extraction.serverCount()).isEqualTo(expected(FROM, TO, sim.memberProjectId()).size());
        }
        assertThat(sim.usageRequests()).extracting(SimRequest::status).containsExactly(503, 200);
    }

    @Test
    void anExpiredTokenMidRunIsRenewedOnceAndTheRunContinues() {
        try (OpenStackUsageSource source = admin(1000)) {
            UsageExtraction first = source.extract(FROM, TO, Scope.project(sim.memberProjectId()));
            sim.expireAllTokens();
            UsageExtraction second = source.extract(FROM, TO, Scope.project(sim.memberProjectId()));
            assertThat(servers(second)).isEqualTo(servers(first));
        }
        assertThat(sim.requests().stream().filter(r -> r.pathAndQuery().endsWith("/auth/tokens"))).hasSize(2);
        assertThat(sim.usageRequests()).extracting(SimRequest::status).containsExactly(200, 401, 200);
    }

    @Test
    void anApplicationCredentialReadsItsProjectAndIsRenewedAfterExpiry() {
        OpenStackSettings settings = SimulatedCloud.settings(SimulatedCloud.applicationCredentialEnvironment(sim), 1000);
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(settings, clock)) {
            assertThat(source.scopedProjectId()).isEqualTo(sim.memberProjectId());
            sim.expireAllTokens();
            UsageExtraction extraction = source.extract(FROM, TO, Scope.project(source.scopedProjectId()));
            assertThat(extraction.serverCount()).isEqualTo(expected(FROM, TO, sim.memberProjectId()).size());
            assertThat(source.projectNames()).containsKey(sim.memberProjectId());
        }
    }

    @Test
    void aBodyCutShortIsRetriedAndTheReadCompletesWithNothingOfTheCutPage() {
        UsageExtraction undisturbed;
        try (OpenStackUsageSource source = admin(1000)) {
            undisturbed = source.extract(FROM, TO, Scope.allProjects());
        }
        sim.clearRequests();
        sim.faults().truncateNextBody();
        try (OpenStackUsageSource source = admin(1000)) {
            UsageExtraction extraction = source.extract(FROM, TO, Scope.allProjects());
            assertThat(servers(extraction)).isEqualTo(servers(undisturbed));
            assertThat(extraction.rawPages()).hasSameSizeAs(undisturbed.rawPages());
        }
        assertThat(sim.usageRequests()).as("every page once, the cut one twice")
                .hasSize(undisturbed.rawPages().size() + 1);
        assertThat(sim.usageRequests().get(0).pathAndQuery()).isEqualTo(sim.usageRequests().get(1).pathAndQuery());
    }

    @Test
    void bodiesCutShortPastTheRetryBoundFailNamingTheUrl() {
        for (int i = 0; i < 30; i++) {
            sim.faults().truncateNextBody();
        }
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(
                SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), 1000, Duration.ofSeconds(3), Duration.ofSeconds(1)),
                clock)) {
            assertThatThrownBy(() -> source.extract(FROM, TO, Scope.allProjects()))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.SOURCE))
                    .hasMessageContaining("/os-simple-tenant-usage?start=2026-10-01T00%3A00%3A00.000000")
                    .hasMessageContaining("the response body was cut short (HTTP 200, Content-Length ")
                    .hasMessageContaining("retries are bounded by --retry-for 1 s");
        }
        assertThat(sim.usageRequests()).hasSizeGreaterThan(1);
    }

    @Test
    void malformedJsonFailsLoudlyNamingTheUrlWithoutRetrying() {
        sim.faults().malformNextBody();
        try (OpenStackUsageSource source = admin(1000)) {
            assertThatThrownBy(() -> source.extract(FROM, TO, Scope.allProjects()))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.SOURCE))
                    .hasMessageContaining("malformed JSON from http://")
                    .hasMessageContaining("/os-simple-tenant-usage?");
        }
        assertThat(sim.usageRequests()).hasSize(1);
    }

    @Test
    void aTokenRenewalAfterA401AgainstAStalledKeystoneEndsWithinTheRetryBound() {
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(
                SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), 1000, Duration.ofSeconds(1), Duration.ofSeconds(2)),
                clock)) {
            sim.expireAllTokens();
            sim.faults().delayKeystone(Duration.ofSeconds(4), 10);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                    () -> source.extract(FROM, TO, Scope.project(sim.memberProjectId())))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.SOURCE))
                    .hasMessageContaining("Keystone login (POST " + sim.authUrl() + "/auth/tokens)")
                    .hasMessageContaining("no answer within the read timeout of 1 s"));
        }
    }

    @Test
    void aTokenRenewedBeforeItsExpiryAgainstAStalledKeystoneEndsWithinTheRetryBound() {
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(
                SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), 1000, Duration.ofSeconds(1), Duration.ofSeconds(2)),
                clock)) {
            sim.faults().delayKeystone(Duration.ofSeconds(4), 10);
            clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // tokens live 1 h: within the renewal margin
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(source::projectNames)
                        .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.SOURCE))
                        .hasMessageContaining("Keystone login (POST " + sim.authUrl() + "/auth/tokens)"));
            } finally {
                clock.set(NOW);
            }
        }
    }

    @Test
    void aHostThatAnsweredEarlierKeepsTheFullRetryBudgetWhenItStopsAnswering() {
        SimClock ownClock = new SimClock(NOW);
        SimServer own = SimServer.start(SimCloud.generate(7, 2, 20, FROM, TO), ownClock);
        OpenStackSettings settings = SimulatedCloud.settings(SimulatedCloud.adminEnvironment(own), 1000,
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        Supplier<OpenStackUsageSource> connector = OpenStackUsageSource.connector(settings, ownClock);
        try (OpenStackUsageSource source = connector.get()) {
            own.close(); // Keystone and Nova answered, now the port refuses
            assertThatThrownBy(connector::get).as("another worker of the same run")
                    .isInstanceOf(OsMetricsException.class)
                    .hasMessageContaining("Keystone login (POST " + own.authUrl() + "/auth/tokens)")
                    .hasMessageContaining("retries are bounded by --retry-for 1 s")
                    .hasMessageNotContaining("nothing has answered");
            assertThatThrownBy(() -> source.extract(FROM, TO, Scope.allProjects()))
                    .isInstanceOf(OsMetricsException.class)
                    .hasMessageContaining("retries are bounded by --retry-for 1 s")
                    .hasMessageNotContaining("nothing has answered");
            ownClock.advance(Duration.ofMinutes(59).plusSeconds(30)); // the renewal of the token: Keystone answered earlier too
            assertThatThrownBy(source::projectNames)
                    .isInstanceOf(OsMetricsException.class)
                    .hasMessageContaining("Keystone login (POST " + own.authUrl() + "/auth/tokens)")
                    .hasMessageContaining("retries are bounded by --retry-for 1 s")
                    .hasMessageNotContaining("nothing has answered");
        } finally {
            own.close();
        }
    }

    @Test
    void aPasswordLoginByUserIdAndProjectIdReadsTheProject() {
        Map<String, String> env = new java.util.HashMap<>(SimulatedCloud.adminEnvironment(sim));
        env.remove("OS_USERNAME");
        env.remove("OS_USER_DOMAIN_NAME");
        env.remove("OS_PROJECT_NAME");
        env.remove("OS_PROJECT_DOMAIN_ID");
        env.put("OS_USER_ID", SimCredentials.MEMBER_USER_ID);
        env.put("OS_PASSWORD", SimCredentials.MEMBER_PASSWORD);
        env.put("OS_PROJECT_ID", sim.memberProjectId());
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(SimulatedCloud.settings(env, 1000), clock)) {
            assertThat(source.scopedProjectId()).isEqualTo(sim.memberProjectId());
            assertThat(source.extract(FROM, TO, Scope.project(sim.memberProjectId())).serverCount())
                    .isEqualTo(expected(FROM, TO, sim.memberProjectId()).size());
        }
    }

    @Test
    void aBodyBeyondJacksonsReadLimitsFailsAsASourceErrorNamingTheUrl() {
        sim.faults().rewriteNextBody(body -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        try (OpenStackUsageSource source = admin(1000)) {
            assertThatThrownBy(() -> source.extract(FROM, TO, Scope.allProjects()))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.SOURCE))
                    .hasMessageContaining("malformed JSON from http://")
                    .hasMessageContaining("/os-simple-tenant-usage?")
                    .hasMessageEndingWith("characters): nested more than 1,000 levels deep");
        }
    }

    @Test
    void aRepeatedMarkerIsAPagingLoopError() {
        sim.faults().repeatMarkerNext();
        try (OpenStackUsageSource source = admin(200)) {
            assertThatThrownBy(() -> source.extract(Instant.parse("2020-01-01T00:00:00Z"), TO, Scope.allProjects()))
                    .isInstanceOf(OsMetricsException.class).hasMessageContaining("repeats marker");
        }
    }

    @Test
    void allProjectsWithoutAdminIsRefusedNamingThePolicy() {
        OpenStackSettings settings = SimulatedCloud.settings(SimulatedCloud.applicationCredentialEnvironment(sim), 1000);
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(settings, clock)) {
            assertThatThrownBy(() -> source.extract(FROM, TO, Scope.allProjects()))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG))
                    .hasMessageContaining("os-simple-tenant-usage:list").hasMessageContaining("admin");
        }
        assertThat(sim.usageRequests()).hasSize(1);
    }

    @Test
    void aRangeStartingInTheFutureIsNeverRequested() {
        try (OpenStackUsageSource source = admin(1000)) {
            assertThatThrownBy(() -> source.extract(NOW.plusSeconds(1), NOW.plus(1, ChronoUnit.DAYS), Scope.allProjects()))
                    .isInstanceOf(OsMetricsException.class).hasMessageContaining("starts at or after now");
        }
        assertThat(sim.usageRequests()).isEmpty();
    }

    @Test
    void anOpenRangeIsProvisional() {
        try (OpenStackUsageSource source = admin(1000)) {
            UsageExtraction extraction = source.extract(NOW.minusSeconds(3600), NOW.plusSeconds(3600),
                    Scope.project(sim.memberProjectId()));
            assertThat(extraction.provisional()).isTrue();
            assertThat(extraction.stop()).isEqualTo(NOW);
        }
    }

    @Test
    void adminGetsProjectNamesFromKeystone() {
        try (OpenStackUsageSource source = admin(1000)) {
            Set<String> ids = sim.cloud().projects().stream().map(p -> p.id()).collect(Collectors.toSet());
            assertThat(source.projectNames().keySet()).containsAll(ids);
        }
    }
}
