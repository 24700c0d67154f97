package org.osmetrics.report;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.osmetrics.OsMetricsException;

/**
 * A customers file (README, "customers"): header {@code project_id,customer,cost_centre,address,tax_id,tax_rate,currency},
 * one line per project, lines starting with {@code #} ignored. A customer's details repeat on each of its projects'
 * lines and must agree. Every problem is refused with the file name and line number.
 *
 * @param projects project id to its line: the customer and where it came from
 */
public record CustomerMapping(Map<String, Line> projects) {
    static final List<String> COLUMNS = List.of("project_id", "customer", "cost_centre", "address", "tax_id", "tax_rate",
            "currency");

    /** One line: a project and its customer. */
    public record Line(String projectId, Customer customer, String where) {
    }

    public CustomerMapping {
        projects = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(projects));
    }

    /** The distinct customers, by name, in file order. */
    public Map<String, Customer> customers() {
        Map<String, Customer> customers = new LinkedHashMap<>();
        projects.values().forEach(line -> customers.putIfAbsent(line.customer().name(), line.customer()));
        return customers;
    }

    public static CustomerMapping read(Reader reader, String fileName) throws IOException {
        try (CSVParser parser = RateCardCsv.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            if (!Set.copyOf(header).equals(Set.copyOf(COLUMNS)) || header.size() != COLUMNS.size()) {
                throw refused(fileName + " line 1", "the header must be " + String.join(",", COLUMNS) + ", not "
                        + String.join(",", header));
            }
            Map<String, Line> projects = new LinkedHashMap<>();
            Map<String, Line> customers = new LinkedHashMap<>();
            for (CSVRecord record : parser) {
                String where = fileName + " line " + parser.getCurrentLineNumber();
                Line line = line(record, where);
                Line before = projects.putIfAbsent(line.projectId(), line);
                if (before != null) {
                    throw refused(where, "project " + line.projectId() + " is listed twice (also " + before.where()
                            + "): a project has one customer");
                }
                Line first = customers.putIfAbsent(line.customer().name(), line);
                if (first != null && !first.customer().sameDetails(line.customer())) {
                    throw refused(where, "customer '" + line.customer().name() + "' has other details than on "
                            + first.where() + " (cost centre, address, tax id, tax rate and currency must agree)");
                }
            }
            if (projects.isEmpty()) {
                throw refused(fileName, "holds no project (after the header " + String.join(",", COLUMNS) + ")");
            }
            return new CustomerMapping(projects);
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw refused(fileName, "is not a readable CSV file: " + e.getMessage());
        }
    }

    private static Line line(CSVRecord record, String where) {
        if (!record.isConsistent()) {
            throw refused(where, "has " + record.size() + " fields, expected " + COLUMNS.size());
        }
        String project = record.get("project_id");
        if (project.isEmpty()) {
            throw refused(where, "project_id is empty");
        }
        String name = record.get("customer");
        if (name.isEmpty()) {
            throw refused(where, "customer is empty: every project needs the customer it is invoiced to");
        }
        String rateText = record.get("tax_rate");
        if (rateText.isEmpty()) {
            throw refused(where, "tax_rate is missing (a percentage: 21 for 21 %, 0 for none)");
        }
        BigDecimal rate;
        try {
            rate = new BigDecimal(rateText.endsWith("%") ? rateText.substring(0, rateText.length() - 1).strip() : rateText);
        } catch (NumberFormatException e) {
            throw refused(where, "tax_rate '" + rateText + "' is not a percentage (e.g. 21 or 7.5)");
        }
        if (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw refused(where, "tax_rate " + rateText + " is not between 0 and 100 (a percentage)");
        }
        String code = record.get("currency");
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw refused(where, "currency '" + code + "' is not an ISO 4217 code (e.g. EUR, USD, CHF)");
        }
        return new Line(project, new Customer(name, empty(record.get("cost_centre")), empty(record.get("address")),
                empty(record.get("tax_id")), rate.stripTrailingZeros(), currency.getCurrencyCode(), where), where);
    }

    private static String empty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    static OsMetricsException refused(String where, String problem) {
        return OsMetricsException.usage("customers refused: " + where + ": " + problem);
    }

    /** The lines in file order, for messages. */
    List<Line> lines() {
        return new ArrayList<>(projects.values());
    }
}
