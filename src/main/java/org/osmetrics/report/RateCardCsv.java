package org.osmetrics.report;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.osmetrics.OsMetricsException;

/**
 * Reads a rate card CSV file (README, "rates"): a header row
 * {@code resource,flavor,unit_price,currency,valid_from,valid_to}, lines starting with {@code #} ignored.
 * Every problem is refused with the file name and line number.
 */
public final class RateCardCsv {
    static final List<String> COLUMNS = List.of("resource", "flavor", "unit_price", "currency", "valid_from", "valid_to");

    private RateCardCsv() {
    }

    /** The prices of the file, in file order, each checked alone (see {@link RateCard} for the whole). */
    public static List<Rate> read(Reader reader, String fileName) throws IOException {
        try (CSVParser parser = parse(reader)) {
            checkHeader(parser.getHeaderNames(), fileName);
            List<Rate> rates = new ArrayList<>();
            for (CSVRecord record : parser) {
                String where = fileName + " line " + parser.getCurrentLineNumber();
                rates.add(rate(record, where));
            }
            if (rates.isEmpty()) {
                throw refused(fileName, "holds no price (after the header " + String.join(",", COLUMNS) + ")");
            }
            return rates;
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw refused(fileName, "is not a readable CSV file: " + e.getMessage());
        }
    }

    /**
     * The input files' CSV (rate card, billing policy, customers): RFC 4180 with a header, {@code #} comments,
     * spaces around values and empty lines ignored, and a leading byte-order mark skipped.
     */
    static CSVParser parse(Reader reader) throws IOException {
        return CSVFormat.RFC4180.builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setCommentMarker('#')
                .setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true)
                .get()
                .parse(withoutByteOrderMark(reader));
    }

    /**
     * Skips a UTF-8 byte-order mark (U+FEFF), which spreadsheets write at the start of a "CSV UTF-8" file:
     * otherwise it would be part of the first column's name.
     */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first >= 0 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    private static void checkHeader(List<String> header, String fileName) {
        if (!Set.copyOf(header).equals(Set.copyOf(COLUMNS)) || header.size() != COLUMNS.size()) {
            throw refused(fileName + " line 1", "the header must be " + String.join(",", COLUMNS) + ", not "
                    + String.join(",", header));
        }
    }

    private static Rate rate(CSVRecord record, String where) {
        if (!record.isConsistent()) {
            throw refused(where, "has " + record.size() + " fields, expected " + COLUMNS.size());
        }
        String code = record.get("resource");
        RateResource resource = RateResource.ofCode(code).orElseThrow(() -> refused(where,
                "unknown resource '" + code + "' (use " + RateResource.codes() + ")"));
        String flavor = emptyToNull(record.get("flavor"));
        if (resource == RateResource.FLAVOR_HOUR && flavor == null) {
            throw refused(where, "flavor_hour needs the flavor's name in column flavor");
        }
        if (resource != RateResource.FLAVOR_HOUR && flavor != null) {
            throw refused(where, "column flavor is only for flavor_hour prices; leave it empty for " + code);
        }
        BigDecimal price = price(record.get("unit_price"), where);
        Currency currency = currency(record.get("currency"), where);
        Instant validFrom = time(record.get("valid_from"), "valid_from", where);
        String toText = record.get("valid_to");
        Instant validTo = toText.isEmpty() ? null : time(toText, "valid_to", where);
        if (validFrom == null) {
            throw refused(where, "valid_from is required");
        }
        if (validTo != null && !validFrom.isBefore(validTo)) {
            throw refused(where, "valid_from " + record.get("valid_from") + " is not before valid_to " + toText);
        }
        return new Rate(resource, flavor, price, currency.getCurrencyCode(), currency.getDefaultFractionDigits(),
                validFrom, validTo, where);
    }

    private static BigDecimal price(String text, String where) {
        BigDecimal price;
        try {
            price = new BigDecimal(text);
        } catch (NumberFormatException e) {
            // NaN, Infinity and -Infinity too: BigDecimal has no such values
            throw refused(where, "unit_price '" + text + "' is not a decimal number (e.g. 0.0125)");
        }
        if (price.signum() < 0) {
            throw refused(where, "unit_price " + text + " is negative");
        }
        if (price.signum() == 0) {
            return price.setScale(Math.max(0, Math.min(price.scale(), Rate.PRICE_SCALE)));
        }
        // digits before the decimal point, from precision and scale: 1e999999999 is never expanded
        if ((long) price.precision() - price.scale() > Rate.PRICE_PRECISION - Rate.PRICE_SCALE) {
            throw refused(where, "unit_price " + text + " is too large: prices are at most " + Rate.MAX_PRICE.toPlainString()
                    + " (numeric(" + Rate.PRICE_PRECISION + "," + Rate.PRICE_SCALE + "))");
        }
        if (price.scale() > Rate.PRICE_SCALE) {
            BigDecimal exact = price.stripTrailingZeros();
            if (exact.scale() > Rate.PRICE_SCALE) {
                throw refused(where, "unit_price " + text + " has " + exact.scale() + " decimal places: prices keep at most "
                        + Rate.PRICE_SCALE + " (not rounded: give the price you mean)");
            }
            price = exact.setScale(Math.max(0, exact.scale()));
        }
        return price.scale() < 0 ? price.setScale(0) : price;
    }

    private static Currency currency(String code, String where) {
        try {
            Currency currency = Currency.getInstance(code);
            if (currency.getDefaultFractionDigits() < 0) {
                throw refused(where, "currency " + code + " has no minor unit; use a currency such as EUR or USD");
            }
            return currency;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw refused(where, "currency '" + code + "' is not an ISO 4217 code (e.g. EUR, USD, CHF)");
        }
    }

    /** A date (midnight UTC) or a date-time with its zone, such as 2026-10-16 or 2026-10-16T06:00Z. */
    private static Instant time(String text, String column, String where) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return instant(text);
        } catch (DateTimeException e) {
            throw refused(where, column + " '" + text + "' is not " + TIME_FORMS);
        }
    }

    /** The forms {@link #instant} reads, for messages. */
    static final String TIME_FORMS = "a date (2026-10-16) or a date-time with zone (2026-10-16T06:00Z)";

    /** A date (midnight UTC) or a date-time with its zone; the billing policy's files use the same forms. */
    static Instant instant(String text) {
        return text.length() == 10
                ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                : OffsetDateTime.parse(text).toInstant();
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    static OsMetricsException refused(String where, String problem) {
        return OsMetricsException.usage("rate card refused: " + where + ": " + problem);
    }
}
