package org.osmetrics.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;

/**
 * The billing policy table ({@code metrics.billing_policy}; README, "Billing policy"): imports a cloud's policy after
 * checking it, shows what it changes in the invoices, lists it. Thread-safe.
 */
public final class BillingPolicyRepository {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** A line of a cloud's policy. */
    public record Stored(String cloud, PolicyLine line) {
    }

    /** What an import changes in one invoice line (month, project, resource, flavor): quantity and amount. */
    public record Change(String month, String projectId, String resource, String flavor, BigDecimal quantityBefore,
                         BigDecimal quantityAfter, BigDecimal amountBefore, BigDecimal amountAfter, String currency,
                         boolean invoiced) {
    }

    /** What an import did (or, dry, would do). */
    public record Outcome(int linesAdded, int linesRemoved, int linesAfter, List<Change> changes, boolean imported) {
    }

    private final Jdbi jdbi;

    public BillingPolicyRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The policy of one cloud, or of every cloud ({@code cloud} null). */
    public List<Stored> lines(String cloud) {
        return jdbi.withHandle(handle -> lines(handle, cloud));
    }

    /**
     * Adds the lines to the cloud's policy (or, with {@code replace}, replaces its policy by them) in one transaction,
     * after checking them against the lines kept. A change to a month already invoiced (an invoice in force for it)
     * is a restatement: refused unless {@code restate}; the month's next {@code invoice} then cancels the invoice by a
     * credit note and issues a new one. With {@code dryRun} nothing is kept: the outcome says what would change.
     *
     * @param changesOf which months' changes to compute: every month the import touches ({@code dryRun}), or only the
     *                  invoiced ones (enough to decide a restatement)
     * @param runId     the run of the run ledger that imports them (null for a dry run)
     */
    public Outcome importPolicy(String cloud, List<PolicyLine> lines, boolean replace, boolean restate, boolean dryRun,
                                Long runId, String source, String commandLine) {
        try (Handle handle = jdbi.open()) {
            handle.begin();
            try {
                Outcome outcome = importIn(handle, cloud, lines, replace, restate, dryRun, runId, source, commandLine);
                if (dryRun) {
                    handle.rollback();
                } else {
                    handle.commit();
                }
                return outcome;
            } catch (RuntimeException e) {
                handle.rollback();
                throw e;
            }
        }
    }

