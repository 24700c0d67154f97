package org.osmetrics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.KeystoneProject;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.load.Cloud;
import org.osmetrics.load.CloudRepository;
import org.osmetrics.load.UsageLoader;

/**
 * Each project's Keystone domain is recorded with its name (issue #18, rollups by domain), against the simulated
 * Keystone over HTTP: the admin may list projects and domains; a member's application credential may list its own
 * project (with its domain id) but no domain, and then the domain's name recorded before is kept.
 */
class ProjectDomainTest {
    private static final Instant NOW = Instant.parse("2026-11-24T14:23:45Z");
    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Jdbi jdbi;

    @BeforeAll
    static void database() {
        jdbi = test.jdbi();
    }

    private static OpenStackUsageSource source(Map<String, String> env, SimClock clock) {
        ClientTuning tuning = new ClientTuning(100, Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return OpenStackUsageSource.connect(OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(), env, tuning), clock);
    }

    private static List<Map<String, Object>> projects() {
        return jdbi.withHandle(h -> h.createQuery("SELECT project_id, name, domain_id, domain_name FROM metrics.project"
                + " ORDER BY project_id").mapToMap().list());
    }

    @Test
    void aRunRecordsEveryProjectsDomainAndAMemberWhoMayNotListDomainsKeepsTheNameKnown() {
        SimClock clock = new SimClock(NOW);
        try (SimServer sim = SimServer.start(SimCloud.generate(7, 3, 20, NOW.minus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(1))), clock);
             OpenStackUsageSource admin = source(SimulatorLogins.admin(sim), clock);
             OpenStackUsageSource member = source(SimulatorLogins.applicationCredential(sim), clock)) {
            assertThat(admin.projects()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.domainId()).isEqualTo(SimCredentials.DOMAIN_ID);
                assertThat(p.domainName()).isEqualTo(SimCredentials.DOMAIN_NAME);
            });
            CatchUp.Request request = new CatchUp.Request("run", "--all-projects", ScopeChoice.allProjects(), null,
                    Duration.ofDays(1), Duration.ofHours(6), false, false);
            new CatchUp(test.database(), clock).run(admin, request, range -> { });

            List<Map<String, Object>> recorded = projects();
            assertThat(recorded).hasSize(admin.projects().size()).allSatisfy(row -> {
                assertThat(row.get("domain_id")).isEqualTo(SimCredentials.DOMAIN_ID);
                assertThat(row.get("domain_name")).isEqualTo(SimCredentials.DOMAIN_NAME);
            });

            List<KeystoneProject> own = member.projects();
            assertThat(own).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo(sim.memberProjectId());
                assertThat(p.domainId()).isEqualTo(SimCredentials.DOMAIN_ID);
                assertThat(p.domainName()).as("the member may list no domain").isNull();
            });
            Cloud cloud = new CloudRepository(jdbi).find(admin.cloudKey()).orElseThrow();
            CatchUp.recordProjectNames(member, new UsageLoader(jdbi), cloud);
            assertThat(projects()).isEqualTo(recorded);
        }
    }
}
