package org.osmetrics.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one invoice document says: issuer, customer, number, period and its completeness, lines per project, resource
 * and flavor, subtotals per project, the tax and the total. A credit note carries the cancelled invoice's lines with
 * their amounts negated. Amounts are the lines of report.invoice_monthly (each rounded once); the tax is
 * {@code subtotal x rate / 100} rounded half up to the currency's minor unit, once per document.
 */
public record InvoiceData(Issuer issuer, String kind, int number, String numberText, String cloud, String month,
                          Instant periodStart, Instant periodEnd, String completeness, Customer customer, String currency,
                          int minorUnits, List<Line> lines, String credits, Instant issuedAt) {

    /**
     * One line: quantity x unit price = amount, of one project, resource (and flavor) and price; {@code billingPolicy}
     * names the version of the cloud's billing policy whose billable quantity it is (null: none, Nova's view).
     */
    public record Line(String projectId, String projectName, String resource, String flavor, String unit,
                       BigDecimal quantity, BigDecimal unitPrice, BigDecimal amount, String billingPolicy) {
        /** A line billed with no billing policy (Nova's view). */
        public Line(String projectId, String projectName, String resource, String flavor, String unit,
                    BigDecimal quantity, BigDecimal unitPrice, BigDecimal amount) {
            this(projectId, projectName, resource, flavor, unit, quantity, unitPrice, amount, null);
        }

        Line negated() {
            return new Line(projectId, projectName, resource, flavor, unit, quantity.negate(), unitPrice, amount.negate(),
                    billingPolicy);
        }
    }

    public boolean creditNote() {
        return "credit_note".equals(kind);
    }

    /** Subtotal per project id, in line order. */
    public Map<String, BigDecimal> projectSubtotals() {
        Map<String, BigDecimal> subtotals = new LinkedHashMap<>();
        for (Line line : lines) {
            subtotals.merge(line.projectId(), line.amount(), BigDecimal::add);
        }
        return subtotals;
    }

    public BigDecimal subtotal() {
        return lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(minorUnits, RoundingMode.UNNECESSARY);
    }

    /** The tax of the document: subtotal x rate / 100, rounded half up (away from zero) to the minor unit. */
    public BigDecimal tax() {
        return subtotal().multiply(customer.taxRate()).movePointLeft(2).setScale(minorUnits, RoundingMode.HALF_UP);
    }

    public BigDecimal total() {
        return subtotal().add(tax());
    }

    /** The credit note that cancels this invoice. */
    public InvoiceData creditNote(int creditNumber, String creditNumberText, Instant at) {
        List<Line> negated = new ArrayList<>();
        lines.forEach(line -> negated.add(line.negated()));
        return new InvoiceData(issuer, "credit_note", creditNumber, creditNumberText, cloud, month, periodStart, periodEnd,
                completeness, customer, currency, minorUnits, negated, numberText, at);
    }
}