    private Outcome importIn(Handle handle, String cloud, List<PolicyLine> lines, boolean replace, boolean restate,
                             boolean dryRun, Long runId, String source, String commandLine) {
        // one import at a time: the check below must see every line it could conflict with
        handle.execute(SQL.locate(BillingPolicyRepository.class, "lockPolicy"));
        int cloudId = handle.createQuery(SQL.locate(BillingPolicyRepository.class, "cloudId")).bind("cloud", cloud)
                .mapTo(Integer.class).findOne()
                .orElseThrow(() -> OsMetricsException.usage("unknown cloud '" + cloud + "' (--cloud)"));
        List<PolicyLine> kept = lines(handle, cloud).stream().map(Stored::line).toList();
        List<PolicyLine> removed = replace ? kept : List.of();
        // the span the import may change: every version added or removed
        List<PolicyLine> touched = new ArrayList<>(lines);
        touched.addAll(removed);
        Instant from = touched.stream().map(PolicyLine::validFrom).min(Instant::compareTo).orElseThrow();
        Instant to = touched.stream().anyMatch(l -> l.validTo() == null) ? Instant.parse("9999-01-01T00:00:00Z")
                : touched.stream().map(PolicyLine::validTo).max(Instant::compareTo).orElseThrow();
        List<String> invoiced = handle.createQuery(SQL.locate(BillingPolicyRepository.class, "invoiced")).bind("cloud", cloud)
                .mapTo(String.class).list();
        if (!dryRun && invoiced.isEmpty()) {
            // nothing closed: no restatement possible, and nothing to compute
            from = to;
        }
        Map<List<String>, Billed> before = billed(handle, cloud, from, to);
        if (replace) {
            handle.createUpdate(SQL.locate(BillingPolicyRepository.class, "deleteLines")).bind("cloudId", cloudId)
                    .execute();
        }
        BillingPolicy.checkConsistent(replace ? List.of() : kept, lines);
        var batch = handle.prepareBatch(SQL.locate(BillingPolicyRepository.class, "insertLine"));
        for (PolicyLine line : lines) {
            batch.bind("cloudId", cloudId)
                    .bind("validFrom", utc(line.validFrom()))
                    .bind("validTo", line.validTo() == null ? null : utc(line.validTo()))
                    .bind("vmState", line.vmState())
                    .bind("vcpuHour", line.bills(RateResource.VCPU_HOUR))
                    .bind("ramGbHour", line.bills(RateResource.RAM_GB_HOUR))
                    .bind("diskGbHour", line.bills(RateResource.DISK_GB_HOUR))
                    .bind("flavorHour", line.bills(RateResource.FLAVOR_HOUR))
                    .bind("recovered", line.recovered())
                    .bind("policyName", line.policyName())
                    .bind("source", line.source())
                    .bind("runId", runId)
                    .add();
        }
        batch.execute();
        Map<List<String>, Billed> after = billed(handle, cloud, from, to);
        List<Change> changes = changes(before, after, invoiced, dryRun);
        List<String> restated = changes.stream().filter(Change::invoiced).map(Change::month).distinct().toList();
        if (!restated.isEmpty() && !restate && !dryRun) {
            throw OsMetricsException.usage("policy import: " + source + " changes months already invoiced ("
                    + String.join(", ", restated) + "): a restatement. 'policy import --dry-run' shows the difference;"
                    + " import with --restate to apply it, then 'invoice --month MONTH' cancels each invoice by a credit"
                    + " note and issues a new one");
        }
        int total = handle.createQuery(SQL.locate(BillingPolicyRepository.class, "lineCount"))
                .bind("cloudId", cloudId).mapTo(Integer.class).one();
        if (!dryRun) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("cloud", cloud);
            detail.put("source", source);
            detail.put("replace", replace);
            detail.put("lines_added", lines.size());
            detail.put("lines_removed", removed.size());
            detail.put("lines_after", total);
            detail.put("restated_months", restated);
            detail.put("lines", lines.stream().map(BillingPolicyRepository::auditDetail).toList());
            AuditLog.record(handle, new AuditLog.Event("policy import", source, detail, commandLine, runId));
        }
        return new Outcome(lines.size(), removed.size(), total, changes, !dryRun);
    }

    private record Billed(BigDecimal quantity, BigDecimal amount, String currency) {
    }

    private static Map<List<String>, Billed> billed(Handle handle, String cloud, Instant from, Instant to) {
        Map<List<String>, Billed> billed = new TreeMap<>(BillingPolicyRepository::compareKeys);
        if (!from.isBefore(to)) {
            return billed;
        }
        handle.createQuery(SQL.locate(BillingPolicyRepository.class, "billed"))
                .bind("cloud", cloud).bind("from", utc(from)).bind("to", utc(to))
                .map((rs, ctx) -> Map.entry(List.of(rs.getString("month"), rs.getString("project_id"),
                        rs.getString("resource"), rs.getString("flavor")), new Billed(rs.getBigDecimal("quantity"),
                        rs.getBigDecimal("amount"), rs.getString("currency"))))
                .forEach(e -> billed.put(e.getKey(), e.getValue()));
        return billed;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Change> changes(Map<List<String>, Billed> before, Map<List<String>, Billed> after,
                                        List<String> invoiced, boolean all) {
        Map<List<String>, Billed[]> both = new TreeMap<>(BillingPolicyRepository::compareKeys);
        before.forEach((k, v) -> both.computeIfAbsent(k, x -> new Billed[2])[0] = v);
        after.forEach((k, v) -> both.computeIfAbsent(k, x -> new Billed[2])[1] = v);
        List<Change> changes = new ArrayList<>();
        for (var entry : both.entrySet()) {
            Billed was = entry.getValue()[0];
            Billed is = entry.getValue()[1];
            BigDecimal quantityBefore = was == null ? BigDecimal.ZERO : was.quantity();
            BigDecimal quantityAfter = is == null ? BigDecimal.ZERO : is.quantity();
            BigDecimal amountBefore = was == null ? null : was.amount();
            BigDecimal amountAfter = is == null ? null : is.amount();
            if (quantityBefore.compareTo(quantityAfter) == 0 && sameAmount(amountBefore, amountAfter)) {
                continue;
            }
            List<String> key = entry.getKey();
            boolean closed = invoiced.contains(key.get(0));
            if (all || closed) {
                changes.add(new Change(key.get(0), key.get(1), key.get(2), key.get(3).isEmpty() ? null : key.get(3),
                        quantityBefore, quantityAfter, amountBefore, amountAfter,
                        is != null ? is.currency() : was.currency(), closed));
            }
        }
        return changes;
    }

    private static boolean sameAmount(BigDecimal a, BigDecimal b) {
        return a == null ? b == null || b.signum() == 0 : b == null ? a.signum() == 0 : a.compareTo(b) == 0;
    }

    /** A line as the audit log keeps it. */
    private static Map<String, Object> auditDetail(PolicyLine line) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("vm_state", line.vmState());
        for (RateResource resource : RateResource.values()) {
            detail.put(resource.code(), line.bills(resource));
        }
        detail.put("recovered", line.recovered());
        detail.put("valid_from", line.validFrom().toString());
        detail.put("valid_to", line.validTo() == null ? null : line.validTo().toString());
        detail.put("source", line.source());
        return detail;
    }

    private static List<Stored> lines(Handle handle, String cloud) {
        return handle.createQuery(SQL.locate(BillingPolicyRepository.class, "lines")).bind("cloud", cloud)
                .map((rs, ctx) -> {
                    Set<RateResource> billed = EnumSet.noneOf(RateResource.class);
                    for (RateResource resource : RateResource.values()) {
                        if (rs.getBoolean(resource.code())) {
                            billed.add(resource);
                        }
                    }
                    OffsetDateTime validTo = rs.getObject("valid_to", OffsetDateTime.class);
                    return new Stored(rs.getString("cloud_key"), new PolicyLine(rs.getString("vm_state"), billed,
                            rs.getBoolean("recovered"), rs.getObject("valid_from", OffsetDateTime.class).toInstant(),
                            validTo == null ? null : validTo.toInstant(), rs.getString("policy_name"),
                            rs.getString("source")));
                })
                .list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return Objects.requireNonNull(instant).atOffset(ZoneOffset.UTC);
    }
}
