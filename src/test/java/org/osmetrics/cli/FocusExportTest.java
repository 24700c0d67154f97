package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.report.SmallCloudData;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * {@code export --report focus} checked against the rules of the FOCUS specification at tag {@code v1.1}
 * (github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, specification/columns and specification/attributes):
 * which columns are present, which may be null, the allowed values, the formats of date/times, numbers and units,
 * and the relations between quantities, prices and costs. The figures are the small cloud's (a real PostgreSQL);
 * the costs must add up to {@code report.invoice_monthly}'s lines.
 */
class FocusExportTest {
    /** v1.1's Mandatory columns. */
    private static final List<String> MANDATORY = List.of("BilledCost", "BillingAccountId", "BillingAccountName",
            "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass",
            "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost",
            "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName",
            "ServiceCategory", "ServiceName");
    /**
     * v1.1's Conditional columns whose condition holds for priced OpenStack usage: billing by provisioned resources
     * (servers, with a type), regions, sub accounts (projects), measured usage, a published price list (the rate card).
     */
    private static final List<String> CONDITIONAL_HERE = List.of("ConsumedQuantity", "ConsumedUnit", "ListUnitPrice",
            "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType", "SkuId", "SkuMeter", "SkuPriceId",
            "SubAccountId", "SubAccountName");
    /** v1.1's Recommended columns written (they must then not be null). */
    private static final List<String> RECOMMENDED_WRITTEN = List.of("ChargeFrequency", "ServiceSubcategory");
    /**
     * v1.1's Conditional columns whose condition does not hold here (no commitment discounts, capacity reservations,
     * negotiated prices, several pricing categories; tags are not collected): they must not appear empty-handed.
     */
    private static final List<String> CONDITIONAL_NOT_HERE = List.of("CapacityReservationId",
            "CapacityReservationStatus", "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName",
            "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType", "CommitmentDiscountUnit",
            "ContractedUnitPrice", "PricingCategory", "SkuPriceDetails", "Tags");
    /** Columns that must never be null (Allows nulls: False), Recommended ones included. */
    private static final List<String> NOT_NULL = List.of("BilledCost", "BillingAccountId", "BillingCurrency",
            "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargePeriodEnd", "ChargePeriodStart",
            "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "ProviderName", "PublisherName",
            "ServiceCategory", "ServiceName", "ChargeFrequency", "ServiceSubcategory");
    /** Not null when ChargeCategory is Usage or Purchase and ChargeClass is not Correction. */
    private static final List<String> NOT_NULL_FOR_USAGE = List.of("PricingQuantity", "PricingUnit", "ListUnitPrice",
            "SkuId", "SkuPriceId", "ConsumedQuantity", "ConsumedUnit");
    private static final List<String> DATE_TIMES = List.of("BillingPeriodStart", "BillingPeriodEnd",
            "ChargePeriodStart", "ChargePeriodEnd");
    private static final List<String> DECIMALS = List.of("BilledCost", "ContractedCost", "EffectiveCost", "ListCost",
            "ListUnitPrice", "PricingQuantity", "ConsumedQuantity");
    private static final Set<String> CHARGE_CATEGORIES = Set.of("Usage", "Purchase", "Tax", "Credit", "Adjustment");
    private static final Set<String> SERVICE_CATEGORIES = Set.of("AI and Machine Learning", "Analytics",
            "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration",
            "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security",
            "Storage", "Web", "Other");
    private static final Set<String> COMPUTE_SUBCATEGORIES = Set.of("Containers", "End User Computing",
            "Quantum Compute", "Serverless Compute", "Virtual Machines", "Other (Compute)");
    private static final Set<String> CHARGE_FREQUENCIES = Set.of("One-Time", "Recurring", "Usage-Based");
    /** Date/Time Format: extended ISO 8601 in UTC with the Z designator. */
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    /** Numeric Format: an optional minus, digits, at most one decimal point; no plus, comma, symbol or unit. */
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** Unit Format: "<singular-unit>-<plural-time-units>" with listed (or capitalised count-based) units. */
    private static final Pattern UNIT = Pattern.compile("(Core|GiB|GB|Instance)-Hours");
    private static final Pattern PASCAL_CASE = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void loadSmallCloud() {
        // one project has a customer: its rows carry the customer as billing account
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO metrics.customer (name, cost_centre, tax_rate, currency, source, run_id)"
                    + " VALUES ('Zürich café – 日本 AG', 'CC-100', 21, 'EUR', 'test', 1)");
            h.execute("INSERT INTO metrics.project_customer (project_id, customer_id, source)"
                    + " SELECT 'p-alpha', customer_id, 'test' FROM metrics.customer");
        });
    }

    private int export(String... arguments) {
        List<String> args = new ArrayList<>(List.of("export", "--report", "focus"));
        args.addAll(List.of(arguments));
        args.addAll(List.of("--db-url", db.jdbcUrl(), "--quiet"));
        return Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    }

    private List<JsonNode> october(String... more) throws IOException {
        Path file = dir.resolve("focus-" + System.nanoTime() + ".jsonl");
        List<String> args = new ArrayList<>(List.of("--month", "2026-10", "--allow-incomplete", "--format", "jsonl",
                "--out", file.toString()));
        args.addAll(List.of(more));
        assertThat(export(args.toArray(String[]::new))).as(err.toString()).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    private static boolean isNull(JsonNode row, String column) {
        return !row.has(column) || row.get(column).isNull();
    }

    private static BigDecimal decimal(JsonNode row, String column) {
        return row.get(column).decimalValue();
    }

    @Test
    void theHeaderHasEveryMandatoryColumnAndTheConditionalOnesThatApplyAndNothingElseButCustomXColumns() throws IOException {
        Path file = dir.resolve("focus.csv");
        assertThat(export("--month", "2026-10", "--allow-incomplete", "--out", file.toString())).as(err.toString()).isZero();
        List<String> header;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().get().parse(reader)) {
            header = parser.getHeaderNames();
        }
        assertThat(header).containsAll(MANDATORY).containsAll(CONDITIONAL_HERE).containsAll(RECOMMENDED_WRITTEN)
                .doesNotContainAnyElementsOf(CONDITIONAL_NOT_HERE).doesNotHaveDuplicates();
        Set<String> focus = new LinkedHashSet<>(MANDATORY);
        focus.addAll(CONDITIONAL_HERE);
        focus.addAll(RECOMMENDED_WRITTEN);
        for (String column : header) {
            assertThat(focus.contains(column) || column.startsWith("x_")).as(column + ": a FOCUS column or x_ custom").isTrue();
            if (focus.contains(column)) {
                assertThat(column).matches(PASCAL_CASE);
            }
        }
        // FOCUS columns first, in alphabetical order
        List<String> focusColumns = header.stream().filter(focus::contains).toList();
        assertThat(header.subList(0, focusColumns.size())).isEqualTo(focusColumns);
        assertThat(focusColumns).isSorted();
    }

    @Test
    void everyRowHasTheValuesTheRulesRequireForAUsageCharge() throws IOException {
        List<JsonNode> rows = october();
        assertThat(rows).isNotEmpty();
        for (JsonNode row : rows) {
            String where = row.toString();
            for (String column : NOT_NULL) {
                assertThat(isNull(row, column)).as(column + " in " + where).isFalse();
            }
            assertThat(row.get("ChargeCategory").asText()).isIn(CHARGE_CATEGORIES).isEqualTo("Usage");
            assertThat(isNull(row, "ChargeClass") || row.get("ChargeClass").asText().equals("Correction")).isTrue();
            boolean correction = !isNull(row, "ChargeClass");
            if (!correction) {
                for (String column : NOT_NULL_FOR_USAGE) {
                    assertThat(isNull(row, column)).as(column + " in " + where).isFalse();
                }
                assertThat(decimal(row, "ConsumedQuantity")).as("ConsumedQuantity is positive").isPositive();
            }
            assertThat(row.get("ServiceCategory").asText()).isIn(SERVICE_CATEGORIES);
            assertThat(row.get("ServiceSubcategory").asText()).isIn(COMPUTE_SUBCATEGORIES);
            assertThat(row.get("ServiceCategory").asText()).isEqualTo("Compute");
            assertThat(row.get("ChargeFrequency").asText()).isIn(CHARGE_FREQUENCIES);
            assertThat(row.get("BillingCurrency").asText()).matches("[A-Z]{3}");
            assertThat(row.get("PricingUnit").asText()).matches(UNIT);
            assertThat(row.get("ConsumedUnit").asText()).matches(UNIT);
            // a resource type with every resource id, none without; a meter with every SKU
            assertThat(isNull(row, "ResourceType")).isEqualTo(isNull(row, "ResourceId"));
            assertThat(isNull(row, "SkuMeter")).isEqualTo(isNull(row, "SkuId"));
            assertThat(decimal(row, "ListUnitPrice")).isNotNegative();
            // a resource name that is not a copy of its system-generated id
            if (!isNull(row, "ResourceName")) {
                assertThat(row.get("ResourceName").asText()).isNotEqualTo(row.get("ResourceId").asText());
            }
            // nulls are nulls: never an empty string standing for one
            row.fields().forEachRemaining(field -> assertThat(field.getValue().isTextual() && field.getValue().asText().isEmpty())
                    .as(field.getKey() + " is an empty string in " + where).isFalse());
        }
    }

    @Test
    void datesAreUtcWithZAndEveryChargePeriodLiesInItsBillingPeriod() throws IOException {
        for (JsonNode row : october()) {
            for (String column : DATE_TIMES) {
                assertThat(row.get(column).asText()).as(column).matches(DATE_TIME);
            }
            Instant billingStart = Instant.parse(row.get("BillingPeriodStart").asText());
            Instant billingEnd = Instant.parse(row.get("BillingPeriodEnd").asText());
            Instant chargeStart = Instant.parse(row.get("ChargePeriodStart").asText());
            Instant chargeEnd = Instant.parse(row.get("ChargePeriodEnd").asText());
            assertThat(billingStart).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
            assertThat(billingEnd).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
            assertThat(chargeStart).isBefore(chargeEnd).isAfterOrEqualTo(billingStart);
            assertThat(chargeEnd).isBeforeOrEqualTo(billingEnd);
        }
    }

    @Test
    void unitPriceTimesQuantityIsTheListCostAndTheBilledCostsAddUpToEachInvoiceLine() throws IOException {
        List<JsonNode> rows = october();
        Map<String, BigDecimal> billed = new HashMap<>();
        Map<String, BigDecimal> quantity = new HashMap<>();
        for (JsonNode row : rows) {
            BigDecimal list = decimal(row, "ListCost");
            assertThat(decimal(row, "ListUnitPrice").multiply(decimal(row, "PricingQuantity"))).isEqualByComparingTo(list);
            // no negotiated prices: the contracted cost is the list cost; no commitments: effective = billed
            assertThat(decimal(row, "ContractedCost")).isEqualByComparingTo(list);
            assertThat(decimal(row, "EffectiveCost")).isEqualByComparingTo(decimal(row, "BilledCost"));
            assertThat(decimal(row, "ConsumedQuantity")).isEqualByComparingTo(decimal(row, "PricingQuantity"));
            // billed is the list cost in minor units: off by less than one cent
            assertThat(decimal(row, "BilledCost").subtract(list).abs()).isLessThan(new BigDecimal("0.01"));
            String line = row.get("SubAccountId").asText() + " " + row.get("SkuPriceId").asText();
            billed.merge(line, decimal(row, "BilledCost"), BigDecimal::add);
            quantity.merge(line, decimal(row, "PricingQuantity"), BigDecimal::add);
        }
        List<Map<String, Object>> invoice = db.jdbi().withHandle(h -> h.createQuery("SELECT i.project_id, r.rate_id::text AS rate,"
                + " i.quantity, i.amount FROM report.invoice_monthly i JOIN metrics.rate_card r ON r.resource = i.resource"
                + " AND r.flavor IS NOT DISTINCT FROM i.flavor AND r.valid_from = i.price_valid_from"
                + " WHERE i.month = '2026-10' AND i.amount IS NOT NULL").mapToMap().list());
        assertThat(invoice).hasSize(billed.size());
        for (Map<String, Object> line : invoice) {
            String key = line.get("project_id") + " " + line.get("rate");
            assertThat(billed.get(key)).as("billed " + key).isEqualByComparingTo((BigDecimal) line.get("amount"));
            assertThat(quantity.get(key)).as("quantity " + key).isEqualByComparingTo((BigDecimal) line.get("quantity"));
        }
    }

    @Test
    void eachServerIsAResourceOfItsProjectAsSubAccountAndTheCustomerIsTheBillingAccount() throws IOException {
        List<JsonNode> rows = october();
        JsonNode gpu = rows.stream().filter(r -> r.get("ResourceId").asText().endsWith("0004")).findFirst().orElseThrow();
        assertThat(gpu.get("ResourceName").asText()).isEqualTo("=gpu-box");
        assertThat(gpu.get("SubAccountId").asText()).isEqualTo("p-beta");
        assertThat(gpu.get("SubAccountName").asText()).isEqualTo("=HYPERLINK(\"http://x\")");
        assertThat(gpu.get("PricingUnit").asText()).isEqualTo("Instance-Hours");
        assertThat(gpu.get("SkuId").asText()).isEqualTo("flavor_hour:gpu.xl");
        assertThat(gpu.get("ProviderName").asText()).isEqualTo("keystone.example:5000/RegionOne");
        assertThat(gpu.get("RegionId").asText()).isEqualTo("RegionOne");
        assertThat(gpu.get("BillingAccountId").asText()).isEqualTo("p-beta");   // no customer: the project itself
        JsonNode web = rows.stream().filter(r -> r.get("ResourceId").asText().endsWith("0001")).findFirst().orElseThrow();
        assertThat(web.get("BillingAccountName").asText()).isEqualTo("Zürich café – 日本 AG");
        assertThat(web.get("SubAccountName").asText()).isEqualTo("Alpha \"R&D\", Ltd");
        // vCPU prices changed on the 16th: two charges for web-1's vCPUs, each over its price's part of the month
        assertThat(rows.stream().filter(r -> r.get("ResourceId").asText().endsWith("0001")
                && r.get("SkuId").asText().equals("vcpu_hour")).map(r -> r.get("ChargePeriodStart").asText() + ".."
                + r.get("ChargePeriodEnd").asText()).toList())
                .containsExactly("2026-10-01T00:00:00Z..2026-10-16T00:00:00Z", "2026-10-16T00:00:00Z..2026-11-01T00:00:00Z");
        assertThat(october("--project", "p-gamma")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("SubAccountId").asText()).isEqualTo("p-gamma"));
        assertThat(october("--cloud", "keystone.example:5000/RegionOne")).hasSameSizeAs(rows);
    }

    @Test
    void csvNumbersArePlainDecimalsAndAnIncompleteMonthIsRefusedLikeAnInvoice() throws IOException {
        Path file = dir.resolve("focus.csv");
        assertThat(export("--month", "2026-10", "--allow-incomplete", "--out", file.toString())).as(err.toString()).isZero();
        List<CSVRecord> records;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            records = parser.getRecords();
        }
        assertThat(records).isNotEmpty();
        for (CSVRecord record : records) {
            for (String column : DECIMALS) {
                assertThat(record.get(column)).as(column).matches(NUMBER);
            }
            for (String column : DATE_TIMES) {
                assertThat(record.get(column)).as(column).matches(DATE_TIME);
            }
        }
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Path refused = dir.resolve("refused.csv");
        assertThat(export("--month", "2026-10", "--out", refused.toString())).isEqualTo(7);
        assertThat(err.toString()).contains("2026-10");
        assertThat(refused).doesNotExist();
    }
}
