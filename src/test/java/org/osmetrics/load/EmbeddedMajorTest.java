package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.ExitCode;
import org.osmetrics.OsMetricsException;
import org.osmetrics.testing.TestDatabases;

class EmbeddedMajorTest {

    @Test
    void aDataFolderOfAnotherMajorIsRefusedInOneLineBeforeAnyStart(@TempDir Path folder) throws IOException {
        Path pgData = Files.createDirectories(folder.resolve(EmbeddedServer.PGDATA));
        Files.writeString(pgData.resolve("PG_VERSION"), "14\n");
        assertThatThrownBy(() -> EmbeddedServer.refuseOtherMajor(pgData))
                .isInstanceOf(OsMetricsException.class)
                .hasMessageContaining("made by PostgreSQL 14")
                .hasMessageContaining("embeds PostgreSQL 16")
                .satisfies(e -> assertThat(ExitCode.of(e)).isEqualTo(ExitCode.DATABASE))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFreshFolderOrOneOfTheSameMajorIsAccepted(@TempDir Path folder) throws IOException {
        Path pgData = folder.resolve(EmbeddedServer.PGDATA);
        EmbeddedServer.refuseOtherMajor(pgData);
        Files.createDirectories(pgData);
        Files.writeString(pgData.resolve("PG_VERSION"), EmbeddedServer.POSTGRES_MAJOR + "\n");
        EmbeddedServer.refuseOtherMajor(pgData);
    }

    @Test
    void theEmbeddedMajorIsTheTestsOne() {
        assertThat(EmbeddedServer.POSTGRES_MAJOR).isEqualTo(TestDatabases.POSTGRES_MAJOR);
    }
}
