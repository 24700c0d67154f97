package org.osmetrics.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The streaming page reader gives exactly the tree reader's page, or leaves the page to it. */
class UsagePageReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "{\"hours\": 10.010277777777778, \"flavor\": \"m1.small\", "
            + "\"instance_id\": \"1f1deceb-17b5-4c04-84c7-e0d4499c8fe0\", \"name\": \"web \\u00e9\", "
            + "\"tenant_id\": \"6f70656e737461636b20342065766572\", \"memory_mb\": 2048, \"local_gb\": 20, \"vcpus\": 1, "
            + "\"started_at\": \"2026-10-01T12:34:56.789012\", \"ended_at\": null, \"state\": \"active\", \"uptime\": 45296}";
    private static final String TOTALS = "\"total_local_gb_usage\": 200.20555555555555, \"total_vcpus_usage\": 10.010277777777778, "
            + "\"total_memory_mb_usage\": 20501.04888888889, \"total_hours\": 10.010277777777778, "
            + "\"start\": \"2026-10-01T00:00:00.000000\", \"stop\": \"2026-10-02T00:00:00.000000\"";

    private static String list(String row, String links) {
        return "{\"tenant_usages\": [{\"tenant_id\": \"6f70656e737461636b20342065766572\", \"server_usages\": [" + row
                + "], " + TOTALS + "}]" + links + "}";
    }

    private static UsagePage tree(String body, boolean allProjects) throws Exception {
        return UsagePage.parse(JSON.readTree(body), allProjects, "http://nova/x");
    }

    @Test
    void readsNovasPlainPageExactlyAsTheTreeReaderDoes() throws Exception {
        String body = list(ROW + ", " + ROW.replace("1f1deceb", "2f1deceb").replace("\"ended_at\": null",
                "\"ended_at\": \"2026-10-01T23:00:00.5\"").replace("\"name\": \"web \\u00e9\"", "\"name\": null")
                .replace("\"flavor\": \"m1.small\"", "\"flavor\": null").replace("10.010277777777778", "24"),
                ", \"tenant_usages_links\": [{\"href\": \"http://nova/x?limit=2&marker=2f1deceb-17b5\", \"rel\": \"next\"}]");
        UsagePage page = new UsagePageReader().read(body, true);
        assertThat(page).isEqualTo(tree(body, true));
        assertThat(page.nextMarker()).isEqualTo("2f1deceb-17b5");
        assertThat(page.tenants().get(0).servers().get(1).hours()).isEqualTo(24.0);
        assertThat(page.tenants().get(0).servers().get(1).flavor()).isEmpty();
    }

    @Test
    void readsTheShowCallAndItsEmptyAnswer() throws Exception {
        String body = "{\"tenant_usage\": {\"tenant_id\": \"6f70656e737461636b20342065766572\", \"server_usages\": ["
                + ROW + "], " + TOTALS + "}}";
        assertThat(new UsagePageReader().read(body, false)).isEqualTo(tree(body, false));
        assertThat(new UsagePageReader().read("{\"tenant_usage\": {}}", false).tenants()).isEmpty();
    }

    @Test
    void sharesRepeatedProjectIdsFlavorsAndStatesAcrossPages() {
        UsagePageReader reader = new UsagePageReader();
        ServerUsage first = reader.read(list(ROW, ""), true).tenants().get(0).servers().get(0);
        ServerUsage second = reader.read(list(ROW, ""), true).tenants().get(0).servers().get(0);
        assertThat(second.tenantId()).isSameAs(first.tenantId());
        assertThat(second.flavor()).isSameAs(first.flavor());
        assertThat(second.state()).isSameAs(first.state());
    }

    @Test
    void leavesEveryPageThatIsNotPlainToTheTreeReader() {
        UsagePageReader reader = new UsagePageReader();
        String[] notPlain = {
            list(ROW.replace("\"vcpus\": 1, ", ""), ""),                          // a required field missing
            list(ROW.replace("\"vcpus\": 1", "\"vcpus\": \"1\""), ""),            // mistyped
            list(ROW.replace("\"vcpus\": 1", "\"vcpus\": 1.5"), ""),              // not an integer
            list(ROW.replace("\"memory_mb\": 2048", "\"memory_mb\": 3000000000"), ""), // beyond int
            list(ROW.replace("\"state\": \"active\"", "\"state\": \"active\", \"state\": \"stopped\""), ""), // a key twice
            list(ROW.replace("\"name\": \"web \\u00e9\"", "\"name\": 7"), ""),    // asText of a number: the tree's call
            list(ROW.replace("2026-10-01T12:34:56.789012", "yesterday"), ""),     // not a Nova time
            list(ROW, ", \"tenant_usages_links\": [{\"href\": \"http://nova/x?limit=2\", \"rel\": \"next\"}]"),
            list(ROW, "") + " {}",                                               // trailing content
            list(ROW, "").substring(10),                                         // not JSON
            "",
            "{\"tenant_usage\": {}}",                                            // the show call's key on a list call
        };
        for (String body : notPlain) {
            assertThat(reader.read(body, true)).as(body).isNull();
        }
    }
}
