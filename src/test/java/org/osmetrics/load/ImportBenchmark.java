package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.Cancellation;
import org.osmetrics.testing.ArchiveDocuments;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.osmetrics.pipeline.ArchiveImport;

/**
 * The import-json figures of the README: a generated archive of {@code -Dosm.importBench=N} documents (20
 * projects, a day each) imported into a fresh embedded database, then imported again. Not part of the suite
 * (the class name is no test name); run it with
 * {@code mvn -q test -Dtest=ImportBenchmark -Dosm.importBench=2000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "osm.importBench", matches = "\\d+")
class ImportBenchmark {
    @TempDir
    Path folder;

    @Test
    void importsAGeneratedArchive() throws IOException {
        int documents = Integer.parseInt(System.getProperty("osm.importBench"));
        ArchiveDocuments.writeArchive(folder, documents, 20, Instant.parse("2023-01-01T00:00:00Z"));
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.sorted().toList();
        }
        try (TestDatabase test = TestDatabases.freshEmbedded()) {
            for (String pass : List.of("first import", "re-import")) {
                ArchiveImport.Summary s = new ArchiveImport(test.database(), Clock.systemUTC(), new Cancellation())
                        .run("bench", null, files, "bench", false, 2, file -> { });
                System.out.printf(Locale.ROOT, "IMPORT-BENCH %s: %,d files, %,d ranges, %,d servers, %,d rows in %.1f s"
                        + " (%.1f ms per file)%n", pass, s.files(), s.ranges(), s.servers(), s.rows(),
                        s.elapsed().toMillis() / 1000.0, (double) s.elapsed().toMillis() / s.files());
                assertThat(s.failures()).isEmpty();
            }
            long facts = test.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.usage_fact")
                    .mapTo(Long.class).one());
            System.out.printf(Locale.ROOT, "IMPORT-BENCH facts stored: %,d%n", facts);
        }
    }
}
