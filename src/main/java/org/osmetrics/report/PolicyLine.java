package org.osmetrics.report;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One line of a billing policy (README, "Billing policy"): in one vm_state, which resources of the rate card are
 * billed, for windows starting in {@code [validFrom, validTo)}.
 *
 * @param vmState    Nova's vm_state name, or {@code terminated} ({@link BillingPolicy#STATES})
 * @param billed     the resources billed in that state (the others are not)
 * @param recovered  whether recovered hours (hours Nova dropped) in that state are billed, for {@code billed}
 * @param validTo    exclusive; null while open-ended
 * @param policyName the file the line came from ("billing-policy.csv"): invoices name the version by it
 * @param source     file and line ("billing-policy.csv line 4"), for messages
 */
public record PolicyLine(String vmState, Set<RateResource> billed, boolean recovered, Instant validFrom, Instant validTo,
                         String policyName, String source) {

    public PolicyLine {
        Objects.requireNonNull(vmState, "vmState");
        billed = Set.copyOf(billed);
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(source, "source");
    }

    public boolean bills(RateResource resource) {
        return billed.contains(resource);
    }

    /** True when both lines belong to the same version: the same validity. */
    boolean sameVersion(PolicyLine other) {
        return validFrom.equals(other.validFrom) && Objects.equals(validTo, other.validTo);
    }

    /** True when both lines are in force at some instant. */
    boolean overlaps(PolicyLine other) {
        boolean startsBeforeOtherEnds = other.validTo == null || validFrom.isBefore(other.validTo);
        boolean otherStartsBeforeThisEnds = validTo == null || other.validFrom.isBefore(validTo);
        return startsBeforeOtherEnds && otherStartsBeforeThisEnds;
    }

    /** "[2020-01-01T00:00:00Z, open)". */
    String validity() {
        return "[" + Values.instant(validFrom) + ", " + (validTo == null ? "open" : Values.instant(validTo)) + ")";
    }
}
