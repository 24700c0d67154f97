package org.osmetrics.report;

import java.util.List;

/**
 * The rules a cloud's billing policy obeys, so that at most one version is in force at any instant (README,
 * "Billing policy"). A version is the lines of the same validity; a state appears at most once in it; two versions
 * in force at the same time are refused, in the file or against the versions already loaded.
 */
public final class BillingPolicy {
    /** Nova's vm_state names, and {@code terminated}, the state usage reports for a deleted server. */
    public static final List<String> STATES = List.of("active", "stopped", "paused", "suspended", "shelved",
            "shelved_offloaded", "rescued", "resized", "soft-delete", "error", "building", "deleted", "terminated");

    /** The name the example policy goes by (examples/billing-policy.csv, which reads to {@link #example()}). */
    public static final String EXAMPLE_NAME = "billing-policy.csv";

    private BillingPolicy() {
    }

    /**
     * The example policy of README "Billing policy" and examples/billing-policy.csv, in force from 2020-01-01:
     * stopped, shelved and shelved_offloaded bill the disk only; paused and suspended bill everything. For demo's
     * simulated cloud, which must not depend on the file being at hand.
     */
    public static List<PolicyLine> example(String source) {
        java.time.Instant from = java.time.Instant.parse("2020-01-01T00:00:00Z");
        java.util.Set<RateResource> diskOnly = java.util.EnumSet.of(RateResource.DISK_GB_HOUR);
        java.util.Set<RateResource> everything = java.util.EnumSet.allOf(RateResource.class);
        List<PolicyLine> lines = new java.util.ArrayList<>();
        for (String state : List.of("stopped", "shelved", "shelved_offloaded")) {
            lines.add(new PolicyLine(state, diskOnly, false, from, null, EXAMPLE_NAME, source));
        }
        for (String state : List.of("paused", "suspended")) {
            lines.add(new PolicyLine(state, everything, false, from, null, EXAMPLE_NAME, source));
        }
        return List.copyOf(lines);
    }

    /**
     * Refuses the first conflict, naming both sources (file and line).
     *
     * @param kept  the cloud's lines already loaded
     * @param added lines about to be added to it
     */
    public static void checkConsistent(List<PolicyLine> kept, List<PolicyLine> added) {
        // the file against itself first: its own mistakes are named before any conflict with the policy loaded
        for (int i = 0; i < added.size(); i++) {
            PolicyLine line = added.get(i);
            for (PolicyLine other : added.subList(0, i)) {
                if (line.sameVersion(other) && line.vmState().equals(other.vmState())) {
                    throw BillingPolicyCsv.refused(line.source(), "vm_state " + line.vmState() + " is listed twice in the"
                            + " version " + line.validity() + " (also " + other.source() + ")");
                }
                if (!line.sameVersion(other) && line.overlaps(other)) {
                    throw BillingPolicyCsv.refused(line.source(), "the version " + line.validity() + " overlaps the"
                            + " version " + other.validity() + " of " + other.source()
                            + "; one version at a time: end one before the other starts (valid_to is exclusive)");
                }
            }
        }
        for (PolicyLine line : added) {
            for (PolicyLine other : kept) {
                if (line.overlaps(other)) {
                    throw BillingPolicyCsv.refused(line.source(), "the version " + line.validity() + " overlaps the"
                            + " cloud's policy " + other.validity() + " (imported from " + other.source() + ")"
                            + (line.sameVersion(other) && line.policyName().equals(other.policyName())
                                    ? ": the file was probably imported already ('policy list' shows the policy;"
                                            + " 'policy import --replace' replaces it)"
                                    : "; end one before the other starts (valid_to is exclusive), or --replace"));
                }
            }
        }
    }
}
