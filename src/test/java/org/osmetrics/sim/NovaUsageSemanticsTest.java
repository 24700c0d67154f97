package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NovaUsageSemanticsTest {
    private static final String PROJECT = "bd56a02429374556bbd43d325f351ea3";
    private static final String OTHER = "ffff0000000000000000000000000000";
    private static final SimFlavor SMALL = new SimFlavor("m1.small", 1, 2048, 20, 0);
    private static final String DAY = "start=2024-10-02T00:00:00&end=2024-10-03T00:00:00";

    private SimServer sim;
    private SimClient client;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** Two servers with microsecond lifetimes, one deleted, in one project; a second, empty project. */
    private void start(Instant now, SimOptions options) {
        SimCloud cloud = SimCloud.builder()
                .project(PROJECT, "science")
                .project(OTHER, "empty")
                .instance(new SimInstance("11111111-0000-4000-8000-000000000001", "deleted \"one\"", PROJECT, SMALL,
                        Instant.parse("2024-10-02T10:00:00.123457Z"), Instant.parse("2024-10-02T20:00:37.000001Z"),
                        "deleted"))
                .instance(new SimInstance("22222222-0000-4000-8000-000000000002", "running", PROJECT, SMALL,
                        Instant.parse("2024-10-01T23:59:59.999999Z"), null, "shelved_offloaded"))
                .instance(new SimInstance("33333333-0000-4000-8000-000000000003", "never", PROJECT, SMALL,
                        null, null, "error"))
                .build();
        sim = SimServer.start(cloud, new SimClock(now), options);
        client = new SimClient(sim);
    }

    private void start(Instant now) {
        start(now, SimOptions.defaults());
    }

    @Test
    void hoursAndTotalsAreNovasDoublesBitForBitAndEndIsClampedToNow() {
        start(Instant.parse("2024-10-02T12:00:00.5Z"));
        SimClient.Response response = client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + PROJECT + "?" + DAY,
                client.adminToken(), "2.40");
        String body = response.body();
        // launched 10:00:00.123457, deleted 20:00:37.000001, but now is 12:00:00.5: stop is clamped
        assertThat(body).contains("\"stop\": \"2024-10-02T12:00:00.500000\"");
        JsonNode tenant = response.json().get("tenant_usage");
        JsonNode deleted = tenant.get("server_usages").get(0);
        assertThat(deleted.get("instance_id").asText()).isEqualTo("11111111-0000-4000-8000-000000000001");
        JsonNode running = tenant.get("server_usages").get(1);
        // its deletion at 20:00:37 lies after now: Nova cannot know it yet
        assertThat(deleted.get("state").asText()).isEqualTo("active");
        assertThat(deleted.get("ended_at").isNull()).isTrue();
        assertThat(deleted.get("uptime").asLong()).isEqualTo(7200);
        assertThat(running.get("state").asText()).isEqualTo("shelved_offloaded");
        assertThat(running.get("ended_at").isNull()).isTrue();
        assertThat(body).contains("\"hours\": 12.00013888888889", "\"uptime\": 43200");
        assertThat(tenant.get("server_usages")).hasSize(2);
    }

    @Test
    void closedWindowGivesPythonsExactHoursAndTotals() throws Exception {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        String body = client.get(sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&start=2024-10-02T00:00:00"
                + "&end=2024-10-02T12:00:00.500000", client.adminToken(), null).body();
        // values printed by CPython's repr for the same datetimes
        assertThat(body).contains("\"hours\": 2.000104595277778", "\"hours\": 12.00013888888889");
        JsonNode tenant = SimClient.JSON.readTree(body).get("tenant_usages").get(0);
        assertThat(tenant.get("total_hours").asDouble()).isEqualTo(2.000104595277778 + 12.00013888888889);
        assertThat(body).startsWith("{\"tenant_usages\": [{\"tenant_id\": \"" + PROJECT + "\", \"server_usages\": [{\"hours\": ");
        assertThat(body).contains("\"name\": \"deleted \\\"one\\\"\", \"tenant_id\"");
        assertThat(body).contains("\"total_local_gb_usage\": ", "\"start\": \"2024-10-02T00:00:00.000000\", "
                + "\"stop\": \"2024-10-02T12:00:00.500000\"}]}");
    }

    @Test
    void fourMicrosecondWindowGivesExponentFormHours() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        String body = client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + PROJECT
                + "?start=2024-10-02T12:00:00.000000&end=2024-10-02T12:00:00.000004", client.adminToken(), null).body();
        assertThat(body).contains("\"hours\": 1.111111111111111e-09");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-10-02", "2024-10-02T00:00:00Z", "2024-10-02T00:00:00%2B00:00", "2024-10-02+00:00:00",
            "2024-10-02T00:00:00.1234567", "2024-02-30T00:00:00", "yesterday"})
    void startOutsideNovasThreeFormatsIsABadRequest(String start) {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        SimClient.Response response = client.get(sim.computeUrl() + "/os-simple-tenant-usage?start=" + start
                + "&end=2024-10-03T00:00:00", client.adminToken(), "2.40");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"badRequest\": {\"code\": 400, \"message\": "
                + "\"Invalid datetime string: Datetime is in invalid format\"}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-10-02T00:00:00", "2024-10-02T00:00:00.5", "2024-10-02+00%3A00%3A00.000000",
            "2024-10-02t00:00:00"})
    void novasThreeFormatsAreAccepted(String start) {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        SimClient.Response response = client.get(sim.computeUrl() + "/os-simple-tenant-usage?start=" + start
                + "&end=2024-10-03T00:00:00", client.adminToken(), "2.40");
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void startNotBeforeEndIsABadRequestCheckedBeforeTheClamp() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        String token = client.adminToken();
        SimClient.Response equal = client.get(sim.computeUrl() + "/os-simple-tenant-usage?start=2024-10-02T00:00:00"
                + "&end=2024-10-02T00:00:00", token, "2.40");
        assertThat(equal.status()).isEqualTo(400);
        assertThat(equal.json().get("badRequest").get("message").asText())
                .isEqualTo("Invalid start time. The start time cannot occur after the end time.");
        // both missing: start and end are both "now", which Nova refuses too
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage", token, "2.40").status()).isEqualTo(400);
        // a future start passes the check; stop is clamped below start and hours go negative (clients must avoid it)
        JsonNode future = client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + PROJECT
                + "?start=2024-10-06T00:00:00&end=2024-10-07T00:00:00", token, "2.40").json();
        assertThat(future.get("tenant_usage").get("total_hours").asDouble()).isNegative();
    }

    @Test
    void showOfAProjectWithoutUsageIsAnEmptyObject() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        SimClient.Response response = client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + OTHER + "?" + DAY,
                client.adminToken(), "2.40");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"tenant_usage\": {}}");
    }

    @Test
    void listWithoutDetailedHasTotalsOnlyAndDetailedMustBeTheLiteralOne() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        String token = client.adminToken();
        for (String flag : new String[] {"", "&detailed=true", "&detailed=0"}) {
            JsonNode tenant = client.get(sim.computeUrl() + "/os-simple-tenant-usage?" + DAY + flag, token, "2.40")
                    .json().get("tenant_usages").get(0);
            assertThat(tenant.has("server_usages")).as(flag).isFalse();
            assertThat(tenant.get("total_hours").asDouble()).isPositive();
        }
    }

    @Test
    void strictQueryFrom275RejectsDetailedOnShowAndUnknownParameters() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        String token = client.adminToken();
        String show = sim.computeUrl() + "/os-simple-tenant-usage/" + PROJECT + "?detailed=1&" + DAY;
        assertThat(client.get(show, token, "2.74").status()).isEqualTo(200);
        assertThat(client.get(show, token, "2.75").status()).isEqualTo(400);
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&" + DAY, token, "2.75").status())
                .isEqualTo(200);
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage?foo=1&" + DAY, token, "2.40").status())
                .isEqualTo(200);
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage?foo=1&" + DAY, token, "2.96").status())
                .isEqualTo(400);
    }

    @Test
    void negativeOrNonIntegerLimitIsABadRequestFrom240Only() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        String token = client.adminToken();
        for (String limit : new String[] {"-1", "abc", "1.5", ""}) {
            assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage?limit=" + limit + "&" + DAY, token, "2.40")
                    .status()).as(limit).isEqualTo(400);
        }
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage?limit=-1&" + DAY, token, "2.39").status())
                .isEqualTo(200);
    }

    @Test
    void versionDocumentAdvertisesTheRangeAndAboveItIsNotAcceptable() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        JsonNode versions = client.get(sim.computeUrl().replace("/v2.1", "/"), null, null).json();
        JsonNode current = versions.get("versions").get(1);
        assertThat(current.get("version").asText()).isEqualTo("2.96");
        assertThat(current.get("min_version").asText()).isEqualTo("2.1");
        assertThat(current.get("links").get(0).get("href").asText()).isEqualTo(sim.computeUrl() + "/");
        String token = client.adminToken();
        String url = sim.computeUrl() + "/os-simple-tenant-usage?" + DAY;
        SimClient.Response tooNew = client.get(url, token, "2.97");
        assertThat(tooNew.status()).isEqualTo(406);
        assertThat(tooNew.json().get("computeFault").get("code").asInt()).isEqualTo(406);
        SimClient.Response ok = client.get(url, token, "2.40");
        assertThat(ok.header("OpenStack-API-Version")).isEqualTo("compute 2.40");
        assertThat(ok.header("X-OpenStack-Nova-API-Version")).isEqualTo("2.40");
        sim.setMaxMicroversion("2.1");
        assertThat(client.get(sim.computeUrl() + "/", null, null).json().get("version").get("version").asText())
                .isEqualTo("2.1");
        assertThat(client.get(url, token, "2.40").status()).isEqualTo(406);
        assertThat(client.get(url, token, null).header("OpenStack-API-Version")).isEqualTo("compute 2.1");
    }

    @Test
    void catalogWithProjectIdInTheUrlKeepsItInNextLinksAndRejectsAnotherProject() {
        start(Instant.parse("2024-10-05T00:00:00Z"), SimOptions.defaults().withComputeUrlWithProjectId(true));
        String token = client.adminToken();
        String base = sim.computeUrl() + "/" + SimCredentials.ADMIN_PROJECT_ID;
        JsonNode page = client.get(base + "/os-simple-tenant-usage?limit=1&" + DAY, token, "2.40").json();
        assertThat(page.get("tenant_usages_links").get(0).get("href").asText())
                .startsWith(base + "/os-simple-tenant-usage?end=");
        SimClient.Response wrong = client.get(sim.computeUrl() + "/" + PROJECT + "/os-simple-tenant-usage?" + DAY,
                token, "2.40");
        assertThat(wrong.status()).isEqualTo(400);
    }

    @Test
    void regionsAndInterfacesAreDistinctEndpointsAndComputeCanBeLeftOut() {
        start(Instant.parse("2024-10-05T00:00:00Z"), SimOptions.defaults().withRegions("RegionTwo", "RegionOne"));
        String token = client.adminToken();
        String regionOne = sim.computeUrl("RegionOne", "internal");
        assertThat(regionOne).endsWith("/compute/RegionOne/internal/v2.1");
        assertThat(client.get(regionOne + "/os-simple-tenant-usage?" + DAY, token, "2.40").status()).isEqualTo(200);
        assertThat(sim.usageRequests().get(0).pathAndQuery()).startsWith("/compute/RegionOne/internal/v2.1/");
        SimClient.Response auth = client.post(sim.authUrl() + "/auth/tokens", "{\"auth\": {\"identity\": {\"methods\": "
                + "[\"password\"], \"password\": {\"user\": {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}, "
                + "\"password\": \"" + SimCredentials.ADMIN_PASSWORD + "\"}}}}}");
        JsonNode compute = auth.json().get("token").get("catalog").get(1);
        assertThat(compute.get("endpoints")).hasSize(6);
        assertThat(compute.get("endpoints").get(0).get("region_id").asText()).isEqualTo("RegionTwo");
        sim.close();
        start(Instant.parse("2024-10-05T00:00:00Z"), SimOptions.defaults().withoutComputeInCatalog());
        auth = client.post(sim.authUrl() + "/auth/tokens", "{\"auth\": {\"identity\": {\"methods\": [\"password\"], "
                + "\"password\": {\"user\": {\"id\": \"" + SimCredentials.MEMBER_USER_ID + "\", \"password\": \""
                + SimCredentials.MEMBER_PASSWORD + "\"}}}}}");
        assertThat(auth.json().get("token").get("catalog").findValuesAsText("type")).containsExactly("identity");
    }

    @Test
    void resizeResetsLaunchedAtAndRepricesTheWholeWindow() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        SimFlavor large = new SimFlavor("m1.large", 4, 8192, 80, 0);
        sim.replaceCloud(sim.cloud().resized("22222222-0000-4000-8000-000000000002",
                Instant.parse("2024-10-02T12:00:00Z"), large));
        JsonNode server = client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + PROJECT + "?" + DAY,
                client.adminToken(), "2.40").json().get("tenant_usage").get("server_usages").get(1);
        assertThat(server.get("flavor").asText()).isEqualTo("m1.large");
        assertThat(server.get("started_at").asText()).isEqualTo("2024-10-02T12:00:00.000000");
        assertThat(server.get("hours").asDouble()).isEqualTo(12.0);
        assertThat(server.get("vcpus").asInt()).isEqualTo(4);
        assertThat(sim.cloud().resizes()).hasSize(1);
    }

    @Test
    void deletionAndResizeAfterNowAreNotVisibleYet() {
        start(Instant.parse("2024-10-05T00:00:00Z"));
        SimFlavor large = new SimFlavor("m1.large", 4, 8192, 80, 0);
        sim.replaceCloud(sim.cloud().resized("22222222-0000-4000-8000-000000000002",
                Instant.parse("2024-10-02T12:00:00Z"), large));
        ((SimClock) sim.clock()).set(Instant.parse("2024-10-02T11:00:00Z"));
        JsonNode servers = client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + PROJECT + "?" + DAY,
                client.adminToken(), "2.40").json().get("tenant_usage").get("server_usages");
        JsonNode resizedLater = servers.get(1);
        assertThat(resizedLater.get("flavor").asText()).isEqualTo(SMALL.name());
        assertThat(resizedLater.get("started_at").asText()).isEqualTo("2024-10-01T23:59:59.999999");
        assertThat(resizedLater.get("hours").asDouble()).isEqualTo(11.0);
        JsonNode deletedLater = servers.get(0);
        assertThat(deletedLater.get("state").asText()).isEqualTo("active");
        assertThat(deletedLater.get("ended_at").isNull()).isTrue();
    }
}
