package org.osmetrics.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;

/**
 * Issues invoice documents (README, "invoice"): one per cloud and customer for a month, numbered sequentially and
 * without gaps per issuer, stored with their bytes. Issuing again returns the stored documents when nothing billed
 * changed; when it changed (a restatement), the invoice in force is cancelled by a credit note and a new one issued.
 * Checks, in this order: completeness (exit 7), prices, customers and currencies (exit 2). Thread-safe.
 */
public final class Invoicing {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** A document as issued (or found issued): its number, kind, customer and bytes. */
    public record Document(String numberText, String kind, String cloud, String customer, BigDecimal total,
                           byte[] html, byte[] pdf, String data, boolean reused) {
    }

    private record Row(String cloud, String projectId, String projectName, Instant start, Instant end, String resource,
                       String flavor, String unit, BigDecimal quantity, BigDecimal unitPrice, String currency,
                       BigDecimal amount, String completeness, String billingPolicy) {
    }

    private final Jdbi jdbi;
    private final InvoiceRenderer renderer;
    private final Clock clock;

    public Invoicing(Jdbi jdbi, InvoiceRenderer renderer, Clock clock) {
        this.jdbi = jdbi;
        this.renderer = renderer;
        this.clock = clock;
    }

    /**
     * Issues (or returns) the month's documents.
     *
     * @param cloud           null: every cloud
     * @param defaultCustomer null: a project with billable usage and no customer is refused; else the customer (of the
     *                        mapping) such projects are invoiced to
     */
    public List<Document> issue(YearMonth month, String cloud, Issuer issuer, boolean allowIncomplete,
                                String defaultCustomer, long runId, Consumer<String> warnings) {
        String label = month.toString();
        List<Completeness.Period> periods = new Completeness(jdbi).month(label, cloud);
        if (!allowIncomplete) {
            Completeness.requireComplete(periods, "invoice " + label);
        }
        List<Row> rows = rows(label, cloud);
        List<String> unpriced = rows.stream().filter(r -> r.unitPrice() == null)
                .map(r -> r.projectId() + " " + r.resource() + (r.flavor() == null ? "" : " " + r.flavor()))
                .distinct().toList();
        if (!unpriced.isEmpty()) {
            throw OsMetricsException.usage("invoice " + label + ": usage with no price in force (" + String.join(", ", unpriced)
                    + "): add the prices to the rate card (rates import) before invoicing");
        }
        Map<String, Customer> mapping = new CustomerRepository(jdbi).mapping();
        TreeSet<String> without = rows.stream().map(Row::projectId).filter(p -> !mapping.containsKey(p))
                .collect(Collectors.toCollection(TreeSet::new));
        Customer fallback = null;
        if (!without.isEmpty()) {
            if (defaultCustomer == null) {
                throw OsMetricsException.usage("invoice " + label + ": project(s) with billable usage and no customer: "
                        + String.join(", ", without) + " (add them to the customers file and run customers import, or put"
                        + " them on a catch-all customer with --default-customer NAME)");
            }
            fallback = mapping.values().stream().filter(c -> c.name().equals(defaultCustomer)).findFirst()
                    .orElseThrow(() -> OsMetricsException.usage("--default-customer '" + defaultCustomer + "' is not a"
                            + " customer of the mapping (customers list): add a line for it (its tax rate and currency are needed)"));
        }
        // (cloud, customer) -> its lines, in line order
        Map<List<String>, List<Row>> groups = new LinkedHashMap<>();
        Map<String, Customer> customers = new LinkedHashMap<>();
        for (Row row : rows) {
            Customer customer = mapping.getOrDefault(row.projectId(), fallback);
            if (!customer.currency().equals(row.currency())) {
                throw OsMetricsException.usage("invoice " + label + ": project " + row.projectId() + " is priced in "
                        + row.currency() + " but its customer '" + customer.name() + "' is invoiced in " + customer.currency()
                        + ": one currency per rate card and customer (there are no exchange rates)");
            }
            customers.put(customer.name(), customer);
            groups.computeIfAbsent(List.of(row.cloud(), customer.name()), k -> new ArrayList<>()).add(row);
        }
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            handle.execute(SQL.locate(Invoicing.class, "lockDocuments"));
            List<Document> documents = new ArrayList<>();
            for (var group : groups.entrySet()) {
                List<Row> lines = group.getValue();
                Row first = lines.get(0);
                Customer customer = customers.get(group.getKey().get(1));
                InvoiceData draft = new InvoiceData(issuer, "invoice", 0, "", first.cloud(), label, first.start(), first.end(),
                        worst(lines), customer, first.currency(), minorUnits(first.currency()),
                        lines.stream().map(r -> new InvoiceData.Line(r.projectId(), r.projectName(), r.resource(), r.flavor(),
                                r.unit(), r.quantity(), r.unitPrice(), r.amount(), r.billingPolicy())).toList(), null, now);
                String billed = billed(draft);
                var inForce = inForce(handle, issuer, first.cloud(), label, customer.name());
                if (inForce != null && inForce.billed().equals(billed)) {
                    documents.add(inForce.document());
                    continue;
                }
                if (inForce != null) {
                    documents.add(cancel(handle, inForce, now, runId, warnings));
                }
                int number = nextNumber(handle, issuer);
                InvoiceData invoice = new InvoiceData(issuer, "invoice", number, issuer.numberText(number), draft.cloud(),
                        label, draft.periodStart(), draft.periodEnd(), draft.completeness(), customer, draft.currency(),
                        draft.minorUnits(), draft.lines(), null, now);
                documents.add(store(handle, invoice, billed, runId, warnings));
            }
            // invoices in force for customers that no longer have lines this month (a restatement moved them)
            for (Stored stale : inForceOf(handle, issuer, cloud, label)) {
                boolean kept = groups.keySet().stream().anyMatch(k -> k.get(0).equals(stale.data().cloud())
                        && k.get(1).equals(stale.data().customer().name()));
                if (!kept) {
                    documents.add(cancel(handle, stale, now, runId, warnings));
                }
            }
            return documents;
        });
    }

    /** Cancels an issued invoice by a credit note (`invoice void NUMBER`). */
    public Document voidInvoice(Issuer issuer, String number, long runId, Consumer<String> warnings) {
        return jdbi.inTransaction(handle -> {
            handle.execute(SQL.locate(Invoicing.class, "lockDocuments"));
            List<Stored> found = select(handle, "invoiceByNumber", q -> q.bind("issuer", issuer.name()).bind("number", number));
            if (found.isEmpty()) {
                throw OsMetricsException.usage("no invoice " + number + " of issuer '" + issuer.name() + "'");
            }
            Stored invoice = found.get(0);
            if (invoice.cancelledBy() != null) {
                throw OsMetricsException.usage("invoice " + invoice.document().numberText() + " is already cancelled by credit note "
                        + invoice.cancelledBy());
            }
            return cancel(handle, invoice, clock.instant(), runId, warnings);
        });
    }

    private Document cancel(Handle handle, Stored invoice, Instant now, long runId, Consumer<String> warnings) {
        int number = nextNumber(handle, invoice.data().issuer());
        InvoiceData credit = invoice.data().creditNote(number, invoice.data().issuer().numberText(number), now);
        Document document = store(handle, credit, billed(credit), runId, warnings);
        handle.createUpdate(SQL.locate(Invoicing.class, "cancel"))
                .bind("credit", number).bind("issuer", invoice.data().issuer().name()).bind("number", invoice.data().number())
                .execute();
        return document;
    }

    private Document store(Handle handle, InvoiceData data, String billed, long runId, Consumer<String> warnings) {
        String html = renderer.html(data, warnings);
        byte[] pdf = renderer.pdf(html, data);
        String json = toJson(data).toString();
        handle.createUpdate(SQL.locate(Invoicing.class, "insertDocument"))
                .bind("issuer", data.issuer().name()).bind("number", data.number()).bind("numberText", data.numberText())
                .bind("kind", data.kind()).bind("cloud", data.cloud()).bind("month", data.month())
                .bind("customer", data.customer().name()).bind("currency", data.currency())
                .bind("completeness", data.completeness())
                .bind("credits", data.credits() == null ? null : Integer.valueOf(data.credits().replaceAll("\\D", "")))
                .bind("total", data.total()).bind("billed", billed).bind("data", json)
                .bind("html", html.getBytes(StandardCharsets.UTF_8)).bind("pdf", pdf)
                .bind("issuedAt", data.issuedAt().atOffset(java.time.ZoneOffset.UTC)).bind("runId", runId)
                .execute();
        return new Document(data.numberText(), data.kind(), data.cloud(), data.customer().name(), data.total(),
                html.getBytes(StandardCharsets.UTF_8), pdf, json, false);
    }

    private static int nextNumber(Handle handle, Issuer issuer) {
        return handle.createQuery(SQL.locate(Invoicing.class, "nextNumber"))
                .bind("issuer", issuer.name()).mapTo(Integer.class).one();
    }

    private record Stored(InvoiceData data, String billed, Integer cancelledBy, Document document) {
    }

    private static Stored inForce(Handle handle, Issuer issuer, String cloud, String month, String customer) {
        List<Stored> found = select(handle, "inForce", q -> q.bind("issuer", issuer.name()).bind("cloud", cloud)
                .bind("month", month).bind("customer", customer));
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Stored> inForceOf(Handle handle, Issuer issuer, String cloud, String month) {
        return select(handle, "inForceOfMonth", q -> q.bind("issuer", issuer.name()).bind("cloud", cloud)
                .bind("month", month));
    }

    /** The stored documents the statement {@code name} of {@code Invoicing/} selects, by number. */
    private static List<Stored> select(Handle handle, String name,
                                       Consumer<org.jdbi.v3.core.statement.Query> binder) {
        var query = handle.createQuery(SQL.locate(Invoicing.class, name));
        binder.accept(query);
        return query.map((rs, ctx) -> {
            InvoiceData data = fromJson(rs.getString("data"));
            int cancelled = rs.getInt("cancelled_by");
            Integer cancelledBy = rs.wasNull() ? null : cancelled;
            return new Stored(data, rs.getString("billed"), cancelledBy, new Document(rs.getString("number_text"),
                    rs.getString("kind"), rs.getString("cloud_key"), rs.getString("customer"), rs.getBigDecimal("total"),
                    rs.getBytes("html"), rs.getBytes("pdf"), rs.getString("data"), true));
        }).list();
    }

    private List<Row> rows(String month, String cloud) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(Invoicing.class, "lines"))
                .bind("month", month).bind("cloud", cloud)
                .map((rs, ctx) -> new Row(rs.getString("cloud"), rs.getString("project_id"), rs.getString("project_name"),
                        rs.getObject("month_start", OffsetDateTime.class).toInstant(),
                        rs.getObject("month_end", OffsetDateTime.class).toInstant(), rs.getString("resource"),
                        rs.getString("flavor"), rs.getString("unit"), rs.getBigDecimal("quantity"),
                        rs.getBigDecimal("unit_price"), rs.getString("currency"), rs.getBigDecimal("amount"),
                        rs.getString("completeness"), rs.getString("billing_policy")))
                .list());
    }

    private static String worst(List<Row> lines) {
        for (String status : List.of("incomplete", "provisional", "not_expected")) {
            if (lines.stream().anyMatch(r -> status.equals(r.completeness()))) {
                return status;
            }
        }
        return "complete";
    }

    private static int minorUnits(String currency) {
        return java.util.Currency.getInstance(currency).getDefaultFractionDigits();
    }

    /** What a re-issue compares: the customer's details, the completeness and every line, not the number or date. */
    private static String billed(InvoiceData data) {
        ObjectNode node = toJson(data);
        node.remove(List.of("number", "number_text", "issued_at", "kind", "credits"));
        // the name of the billing policy version a line was billed under is said, not billed: naming it changes no
        // amount, so a document issued before a policy that leaves its lines as they were is not restated for it
        for (JsonNode line : node.get("lines")) {
            ((ObjectNode) line).remove("billing_policy");
        }
        return node.toString();
    }

    /** The accounting export of a document (also stored in metrics.invoice_document.data). */
    static ObjectNode toJson(InvoiceData data) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", data.kind()).put("number", data.number()).put("number_text", data.numberText())
                .put("issuer", data.issuer().name()).put("issuer_address", data.issuer().address())
                .put("issuer_tax_id", data.issuer().taxId()).put("issuer_number_prefix", data.issuer().numberPrefix())
                .put("issuer_footer", data.issuer().footer())
                .put("cloud", data.cloud()).put("month", data.month()).put("period_start", data.periodStart().toString())
                .put("period_end", data.periodEnd().toString()).put("completeness", data.completeness())
                .put("customer", data.customer().name()).put("cost_centre", data.customer().costCentre())
                .put("customer_address", data.customer().address()).put("customer_tax_id", data.customer().taxId())
                .put("tax_rate", data.customer().taxRate()).put("currency", data.currency())
                .put("minor_units", data.minorUnits()).put("credits", data.credits())
                .put("issued_at", data.issuedAt().toString());
        ArrayNode lines = node.putArray("lines");
        for (InvoiceData.Line line : data.lines()) {
            ObjectNode l = lines.addObject().put("project_id", line.projectId()).put("project_name", line.projectName())
                    .put("resource", line.resource()).put("flavor", line.flavor()).put("unit", line.unit())
                    .put("quantity", line.quantity()).put("unit_price", line.unitPrice()).put("amount", line.amount());
            // only when a billing policy applied: a document billed as Nova counts stays byte for byte what it was
            if (line.billingPolicy() != null) {
                l.put("billing_policy", line.billingPolicy());
            }
        }
        ObjectNode subtotals = node.putObject("project_subtotals");
        data.projectSubtotals().forEach(subtotals::put);
        node.put("subtotal", data.subtotal()).put("tax", data.tax()).put("total", data.total());
        return node;
    }

    static InvoiceData fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            Issuer issuer = new Issuer(n.get("issuer").asText(), text(n, "issuer_address"), text(n, "issuer_tax_id"),
                    n.get("issuer_number_prefix").asText(), text(n, "issuer_footer"));
            Customer customer = new Customer(n.get("customer").asText(), text(n, "cost_centre"), text(n, "customer_address"),
                    text(n, "customer_tax_id"), n.get("tax_rate").decimalValue(), n.get("currency").asText(), "stored");
            List<InvoiceData.Line> lines = new ArrayList<>();
            for (JsonNode l : n.get("lines")) {
                lines.add(new InvoiceData.Line(l.get("project_id").asText(), text(l, "project_name"), l.get("resource").asText(),
                        text(l, "flavor"), l.get("unit").asText(), l.get("quantity").decimalValue(),
                        l.get("unit_price").decimalValue(), l.get("amount").decimalValue(), text(l, "billing_policy")));
            }
            return new InvoiceData(issuer, n.get("kind").asText(), n.get("number").asInt(), n.get("number_text").asText(),
                    n.get("cloud").asText(), n.get("month").asText(), Instant.parse(n.get("period_start").asText()),
                    Instant.parse(n.get("period_end").asText()), n.get("completeness").asText(), customer,
                    n.get("currency").asText(), n.get("minor_units").asInt(), lines, text(n, "credits"),
                    Instant.parse(n.get("issued_at").asText()));
        } catch (java.io.IOException e) {
            throw new OsMetricsException(ExitCode.INTERNAL, "stored invoice data is not readable: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
