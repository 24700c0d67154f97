package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The fast server_usage export (facts in chunks, dimensions joined and rows sorted in Java) writes exactly the
 * bytes of the export through the view, sorted by PostgreSQL: every format, filter and chunk size.
 */
class ServerUsageExportTest {
    private static final ReportDefinition SERVER_USAGE = ReportCatalog.require("server_usage");
    /** One row per chunk, a few, and everything in one chunk. */
    private static final int[] CHUNK_ROWS = {1, 7, ServerUsageExport.CHUNK_ROWS};

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

    private static String export(TestDatabase db, int chunkRows, ExportRequest request) {
        StringWriter out = new StringWriter();
        try {
            new ReportExporter(db.database().dataSource(), chunkRows).export(request, out, rows -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
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
            String view = export(db, 0, request);
            for (int chunkRows : CHUNK_ROWS) {
                assertThat(export(db, chunkRows, request))
                        .as("%s, %d rows a chunk", request, chunkRows)
                        .isEqualTo(view);
            }
        }
    }

    @Test
    void smallCloudExportIsTheViewsExportByteForByte() {
        assertSameBytesAsTheView(small);
        String csv = export(small, ServerUsageExport.CHUNK_ROWS,
                new ExportRequest(SERVER_USAGE, null, null, List.of(), ExportFormat.CSV));
        assertThat(csv.split("\r\n(?=[0-9])")).hasSize(1 + 42 + 15 + 31 + 12 + 1);   // header, S1 (from Sep 20) .. S5
    }

    @Test
    void oddCloudsProjectsNamesAndIdsExportAsTheViewByteForByte() {
        assertSameBytesAsTheView(odd);
        String csv = export(odd, 7, new ExportRequest(SERVER_USAGE, null, null, List.of(), ExportFormat.CSV));
        assertThat(export(odd, 7, new ExportRequest(SERVER_USAGE, null, null, List.of(), null, ExportFormat.CSV,
                CsvDialect.EXCEL, ';')))
                .as("the excel dialect: a byte-order mark, the same cells, Nova's hours unrounded")
                .startsWith("\uFEFFhours;flavor;").contains("'=1+1").contains("\"big,\"\"quoted\"\"\"")
                .isEqualTo("\uFEFF" + export(odd, 0, new ExportRequest(SERVER_USAGE, null, null, List.of(), null,
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

        assertThat(out.toString()).isEqualTo(export(odd, 0, request)).contains("same id, other cloud");
    }
}
