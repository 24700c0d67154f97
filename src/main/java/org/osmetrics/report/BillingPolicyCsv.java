package org.osmetrics.report;

import java.io.IOException;
import java.io.Reader;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.osmetrics.OsMetricsException;

/**
 * Reads a billing policy CSV file (README, "Billing policy"): a header row
 * {@code vm_state,vcpu_hour,ram_gb_hour,disk_gb_hour,flavor_hour,recovered,valid_from,valid_to} (the resource
 * columns are the rate card's resources), values {@code yes} or {@code no}, lines starting with {@code #} ignored.
 * Every problem is refused with the file name and line number; the whole file is checked by {@link BillingPolicy}.
 */
public final class BillingPolicyCsv {
    static final String STATE = "vm_state";
    static final String RECOVERED = "recovered";
    static final List<String> COLUMNS;

    static {
        List<String> columns = new ArrayList<>();
        columns.add(STATE);
        Arrays.stream(RateResource.values()).map(RateResource::code).forEach(columns::add);
        columns.addAll(List.of(RECOVERED, "valid_from", "valid_to"));
        COLUMNS = List.copyOf(columns);
    }

    private BillingPolicyCsv() {
    }

    /** The lines of the file, in file order, each checked alone. */
    public static List<PolicyLine> read(Reader reader, String fileName) throws IOException {
        try (CSVParser parser = RateCardCsv.parse(reader)) {
            checkHeader(parser.getHeaderNames(), fileName);
            List<PolicyLine> lines = new ArrayList<>();
            for (CSVRecord record : parser) {
                String where = fileName + " line " + parser.getCurrentLineNumber();
                lines.add(line(record, fileName, where));
            }
            if (lines.isEmpty()) {
                throw refused(fileName, "holds no line (after the header " + String.join(",", COLUMNS) + ")");
            }
            return lines;
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw refused(fileName, "is not a readable CSV file: " + e.getMessage());
        }
    }

    private static void checkHeader(List<String> header, String fileName) {
        String where = fileName + " line 1";
        for (String column : header) {
            if (!COLUMNS.contains(column)) {
                throw refused(where, "unknown column '" + column + "': the resources are " + RateResource.codes()
                        + "; the header must be " + String.join(",", COLUMNS));
            }
        }
        Set<String> missing = new LinkedHashSet<>(COLUMNS);
        header.forEach(missing::remove);
        if (!missing.isEmpty() || header.size() != COLUMNS.size()) {
            throw refused(where, "the header must be " + String.join(",", COLUMNS) + ", not " + String.join(",", header));
        }
    }

    private static PolicyLine line(CSVRecord record, String fileName, String where) {
        if (!record.isConsistent()) {
            throw refused(where, "has " + record.size() + " fields, expected " + COLUMNS.size());
        }
        String state = record.get(STATE);
        if (!BillingPolicy.STATES.contains(state)) {
            throw refused(where, "unknown vm_state '" + state + "' (use " + String.join(", ", BillingPolicy.STATES) + ")");
        }
        Set<RateResource> billed = EnumSet.noneOf(RateResource.class);
        for (RateResource resource : RateResource.values()) {
            if (yes(record.get(resource.code()), resource.code(), where)) {
                billed.add(resource);
            }
        }
        boolean recovered = yes(record.get(RECOVERED), RECOVERED, where);
        Instant validFrom = time(record.get("valid_from"), "valid_from", where);
        if (validFrom == null) {
            throw refused(where, "valid_from is required");
        }
        String toText = record.get("valid_to");
        Instant validTo = time(toText, "valid_to", where);
        if (validTo != null && !validFrom.isBefore(validTo)) {
            throw refused(where, "valid_from " + record.get("valid_from") + " is not before valid_to " + toText);
        }
        return new PolicyLine(state, billed, recovered, validFrom, validTo, fileName, where);
    }

    private static boolean yes(String value, String column, String where) {
        return switch (value) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw refused(where, column + " '" + value + "' is neither yes nor no");
        };
    }

    private static Instant time(String text, String column, String where) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return RateCardCsv.instant(text);
        } catch (DateTimeException e) {
            throw refused(where, column + " '" + text + "' is not " + RateCardCsv.TIME_FORMS);
        }
    }

    static OsMetricsException refused(String where, String problem) {
        return OsMetricsException.usage("billing policy refused: " + where + ": " + problem);
    }

    /** The resources as the files and the views name them. */
    static String codes(Set<RateResource> resources) {
        return resources.isEmpty() ? "nothing"
                : resources.stream().sorted().map(RateResource::code).collect(Collectors.joining(", "));
    }
}
