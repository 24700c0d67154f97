package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRowWriterTest {

    @Test
    void textStartingAFormulaGetsALeadingQuoteAndOtherTextIsKept() {
        assertThat(CsvRowWriter.neutralise("=1+2")).isEqualTo("'=1+2");
        assertThat(CsvRowWriter.neutralise("+33 1 23")).isEqualTo("'+33 1 23");
        assertThat(CsvRowWriter.neutralise("-rm")).isEqualTo("'-rm");
        assertThat(CsvRowWriter.neutralise("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvRowWriter.neutralise("\tx")).isEqualTo("'\tx");
        assertThat(CsvRowWriter.neutralise("\rx")).isEqualTo("'\rx");
        assertThat(CsvRowWriter.neutralise("web-1")).isEqualTo("web-1");
        assertThat(CsvRowWriter.neutralise("a=b")).isEqualTo("a=b");
        assertThat(CsvRowWriter.neutralise("")).isEmpty();
    }

    @Test
    void numbersAreWrittenPlainAndNeverNeutralised() throws Exception {
        StringWriter out = new StringWriter();
        CsvRowWriter writer = new CsvRowWriter(out);
        writer.begin(List.of(new ExportColumn("name", ColumnKind.TEXT), new ExportColumn("difference", ColumnKind.DOUBLE),
                new ExportColumn("memory", ColumnKind.DOUBLE), new ExportColumn("amount", ColumnKind.DECIMAL)));
        writer.row(new Object[] {"-x", -6.0, 64305932.515555546, new BigDecimal("-0.50")});
        writer.row(new Object[] {null, 1.0E-5, null, new BigDecimal("1E+3")});
        writer.end();

        assertThat(out.toString()).isEqualTo("name,difference,memory,amount\r\n"
                + "'-x,-6.0,64305932.515555546,-0.50\r\n"
                + ",0.00001,,1000\r\n");
    }
}
