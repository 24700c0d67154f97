package org.osmetrics.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The invoice computed in Java from the raw facts and the raw rate card, without the view: each window
 * priced by the rates in force at its start (a flavor price first), quantities summed per project,
 * resource and price, each line rounded half up to cents, the lines added up.
 */
final class IndependentInvoice {
    private static final BigDecimal MB_PER_GIB = new BigDecimal(1024);

    private IndependentInvoice() {
    }

    private record Fact(String project, Instant windowStart, String flavor, double hours, int vcpus, int memoryMb, int localGb) {
    }

    private record Price(long id, String resource, String flavor, BigDecimal unitPrice, Instant from, Instant to) {
        boolean inForceAt(Instant instant) {
            return !instant.isBefore(from) && (to == null || instant.isBefore(to));
        }
    }

    static BigDecimal compute(Jdbi jdbi, String monthStart, String monthEnd) {
        List<Fact> facts = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT f.project_id, f.window_start, fl.name, f.hours, f.vcpus, f.memory_mb, f.local_gb
                        FROM metrics.usage_fact f JOIN metrics.flavor fl USING (flavor_id)
                        WHERE f.window_start >= CAST(? AS timestamptz) AND f.window_start < CAST(? AS timestamptz)""")
                .bind(0, monthStart).bind(1, monthEnd)
                .map((rows, ctx) -> new Fact(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant(),
                        rows.getString(3), rows.getDouble(4), rows.getInt(5), rows.getInt(6), rows.getInt(7)))
                .list());
        List<Price> prices = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT rate_id, resource, flavor, unit_price, valid_from, valid_to FROM metrics.rate_card")
                .map((rows, ctx) -> new Price(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getBigDecimal(4),
                        rows.getObject(5, OffsetDateTime.class).toInstant(),
                        rows.getObject(6, OffsetDateTime.class) == null ? null : rows.getObject(6, OffsetDateTime.class).toInstant()))
                .list());

        Map<String, BigDecimal> quantities = new TreeMap<>();
        Map<String, BigDecimal> unitPrices = new TreeMap<>();
        for (Fact fact : facts) {
            BigDecimal hours = BigDecimal.valueOf(fact.hours());
            Price flavorPrice = find(prices, "flavor_hour", fact.flavor(), fact.windowStart());
            if (flavorPrice != null) {
                add(quantities, unitPrices, fact.project(), flavorPrice, hours);
                continue;
            }
            add(quantities, unitPrices, fact.project(), find(prices, "vcpu_hour", null, fact.windowStart()),
                    hours.multiply(BigDecimal.valueOf(fact.vcpus())));
            add(quantities, unitPrices, fact.project(), find(prices, "ram_gb_hour", null, fact.windowStart()),
                    hours.multiply(BigDecimal.valueOf(fact.memoryMb())).divide(MB_PER_GIB));
            add(quantities, unitPrices, fact.project(), find(prices, "disk_gb_hour", null, fact.windowStart()),
                    hours.multiply(BigDecimal.valueOf(fact.localGb())));
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> line : quantities.entrySet()) {
            total = total.add(line.getValue().multiply(unitPrices.get(line.getKey())).setScale(2, RoundingMode.HALF_UP));
        }
        return total;
    }

    private static Price find(List<Price> prices, String resource, String flavor, Instant at) {
        return prices.stream()
                .filter(p -> p.resource().equals(resource) && (flavor == null || flavor.equals(p.flavor())) && p.inForceAt(at))
                .findFirst().orElse(null);
    }

    private static void add(Map<String, BigDecimal> quantities, Map<String, BigDecimal> unitPrices, String project,
            Price price, BigDecimal quantity) {
        if (price == null) {
            return;   // unpriced usage has no amount
        }
        String line = project + "/" + price.id();
        quantities.merge(line, quantity, BigDecimal::add);
        unitPrices.put(line, price.unitPrice());
    }
}
