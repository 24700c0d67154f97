package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimCloudTest {
    private static final Instant FROM = Instant.parse("2024-10-02T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-10-03T00:00:00Z");

    @Test
    void sameSeedGivesTheSameCloudAndAnotherSeedAnotherOne() {
        SimCloud one = SimCloud.generate(42, 5, 500, FROM, TO);
        SimCloud again = SimCloud.generate(42, 5, 500, FROM, TO);
        assertThat(again.instances()).isEqualTo(one.instances());
        assertThat(again.projects()).isEqualTo(one.projects());
        assertThat(again.resizes()).isEqualTo(one.resizes());
        assertThat(SimCloud.generate(43, 5, 500, FROM, TO).instances()).isNotEqualTo(one.instances());
    }

    @Test
    void generatedCloudHasEveryLifetimeShapeOddNamesAndTheOpenSetOfStates() {
        SimCloud cloud = SimCloud.generate(1, 10, 3000, FROM, TO);
        List<SimInstance> instances = cloud.instances();
        assertThat(instances).hasSize(3000);
        assertThat(cloud.projects()).hasSize(10).allMatch(p -> p.id().matches("[0-9a-f]{32}"));
        assertThat(instances).anyMatch(i -> i.launchedAt() == null);
        assertThat(instances).anyMatch(i -> i.launchedAt() != null && i.launchedAt().isBefore(FROM) && i.terminatedAt() == null);
        assertThat(instances).anyMatch(i -> i.terminatedAt() != null && i.terminatedAt().isAfter(FROM) && i.terminatedAt().isBefore(TO));
        assertThat(instances).anyMatch(i -> i.terminatedAt() != null && i.terminatedAt().isBefore(FROM));
        assertThat(instances).anyMatch(i -> i.launchedAt() != null && i.launchedAt().isAfter(FROM) && i.launchedAt().isBefore(TO));
        assertThat(instances).anyMatch(i -> i.launchedAt() != null && i.launchedAt().isAfter(TO));
        assertThat(instances).anyMatch(i -> i.launchedAt() != null && i.launchedAt().getNano() % 1_000_000_000 != 0);
        assertThat(instances).extracting(SimInstance::name)
                .contains("", "line one\nline two", "=cmd|' /C calc'!A0", "comma, separated, name", "naïve-café-ñandú");
        Set<String> states = new HashSet<>();
        instances.forEach(i -> states.add(i.usageState()));
        assertThat(states).contains("active", "terminated", "shelved_offloaded", "stopped", "soft-delete", "rescued",
                "error", "suspended");
        assertThat(cloud.resizes()).isNotEmpty().allSatisfy(resize -> {
            SimInstance resized = cloud.instance(resize.instanceUuid()).orElseThrow();
            assertThat(resized.launchedAt()).isEqualTo(resize.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            assertThat(resized.flavor()).isEqualTo(resize.to());
            assertThat(resize.launchedBefore()).isBefore(resize.at());
        });
    }

    @Test
    void instancesAreInNovasOrderAndInstancesOfUnknownProjectsAreRefused() {
        SimCloud cloud = SimCloud.generate(9, 7, 700, FROM, TO);
        List<SimInstance> instances = cloud.instances();
        for (int i = 1; i < instances.size(); i++) {
            SimInstance a = instances.get(i - 1);
            SimInstance b = instances.get(i);
            int byProject = a.projectId().compareTo(b.projectId());
            assertThat(byProject < 0 || (byProject == 0 && a.uuid().compareTo(b.uuid()) < 0)).isTrue();
        }
        SimCloud.Builder builder = SimCloud.builder().instance(new SimInstance("u", "n", "nope",
                CloudGenerator.FLAVORS.get(0), FROM, null, "active"));
        assertThatThrownBy(builder::build).hasMessageContaining("project nope");
    }

    @Test
    void thirtyThousandServersAcrossTwoHundredProjectsPageCompletelyAtLimitThousand() {
        SimCloud cloud = SimCloud.generate(2024, 200, 30_000, FROM, TO);
        long counted = cloud.instances().stream().filter(i -> NovaUsage.counted(i, FROM, TO)).count();
        try (SimServer sim = SimServer.start(cloud, new SimClock(Instant.parse("2024-10-04T00:00:00Z")))) {
            SimClient client = new SimClient(sim);
            String token = client.adminToken();
            String url = sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&limit=1000"
                    + "&start=2024-10-02T00:00:00&end=2024-10-03T00:00:00";
            long rows = 0;
            int pages = 0;
            Set<String> tenants = new HashSet<>();
            while (url != null) {
                JsonNode page = client.get(url, token, "2.40").json();
                pages++;
                for (JsonNode tenant : page.get("tenant_usages")) {
                    tenants.add(tenant.get("tenant_id").asText());
                    rows += tenant.get("server_usages").size();
                }
                JsonNode links = page.get("tenant_usages_links");
                url = links == null ? null : links.get(0).get("href").asText();
            }
            assertThat(rows).isEqualTo(counted);
            assertThat(pages).isEqualTo((int) (counted / 1000) + 1);
            assertThat(tenants).hasSize(200);
        }
    }
}
