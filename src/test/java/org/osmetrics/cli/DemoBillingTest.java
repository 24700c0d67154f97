package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * {@code demo} loads the simulated cloud's timelines and prints a stopped and a shelved server billed under the example
 * billing policy (imported for the simulated cloud only) next to Nova's view.
 */
class DemoBillingTest {

    @Test
    void demoPrintsAStoppedAndAShelvedServerBilledUnderTheExamplePolicyNextToNovasView() {
        try (TestDatabase db = TestDatabases.fresh()) {
            CommandRun demo = CommandRun.of(Map.of(), "demo", "--db-url", db.jdbcUrl(), "--projects", "2", "--servers", "30",
                    "--days", "2");

            assertThat(demo.exitCode()).as(demo.err()).isZero();
            List<String> printed = demo.out().lines().filter(l -> l.startsWith("  stopped ") || l.startsWith("  shelved "))
                    .toList();
            assertThat(printed).hasSize(2);
            String cloud = db.jdbi().withHandle(h -> h.createQuery("SELECT cloud_key FROM metrics.cloud").mapTo(String.class).one());
            int policyLines = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.billing_policy p"
                    + " JOIN metrics.cloud c USING (cloud_id) WHERE c.cloud_key = :c AND p.policy_name = 'billing-policy.csv'")
                    .bind("c", cloud).mapTo(Integer.class).one());
            assertThat(policyLines).as("the example policy, for the simulated cloud").isEqualTo(5);
            for (String line : printed) {
                String instance = line.trim().split("\\s+")[1];
                Map<String, Object> sums = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT sum(b.hours) AS hours, (SELECT sum(u.hours::numeric) FROM report.server_usage u
                                                       WHERE u.cloud = :c AND u.instance_id = CAST(:i AS uuid)) AS nova_hours,
                               sum(b.billable_vcpu_hours) FILTER (WHERE b.vm_state IN ('stopped', 'shelved', 'shelved_offloaded'))
                                   AS billed_vcpu_resting,
                               sum(b.hours) FILTER (WHERE b.vm_state IN ('stopped', 'shelved', 'shelved_offloaded')) AS resting,
                               sum(b.disk_gb_hours) AS disk, sum(b.billable_disk_gb_hours) AS billed_disk
                        FROM report.server_usage_billable b
                        WHERE b.cloud = :c AND b.instance_id = CAST(:i AS uuid) AND NOT b.recovered""")
                        .bind("c", cloud).bind("i", instance).mapToMap().one());
                assertThat((BigDecimal) sums.get("hours")).as("the states add up to Nova's hours")
                        .isEqualByComparingTo((BigDecimal) sums.get("nova_hours"));
                assertThat((BigDecimal) sums.get("resting")).as(line).isPositive();
                assertThat((BigDecimal) sums.get("billed_vcpu_resting")).as("no vCPU billed while resting").isZero();
                assertThat((BigDecimal) sums.get("billed_disk")).as("the disk is billed in every state")
                        .isEqualByComparingTo((BigDecimal) sums.get("disk"));
            }
            assertThat(demo.out()).contains("Nova's view", "billed", "hours by state: ");
        }
    }
}
