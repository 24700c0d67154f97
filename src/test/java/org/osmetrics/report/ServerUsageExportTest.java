package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The server_usage CSV written by PostgreSQL (COPY of lines formatted in SQL) is exactly the export of the view's
 * rows through CsvRowWriter: every filter, dialect and delimiter, into bytes and into characters.
 */
class ServerUsageExportTest {
    private static final ReportDefinition SERVER_USAGE = ReportCatalog.require("server_usage");

    private static TestDatabase small;
    private static TestDatabase odd;

    @BeforeAll
    static void loadClouds() {
        small = SmallCloudData.load();
        odd = SmallCloudData.load();
        SmallCloudData.execute(odd, SmallCloudData.script("odd-clouds.sql"));
    }

    @AfterAll
    static void dropDatabases() {
        small.close();
        odd.close();
    }

    /** Through a character stream (standard output's path). */
    private static String export(TestDatabase db, boolean byCopy, ExportRequest request) {
        StringWriter out = new StringWriter();
        try {
            new ReportExporter(db.database().dataSource(), byCopy).export(request, out, rows -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Into bytes (a file's path). */
    private static byte[] exportBytes(TestDatabase db, boolean byCopy, ExportRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ReportExporter(db.database().dataSource(), byCopy).export(request, out, rows -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static List<ExportRequest> requests() {
        List<ExportRequest> requests = new ArrayList<>();
        List<Instant[]> ranges = List.of(
                new Instant[] {null, null},
                new Instant[] {Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")},
                new Instant[] {Instant.parse("2026-10-01T12:30:00Z"), Instant.parse("2026-10-02T06:00:00Z")},
                new Instant[] {Instant.parse("2026-10-15T00:00:00Z"), null},
                new Instant[] {null, Instant.parse("2026-10-01T05:00:00Z")},
                new Instant[] {Instant.parse("2027-01-01T00:00:00Z"), null});
        List<List<String>> projects = List.of(
                List.of(),
                List.of("p-beta"),
                List.of("alpha"),                        // an id in two clouds
                List.of("Alpha \"R&D\", Ltd"),            // a name in two clouds, of different ids
                List.of("ghost", "no-project-row", "ß"),  // ids without project rows, only in the facts
                List.of("zeta team", "p-gamma"),
                List.of("nobody"));
        for (ExportFormat format : ExportFormat.values()) {
            for (Instant[] range : ranges) {
                requests.add(new ExportRequest(SERVER_USAGE, range[0], range[1], List.of(), format));
            }
            for (List<String> project : projects) {
                requests.add(new ExportRequest(SERVER_USAGE, null, null, project, format));
            }
            requests.add(new ExportRequest(SERVER_USAGE, Instant.parse("2026-10-01T06:00:00Z"),
                    Instant.parse("2026-10-10T00:00:00Z"), List.of("Zeta", "p-alpha"), format));
        }
        // the spreadsheet dialect and other delimiters: both paths write the same bytes there too
        for (CsvDialect dialect : CsvDialect.values()) {
            for (char delimiter : ExportRequest.DELIMITERS.toCharArray()) {
                requests.add(new ExportRequest(SERVER_USAGE, null, null, List.of(), null, ExportFormat.CSV, dialect,
                        delimiter));
                requests.add(new ExportRequest(SERVER_USAGE, Instant.parse("2026-10-01T12:30:00Z"), null,
                        List.of("alpha", "Alpha \"R&D\", Ltd"), null, ExportFormat.CSV, dialect, delimiter));
            }
        }
        return requests;
    }

    private static void assertSameBytesAsTheView(TestDatabase db) {
        for (ExportRequest request : requests()) {
            byte[] view = exportBytes(db, false, request);
            assertThat(exportBytes(db, true, request)).as("%s, bytes", request).isEqualTo(view);
            assertThat(export(db, true, request)).as("%s, characters", request)
                    .isEqualTo(new String(view, StandardCharsets.UTF_8));
        }
    }

    @Test
    void smallCloudExportIsTheViewsExportByteForByte() {
        assertSameBytesAsTheView(small);
        String csv = export(small, true,
                new ExportRequest(SERVER_USAGE, null, null, List.of(), ExportFormat.CSV));
        assertThat(csv.split("\r\n(?=[0-9])")).hasSize(1 + 42 + 15 + 31 + 12 + 1);   // header, S1 (from Sep 20) .. S5
    }

    @Test
    void oddCloudsProjectsNamesAndIdsExportAsTheViewByteForByte() {
        assertSameBytesAsTheView(odd);
        String csv = export(odd, true, new ExportRequest(SERVER_USAGE, null, null, List.of(), ExportFormat.CSV));
        assertThat(export(odd, true, new ExportRequest(SERVER_USAGE, null, null, List.of(), null, ExportFormat.CSV,
                CsvDialect.EXCEL, ';')))
                .as("the excel dialect: a byte-order mark, the same cells, Nova's hours unrounded")
                .startsWith("\uFEFFhours;flavor;").contains("'=1+1").contains("\"big,\"\"quoted\"\"\"")
                .isEqualTo("\uFEFF" + export(odd, false, new ExportRequest(SERVER_USAGE, null, null, List.of(), null,
                        ExportFormat.CSV, CsvDialect.RFC4180, ';')));
        assertThat(csv).contains("ghost of the facts").contains("'=1+1").contains("\"big,\"\"quoted\"\"\"")
                .doesNotContain("42345678-1234-1234-1234-123456789abc");   // a fact without its server row
    }

    @Test
    void readerRoleThatSeesOnlyTheReportSchemaExportsThroughTheView() throws IOException {
        PGSimpleDataSource reader = new PGSimpleDataSource();
        reader.setURL(odd.jdbcUrl());
        reader.setOptions("-c role=os_metrics_reader");
        ExportRequest request = new ExportRequest(SERVER_USAGE, null, null, List.of("alpha"), ExportFormat.CSV);
        StringWriter out = new StringWriter();

        new ReportExporter(reader).export(request, out, rows -> { });

        assertThat(out.toString()).isEqualTo(export(odd, false, request)).contains("same id, other cloud");
    }
}
