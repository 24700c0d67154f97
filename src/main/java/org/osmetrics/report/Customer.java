package org.osmetrics.report;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A customer invoiced for some projects: its name, cost centre, postal address, tax id, tax rate (a percentage,
 * 21 = 21 %), currency (ISO 4217; the rate card's: no exchange rates) and the file line it came from.
 */
public record Customer(String name, String costCentre, String address, String taxId, BigDecimal taxRate,
                       String currency, String source) {
    public Customer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(taxRate, "taxRate");
        Objects.requireNonNull(currency, "currency");
    }

    /** The same customer details, whatever line they came from. */
    boolean sameDetails(Customer other) {
        return name.equals(other.name) && Objects.equals(costCentre, other.costCentre)
                && Objects.equals(address, other.address) && Objects.equals(taxId, other.taxId)
                && taxRate.compareTo(other.taxRate) == 0 && currency.equals(other.currency);
    }
}
