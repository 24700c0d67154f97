package org.osmetrics.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One price of the rate card, in force for windows starting in {@code [validFrom, validTo)}.
 *
 * @param resource   what is priced
 * @param flavor     the flavor name for {@link RateResource#FLAVOR_HOUR}, else null
 * @param unitPrice  the price of one unit, exact
 * @param currency   ISO 4217 code
 * @param minorUnits decimals of the currency's minor unit (amounts are rounded to it)
 * @param validTo    exclusive; null while the price is open-ended
 * @param source     where the price came from ("rates.csv line 4"), for messages
 */
public record Rate(
        RateResource resource,
        String flavor,
        BigDecimal unitPrice,
        String currency,
        int minorUnits,
        Instant validFrom,
        Instant validTo,
        String source) {

    /** Digits of a price in all, and after the decimal point: metrics.rate_card's unit_price (V87). */
    public static final int PRICE_PRECISION = 19;
    public static final int PRICE_SCALE = 10;
    /** The largest price: 999999999.9999999999. */
    public static final BigDecimal MAX_PRICE = BigDecimal.ONE.movePointRight(PRICE_PRECISION - PRICE_SCALE)
            .subtract(BigDecimal.ONE.movePointLeft(PRICE_SCALE));

    public Rate {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(source, "source");
        if ((resource == RateResource.FLAVOR_HOUR) != (flavor != null)) {
            throw new IllegalArgumentException("a flavor goes with flavor_hour, and only with it");
        }
    }

    /** True when both prices are in force at some instant. */
    boolean overlaps(Rate other) {
        boolean startsBeforeOtherEnds = other.validTo == null || validFrom.isBefore(other.validTo);
        boolean otherStartsBeforeThisEnds = validTo == null || other.validFrom.isBefore(validTo);
        return startsBeforeOtherEnds && otherStartsBeforeThisEnds;
    }

    /** True when both price the same thing (a resource, or one flavor). */
    boolean samePriced(Rate other) {
        return resource == other.resource && Objects.equals(flavor, other.flavor);
    }

    /** "vcpu_hour [2026-01-01T00:00:00Z, open)" or "flavor_hour gpu.xl [...)". */
    String describe() {
        return resource.code() + (flavor == null ? "" : " " + flavor) + " [" + Values.instant(validFrom) + ", "
                + (validTo == null ? "open" : Values.instant(validTo)) + ")";
    }
}
