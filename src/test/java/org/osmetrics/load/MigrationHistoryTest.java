package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * A versioned migration that has landed is history: Flyway refuses to start on any database that applied
 * an earlier text of it. Every versioned migration's checksum (Flyway's own) is pinned in
 * {@code versioned-migrations.txt}; an edit fails here, a new migration is added to the list.
 */
class MigrationHistoryTest {
    private static final String PINNED = "versioned-migrations.txt";

    @Test
    void noVersionedMigrationChangesAfterItLanded() throws IOException {
        Map<String, String> pinned = pinned();
        Map<String, String> resolved = new LinkedHashMap<>();
        try (TestDatabase test = TestDatabases.freshUnmigrated()) {
            for (Migration migration : test.database().migrations()) {
                if (migration.versioned()) {
                    resolved.put(migration.script(), String.valueOf(migration.checksum()));
                }
            }
        }
        String expected = resolved.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));

        for (Map.Entry<String, String> entry : pinned.entrySet()) {
            assertThat(resolved).as(entry.getKey() + " is pinned but gone: a landed migration is never deleted")
                    .containsKey(entry.getKey());
            assertThat(resolved.get(entry.getKey())).as(entry.getKey() + " was edited after it landed (its checksum "
                    + "changed): revert the edit and add a new migration instead").isEqualTo(entry.getValue());
        }
        assertThat(resolved.keySet()).as("a new migration: add its line to src/test/resources/org/osmetrics/load/"
                + PINNED + " (the list should read:\n" + expected + ")").isEqualTo(pinned.keySet());
    }

    private static Map<String, String> pinned() throws IOException {
        Map<String, String> pinned = new LinkedHashMap<>();
        try (InputStream in = MigrationHistoryTest.class.getResourceAsStream(PINNED)) {
            assertThat(in).as(PINNED + " on the test class path").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split(" ");
                    pinned.put(parts[0], parts[1]);
                }
            }
        }
        return pinned;
    }
}
