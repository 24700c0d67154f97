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
                check(rate, other, "the price already in the rate card " + other.describe() + " at "
                        + other.unitPrice().toPlainString() + " " + other.currency() + " (imported from " + other.source()
                        + ")");
            }
            for (Rate other : added.subList(0, i)) {
                check(rate, other, other.describe() + " of " + other.source());
            }
        }
    }

    private static void check(Rate rate, Rate other, String otherDescribed) {
        if (!rate.overlaps(other)) {
            return;
        }
        if (rate.samePriced(other)) {
            throw RateCardCsv.refused(rate.source(), rate.describe() + " overlaps " + otherDescribed
                    + (sameLine(rate, other)
                            ? ", the very same price: the file was probably imported already ('rates list' shows the"
                                    + " card; 'rates import --replace' replaces the whole card)"
                            : "; end one before the other starts (valid_to is exclusive)"));
        }
        if (!rate.currency().equals(other.currency())) {
            throw RateCardCsv.refused(rate.source(), "currency " + rate.currency() + " differs from "
                    + other.currency() + " of " + otherDescribed + ", in force at the same time; one currency at a time");
        }
    }

    /** The same price, currency and validity: the line of a file imported twice. */
    private static boolean sameLine(Rate rate, Rate other) {
        return rate.unitPrice().compareTo(other.unitPrice()) == 0 && rate.currency().equals(other.currency())
                && rate.validFrom().equals(other.validFrom()) && java.util.Objects.equals(rate.validTo(), other.validTo());
    }
}
