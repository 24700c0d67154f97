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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.TestDatabaseExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The fast server_usage export (facts in chunks, dimensions joined and rows sorted in Java) writes exactly the
 * bytes of the export through the view, sorted by PostgreSQL: every format, filter, chunk size, dialect and
 * delimiter, into bytes and into characters, with values whose text is easy to get wrong.
 */
class ServerUsageExportTest {
    private static final ReportDefinition SERVER_USAGE = ReportCatalog.require("server_usage");

    /** One row per chunk, a few, and everything in one chunk. */
    private static final int[] CHUNK_ROWS = {1, 7, ServerUsageExport.CHUNK_ROWS};

    @RegisterExtension
    static final TestDatabaseExtension small = TestDatabaseExtension.of(SmallCloudData::load);
    @RegisterExtension
    static final TestDatabaseExtension odd = TestDatabaseExtension.of(SmallCloudData::load);

    @BeforeAll
    static void loadOddClouds() {
        SmallCloudData.execute(odd.test(), SmallCloudData.script("odd-clouds.sql"));
        SmallCloudData.execute(odd.test(), TRICKY_VALUES);
    }

    /**
     * Values whose text PostgreSQL and Java write differently unless the SQL takes care: doubles Java prints with
     * an exponent (below 0.001, from 10^7), whole doubles (1.0), zero and minus zero, times with a fraction of
     * milli- or microseconds, names starting with '#' or ending with a space, a lone formula character.
     */
    private static final String TRICKY_VALUES = """
            WITH tricky AS (
                SELECT f.cloud_id, f.window_start, f.instance_id,
                       (ARRAY[0.0005, 0.00001, 0.000123456789, 22315008.0, 22315008.5, 1e15, 1.5e20, 0.0, -0.0,
                              1.0/3, 2.0, 0.001, 9999999.999, 10000000.0, 0.0002777777777777778, 1e-300])[1 + (row_number()
                           OVER (ORDER BY f.cloud_id, f.window_start, f.instance_id))::int % 16] AS hours
                FROM metrics.usage_fact f)
            UPDATE metrics.usage_fact f SET hours = t.hours::float8
            FROM tricky t
            WHERE f.cloud_id = t.cloud_id AND f.window_start = t.window_start AND f.instance_id = t.instance_id;
            UPDATE metrics.usage_fact SET hours = CAST('-0' AS float8)
            WHERE (cloud_id, window_start, instance_id) IN (SELECT cloud_id, window_start, instance_id
                                                           FROM metrics.usage_fact ORDER BY 1, 2, 3 LIMIT 1);
            UPDATE metrics.server SET started_at = started_at + interval '0.5 second' WHERE name LIKE 'r%';
            UPDATE metrics.server SET started_at = started_at + interval '0.000123 second',
                                      ended_at = timestamptz '2026-10-30 00:00:00.25Z'
            WHERE instance_id = (SELECT instance_id FROM metrics.server WHERE cloud_id = 1 ORDER BY 1 LIMIT 1);
            UPDATE metrics.server SET name = '#hash '
            WHERE instance_id = (SELECT instance_id FROM metrics.server WHERE cloud_id = 1 ORDER BY 1 DESC LIMIT 1);
            UPDATE metrics.project SET name = '=' WHERE project_id = 'Zeta';
            """;

    @Test
    void trickyDoublesTimesAndNamesAreWrittenAsTheViewsExportWritesThem() {
        String csv = export(odd, 7, new ExportRequest(SERVER_USAGE, null, null, List.of(), ExportFormat.CSV));
        assertThat(csv).contains("\r\n0.0005,").contains("\r\n0.00001,").contains("\r\n22315008,")
                .contains("\r\n22315008.5,").contains("\r\n1000000000000000,").contains("\r\n0.0,")
                .contains("\r\n-0.0,").contains("\r\n2.0,").contains("\r\n9999999.999,")
                .contains(".500Z,").contains(".000123Z,").contains("2026-10-30T00:00:00.250Z,")
                .contains(",\"#hash \",").contains(",'=,");
    }

    /** Through a character stream (standard output's path). */
    private static String export(TestDatabaseExtension db, int chunkRows, ExportRequest request) {
        StringWriter out = new StringWriter();
        try {
            new ReportExporter(db.database().dataSource(), chunkRows).export(request, out, rows -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Into bytes (a file's path). */
    private static byte[] exportBytes(TestDatabaseExtension db, int chunkRows, ExportRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ReportExporter(db.database().dataSource(), chunkRows).export(request, out, rows -> { });
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

    private static void assertSameBytesAsTheView(TestDatabaseExtension db) {
        for (ExportRequest request : requests()) {
            byte[] view = exportBytes(db, 0, request);
            for (int chunkRows : CHUNK_ROWS) {
                assertThat(exportBytes(db, chunkRows, request)).as("%s, %d rows a chunk, bytes", request, chunkRows)
                        .isEqualTo(view);
            }
            assertThat(export(db, 7, request)).as("%s, characters", request)
                    .isEqualTo(new String(view, StandardCharsets.UTF_8));
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
