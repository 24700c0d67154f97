package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped example policy file is the policy the README describes, and the one demo imports. */
class BillingPolicyCsvTest {

    private static List<String> described(List<PolicyLine> lines) {
        return lines.stream().map(l -> l.vmState() + " " + BillingPolicyCsv.codes(l.billed()) + " recovered=" + l.recovered()
                + " " + l.validity() + " " + l.policyName()).toList();
    }

    @Test
    void theExampleFileBillsOnlyTheDiskWhileStoppedOrShelvedAndEverythingWhilePausedOrSuspended() throws IOException {
        List<PolicyLine> lines;
        try (Reader reader = Files.newBufferedReader(Path.of("examples/billing-policy.csv"), StandardCharsets.UTF_8)) {
            lines = BillingPolicyCsv.read(reader, "billing-policy.csv");
        }

        String everything = "vcpu_hour, ram_gb_hour, disk_gb_hour, flavor_hour";
        assertThat(described(lines)).containsExactly(
                "stopped disk_gb_hour recovered=false [2020-01-01T00:00:00Z, open) billing-policy.csv",
                "shelved disk_gb_hour recovered=false [2020-01-01T00:00:00Z, open) billing-policy.csv",
                "shelved_offloaded disk_gb_hour recovered=false [2020-01-01T00:00:00Z, open) billing-policy.csv",
                "paused " + everything + " recovered=false [2020-01-01T00:00:00Z, open) billing-policy.csv",
                "suspended " + everything + " recovered=false [2020-01-01T00:00:00Z, open) billing-policy.csv");
        assertThat(described(BillingPolicy.example("demo"))).isEqualTo(described(lines));
    }
}
