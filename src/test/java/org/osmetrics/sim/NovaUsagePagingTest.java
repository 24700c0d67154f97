package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NovaUsagePagingTest {
    private static final Instant START = Instant.parse("2024-10-02T00:00:00Z");
    private static final Instant END = Instant.parse("2024-10-03T00:00:00Z");
    private static final String WINDOW = "start=2024-10-02T00:00:00&end=2024-10-03T00:00:00";
    private static final SimFlavor SMALL = new SimFlavor("m1.small", 1, 2048, 20, 0);

    private SimServer sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** {@code count} running servers spread over three projects, all launched before the window. */
    private static SimCloud runningServers(int count) {
        SimCloud.Builder builder = SimCloud.builder();
        String[] projects = {"1" + "0".repeat(31), "2" + "0".repeat(31), "3" + "0".repeat(31)};
        for (String project : projects) {
            builder.project(project, "p" + project.charAt(0));
        }
        for (int i = 0; i < count; i++) {
            builder.instance(new SimInstance(String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", i),
                    "vm-" + i, projects[i % 3], SMALL, START.minus(Duration.ofDays(1)), null, "active"));
        }
        return builder.build();
    }

    private SimClient startWith(SimCloud cloud) {
        sim = SimServer.start(cloud, new SimClock(END.plus(Duration.ofDays(1))));
        return new SimClient(sim);
    }

    @Test
    void listPagesTwoThousandFiveHundredServersInThreePagesFollowingNextLinks() {
        SimClient client = startWith(runningServers(2500));
        String token = client.adminToken();
        String url = sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&limit=1000&" + WINDOW;
        List<Integer> pageSizes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String previousLast = null;
        while (url != null) {
            JsonNode page = client.get(url, token, "2.40").json();
            int rows = 0;
            for (JsonNode tenant : page.get("tenant_usages")) {
                for (JsonNode server : tenant.get("server_usages")) {
                    assertThat(seen.add(server.get("instance_id").asText())).isTrue();
                    assertThat(server.get("hours").asDouble()).isEqualTo(24.0);
                    previousLast = server.get("instance_id").asText();
                    rows++;
                }
            }
            pageSizes.add(rows);
            JsonNode links = page.get("tenant_usages_links");
            if (rows == 1000) {
                String href = links.get(0).get("href").asText();
                assertThat(links.get(0).get("rel").asText()).isEqualTo("next");
                String base = sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&end=2024-10-03T00%3A00%3A00&limit=1000";
                assertThat(href).isIn(
                        base + "&start=2024-10-02T00%3A00%3A00&marker=" + previousLast,
                        base + "&marker=" + previousLast + "&start=2024-10-02T00%3A00%3A00");
                url = href;
            } else {
                assertThat(links).isNull();
                url = null;
            }
        }
        assertThat(pageSizes).containsExactly(1000, 1000, 500);
        assertThat(seen).hasSize(2500);
    }

    @Test
    void exactlyFullLastPageIsFollowedByAnEmptyPage() {
        SimClient client = startWith(runningServers(2000));
        String token = client.adminToken();
        JsonNode second = client.get(sim.computeUrl() + "/os-simple-tenant-usage?limit=1000&marker="
                + "00000000-0000-4000-8000-000000001997&" + WINDOW, token, "2.40").json();
        assertThat(second.toString()).isEqualTo("{\"tenant_usages\":[]}"); // last server in (project, uuid) order
        String project = "1" + "0".repeat(31);
        JsonNode show = client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + project + "?limit=667&" + WINDOW,
                token, "2.40").json();
        assertThat(show.get("tenant_usage").get("server_usages")).hasSize(667);
        String next = show.get("tenant_usage_links").get(0).get("href").asText();
        assertThat(client.get(next, token, "2.40").body()).isEqualTo("{\"tenant_usage\": {}}");
    }

    @Test
    void firstPageLinkAppendsTheMarkerAfterTheSortedParameters() {
        SimClient client = startWith(runningServers(10));
        JsonNode page = client.get(sim.computeUrl() + "/os-simple-tenant-usage?start=2024-10-02+00%3A00%3A00.5&end=2024-10-03T00:00:00&limit=4",
                client.adminToken(), "2.40").json();
        assertThat(page.get("tenant_usages_links").get(0).get("href").asText()).isEqualTo(sim.computeUrl()
                + "/os-simple-tenant-usage?end=2024-10-03T00%3A00%3A00&limit=4&start=2024-10-02+00%3A00%3A00.5"
                + "&marker=00000000-0000-4000-8000-000000000009");
    }

    @Test
    void limitZeroGivesAnEmptyPageWithoutLink() {
        SimClient client = startWith(runningServers(10));
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage?limit=0&" + WINDOW, client.adminToken(), "2.40")
                .body()).isEqualTo("{\"tenant_usages\": []}");
    }

    @Test
    void unknownMarkerIsABadRequest() {
        SimClient client = startWith(runningServers(10));
        SimClient.Response response = client.get(sim.computeUrl() + "/os-simple-tenant-usage?marker=nope&" + WINDOW,
                client.adminToken(), "2.40");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"badRequest\": {\"code\": 400, \"message\": \"Marker nope could not be found.\"}}");
    }

    @Test
    void belowMicroversion240TheListIsSilentlyCutAtMaxLimit() {
        SimClient client = startWith(runningServers(1500));
        String token = client.adminToken();
        JsonNode page = client.get(sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&limit=5&" + WINDOW, token, null).json();
        int rows = 0;
        for (JsonNode tenant : page.get("tenant_usages")) {
            rows += tenant.get("server_usages").size();
        }
        assertThat(rows).isEqualTo(1000);
        assertThat(page.has("tenant_usages_links")).isFalse();
        sim.setMaxLimit(700);
        JsonNode cut = client.get(sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&" + WINDOW, token, "2.1").json();
        rows = 0;
        for (JsonNode tenant : cut.get("tenant_usages")) {
            rows += tenant.get("server_usages").size();
        }
        assertThat(rows).isEqualTo(700);
    }

    @Test
    void limitAboveMaxLimitIsCappedAndStillLinks() {
        SimClient client = startWith(runningServers(30));
        sim.setMaxLimit(10);
        JsonNode page = client.get(sim.computeUrl() + "/os-simple-tenant-usage?limit=50&" + WINDOW, client.adminToken(), "2.40").json();
        double hours = 0;
        for (JsonNode tenant : page.get("tenant_usages")) {
            hours += tenant.get("total_hours").asDouble();
        }
        assertThat(hours).isEqualTo(240.0);
        assertThat(page.get("tenant_usages_links").get(0).get("href").asText()).contains("limit=50");
    }
}
