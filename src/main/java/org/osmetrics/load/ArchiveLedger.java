package org.osmetrics.load;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The ledger of archived files an {@code import-json} run read ({@code metrics.imported_file}). Thread-safe (stateless over Jdbi). */
public final class ArchiveLedger {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /**
     * What became of one file, or of one range of it.
     *
     * @param outcome {@code loaded}, {@code empty} or {@code malformed}
     * @param scope   the scope key of a loaded range (null otherwise), as {@code start}, {@code end} and {@code servers}
     * @param detail  why a file was not loaded, or null
     */
    public record ImportedFile(String file, String outcome, String scope, Instant start, Instant end, Integer servers,
            String detail) {
    }

    private final Jdbi jdbi;

    public ArchiveLedger(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records the files of run {@code runId} in one transaction; a loaded range's row names the cloud. */
    public void record(Cloud cloud, long runId, List<ImportedFile> files) {
        jdbi.useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(SQL.locate(ArchiveLedger.class, "insertFile"));
            for (ImportedFile row : files) {
                batch.bind("run", runId).bind("file", row.file()).bind("outcome", row.outcome())
                        .bind("cloud", row.start() == null ? null : cloud.cloudId()).bind("scope", row.scope())
                        .bind("start", row.start()).bind("end", row.end()).bind("servers", row.servers())
                        .bind("detail", row.detail()).add();
            }
            batch.execute();
        });
    }
}
