package org.osmetrics.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a CSV export is written (README, "CSV"). Both dialects are RFC 4180 quoting with CRLF line ends, UTF-8 and
 * the formula guard; they differ in what a spreadsheet needs to open the file with its default options.
 */
public enum CsvDialect {
    /** RFC 4180 exactly: no byte-order mark, every number as the view computes it. The default. */
    RFC4180,
    /**
     * For spreadsheets: a UTF-8 byte-order mark first (without it Excel reads the file as the system's code page
     * and garbles non-ASCII names), and the quantities of priced reports rounded to {@link #QUANTITY_SCALE}
     * decimals (see {@link ReportCatalog#spreadsheetRounded}); amounts and usage reports keep their numbers.
     */
    EXCEL;

    /** The byte-order mark, as a character: UTF-8 writes it as EF BB BF. */
    static final char BYTE_ORDER_MARK = '\uFEFF';
    /** Decimals of a priced report's quantity in the excel dialect (half up, trailing zeros dropped). */
    public static final int QUANTITY_SCALE = 6;

    /** A quantity as the excel dialect writes it: {@value #QUANTITY_SCALE} decimals at most, half up. */
    static BigDecimal rounded(BigDecimal quantity) {
        BigDecimal rounded = quantity.setScale(QUANTITY_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }
}
