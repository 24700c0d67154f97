package org.osmetrics.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;

/**
 * JSON through Jackson's streaming generator: an array with one row per line, or JSON lines. A row is an
 * object keyed by column name; for a document report it is the document itself, written as stored.
 */
final class JsonRowWriter implements RowWriter {
    private final JsonGenerator generator;
    private final boolean lines;
    private final String documentColumn;
    private List<ExportColumn> columns;
    private int documentIndex = -1;
    private long rows;

    JsonRowWriter(Writer out, boolean lines, String documentColumn) throws IOException {
        this.generator = JsonFactory.builder()
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build()
                .createGenerator(out);
        this.generator.setPrettyPrinter(lines ? new MinimalPrettyPrinter("\n") : new OneRowPerLine());
        this.lines = lines;
        this.documentColumn = documentColumn;
    }

    @Override
    public void begin(List<ExportColumn> columns) throws IOException {
        this.columns = columns;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(documentColumn)) {
                documentIndex = i;
            }
        }
        if (documentColumn != null && documentIndex < 0) {
            throw new IllegalStateException("document column " + documentColumn + " missing from the view");
        }
        if (!lines) {
            generator.writeStartArray();
        }
    }

    @Override
    public void row(Object[] values) throws IOException {
        rows++;
        if (documentIndex >= 0) {
            generator.writeRawValue((String) values[documentIndex]);
            return;
        }
        generator.writeStartObject();
        for (int i = 0; i < values.length; i++) {
            generator.writeFieldName(columns.get(i).name());
            write(columns.get(i).kind(), values[i]);
        }
        generator.writeEndObject();
    }

    private void write(ColumnKind kind, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
            return;
        }
        switch (kind) {
            case INTEGER -> generator.writeNumber((Long) value);
            case DECIMAL -> generator.writeNumber((BigDecimal) value);
            case DOUBLE -> writeDouble((Double) value);
            case BOOLEAN -> generator.writeBoolean((Boolean) value);
            case JSON -> generator.writeRawValue((String) value);
            default -> generator.writeString(Values.text(value));
        }
    }

    private void writeDouble(double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            generator.writeNull();   // JSON has no NaN or infinity
        } else {
            generator.writeNumber(Values.plainDouble(value));
        }
    }

    @Override
    public void end() throws IOException {
        if (!lines) {
            generator.writeEndArray();
        }
        if (!lines || rows > 0) {
            generator.writeRaw('\n');
        }
        generator.flush();
    }

    /** A compact array with one element per line: readable, diffable, and still one JSON value. */
    private static final class OneRowPerLine extends MinimalPrettyPrinter {
        @Override
        public void beforeArrayValues(JsonGenerator generator) throws IOException {
            if (generator.getOutputContext().getParent().inRoot()) {
                generator.writeRaw('\n');
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(generator.getOutputContext().getParent().inRoot() ? ",\n" : ",");
        }

        @Override
        public void writeEndArray(JsonGenerator generator, int entries) throws IOException {
            if (entries > 0 && generator.getOutputContext().getParent().inRoot()) {
                generator.writeRaw('\n');
            }
            generator.writeRaw(']');
        }
    }
}
