package org.osmetrics.report;

import java.io.IOException;
import java.util.List;

/**
 * Writes exported rows in one format. Values arrive as read from JDBC: String, Long, BigDecimal, Double,
 * Boolean, Instant, LocalDate, or null.
 */
interface RowWriter {
    void begin(List<ExportColumn> columns) throws IOException;

    void row(Object[] values) throws IOException;

    void end() throws IOException;
}
