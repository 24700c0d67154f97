package org.osmetrics.report;

import java.util.List;

/**
 * The rules a whole rate card obeys, so that at most one price applies to anything at any instant:
 * no two prices of the same resource (or flavor) in force at the same time, and one currency at a time.
 */
public final class RateCard {

    private RateCard() {
    }

    /**
     * Refuses the first conflict, naming both sources (file and line).
     *
     * @param kept  prices already in the rate card (their conflicts among themselves are not checked)
     * @param added prices about to be added
     */
    public static void checkConsistent(List<Rate> kept, List<Rate> added) {
        for (int i = 0; i < added.size(); i++) {
            Rate rate = added.get(i);
            for (Rate other : kept) {
                check(rate, other);
            }
            for (Rate other : added.subList(0, i)) {
                check(rate, other);
            }
        }
    }

    private static void check(Rate rate, Rate other) {
        if (!rate.overlaps(other)) {
            return;
        }
        if (rate.samePriced(other)) {
            throw RateCardCsv.refused(rate.source(), rate.describe() + " overlaps " + other.describe() + " of "
                    + other.source() + "; end one before the other starts (valid_to is exclusive)");
        }
        if (!rate.currency().equals(other.currency())) {
            throw RateCardCsv.refused(rate.source(), "currency " + rate.currency() + " differs from "
                    + other.currency() + " of " + other.source() + ", in force at the same time; one currency at a time");
        }
    }
}
