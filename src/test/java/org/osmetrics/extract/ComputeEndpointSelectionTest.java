package org.osmetrics.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimOptions;
import org.osmetrics.sim.SimServer;

/** Picking Nova's endpoint from the simulated Keystone's catalog. */
class ComputeEndpointSelectionTest {

    private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-10-02T00:00:00Z");
    private final SimClock clock = new SimClock(Instant.parse("2026-10-03T00:00:00Z"));

    private SimServer start(SimOptions options) {
        return SimServer.start(SimCloud.generate(7, 2, 20, FROM, TO), clock, options);
    }

    @Test
    void severalRegionsWithoutAChoiceIsAnErrorListingThem() {
        try (SimServer sim = start(SimOptions.defaults().withRegions("RegionOne", "RegionTwo"))) {
            assertThatThrownBy(() -> OpenStackUsageSource.connect(
                    SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), 1000), clock))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG))
                    .hasMessageContaining("RegionOne, RegionTwo").hasMessageContaining("OS_REGION_NAME");
        }
    }

    @Test
    void theChosenRegionAndInterfaceAreUsed() {
        try (SimServer sim = start(SimOptions.defaults().withRegions("RegionOne", "RegionTwo"))) {
            Map<String, String> env = SimulatedCloud.adminEnvironment(sim);
            env.put("OS_REGION_NAME", "RegionTwo");
            env.put("OS_INTERFACE", "internal");
            try (OpenStackUsageSource source = OpenStackUsageSource.connect(SimulatedCloud.settings(env, 1000), clock)) {
                assertThat(source.computeUrl().toString()).isEqualTo(sim.computeUrl("RegionTwo", "internal"));
                assertThat(source.cloudKey()).endsWith("/RegionTwo");
                source.extract(FROM, TO, Scope.project(sim.memberProjectId()));
            }
            assertThat(sim.usageRequests()).allSatisfy(r -> assertThat(r.pathAndQuery()).startsWith("/compute/RegionTwo/internal/"));
        }
    }

    @Test
    void aCatalogWithoutComputeIsAnErrorNotNoUsage() {
        try (SimServer sim = start(SimOptions.defaults().withoutComputeInCatalog())) {
            assertThatThrownBy(() -> OpenStackUsageSource.connect(
                    SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), 1000), clock))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG))
                    .hasMessageContaining("no compute");
        }
    }

    @Test
    void aComputeUrlWithTheProjectIdWorks() {
        try (SimServer sim = start(SimOptions.defaults().withComputeUrlWithProjectId(true))) {
            try (OpenStackUsageSource source = OpenStackUsageSource.connect(
                    SimulatedCloud.settings(SimulatedCloud.adminEnvironment(sim), 1000), clock)) {
                assertThat(source.microversion()).isEqualTo("2.40");
                assertThat(source.extract(FROM, TO, Scope.allProjects()).serverCount()).isPositive();
            }
        }
    }
}
