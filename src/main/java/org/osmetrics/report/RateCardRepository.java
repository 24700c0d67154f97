package org.osmetrics.report;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/** The rate card table ({@code metrics.rate_card}). Thread-safe. */
public final class RateCardRepository {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private static final String SELECT_RATES = SQL.locate(RateCardRepository.class, "list");
    private static final String INSERT_RATE = SQL.locate(RateCardRepository.class, "insert");

    private final Jdbi jdbi;

    public RateCardRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every price of the rate card. */
    public List<Rate> all() {
        return jdbi.withHandle(RateCardRepository::all);
    }

    /**
     * Adds the prices (or, with {@code replace}, replaces the whole rate card by them) in one transaction,
     * after checking them against the prices kept.
     *
     * @param runId       the run of the run ledger that imports them
     * @param source      where the prices come from (the file name), for the audit log
     * @param commandLine the command line without secrets, for the audit log
     * @return the number of prices in the rate card afterwards
     */
    public int importRates(List<Rate> rates, boolean replace, long runId, String source, String commandLine) {
        return jdbi.inTransaction(handle -> {
            // one import at a time: the check below must see every price it could conflict with
            handle.execute(SQL.locate(RateCardRepository.class, "lock"));
            int removed = 0;
            if (replace) {
                removed = handle.execute(SQL.locate(RateCardRepository.class, "deleteAll"));
            }
            RateCard.checkConsistent(all(handle), rates);
            var batch = handle.prepareBatch(INSERT_RATE);
            for (Rate rate : rates) {
                batch.bind("resource", rate.resource().code())
                        .bind("flavor", rate.flavor())
                        .bind("unitPrice", rate.unitPrice())
                        .bind("currency", rate.currency())
                        .bind("minorUnits", rate.minorUnits())
                        .bind("validFrom", utc(rate.validFrom()))
                        .bind("validTo", rate.validTo() == null ? null : utc(rate.validTo()))
                        .bind("source", rate.source())
                        .bind("runId", runId)
                        .add();
            }
            batch.execute();
            // Statistics for the planner: autovacuum never analyses a table this small (under 50 changed rows),
            // and without them the planner takes it for 10 pages, costs report.invoice_monthly a thousand times
            // too high and JIT-compiles it (about a second, longer than the query itself). Through a function of the
            // owner (V85): ANALYZE is for the table owner, and the loader that imports rates is not.
            handle.execute(SQL.locate(RateCardRepository.class, "analyze"));
            int total = handle.createQuery(SQL.locate(RateCardRepository.class, "count")).mapTo(Integer.class).one();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("source", source);
            detail.put("replace", replace);
            detail.put("prices_added", rates.size());
            detail.put("prices_removed", removed);
            detail.put("prices_after", total);
            detail.put("prices", rates.stream().map(RateCardRepository::auditDetail).toList());
            AuditLog.record(handle, new AuditLog.Event("rates import", source, detail, commandLine, runId));
            return total;
        });
    }

    /** A price as the audit log keeps it. */
    private static Map<String, Object> auditDetail(Rate rate) {
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("resource", rate.resource().code());
        price.put("flavor", rate.flavor());
        price.put("unit_price", rate.unitPrice().toPlainString());
        price.put("currency", rate.currency());
        price.put("valid_from", rate.validFrom().toString());
        price.put("valid_to", rate.validTo() == null ? null : rate.validTo().toString());
        return price;
    }

    private static List<Rate> all(Handle handle) {
        return handle.createQuery(SELECT_RATES)
                .map((rows, ctx) -> new Rate(
                        RateResource.ofCode(rows.getString("resource")).orElseThrow(),
                        rows.getString("flavor"),
                        rows.getBigDecimal("unit_price"),
                        rows.getString("currency"),
                        rows.getInt("minor_units"),
                        rows.getObject("valid_from", OffsetDateTime.class).toInstant(),
                        instantOrNull(rows.getObject("valid_to", OffsetDateTime.class)),
                        rows.getString("source")))
                .list();
    }

    private static Instant instantOrNull(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
