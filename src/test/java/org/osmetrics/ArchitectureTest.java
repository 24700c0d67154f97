package org.osmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the house and which way their doors open (docs/ARCHITECTURE.md), read from the import lines of
 * the product's sources: dependencies point one way, from the command line down to the stages; nothing imports
 * {@code cli}; the simulator and the benchmark stay off the product path; only {@code load} and {@code report}
 * (and the benchmark) talk to the database.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/osmetrics");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
    private static final String ROOT = "(root)";

    /** What each room may import of the others ({@code cli} may import every room: it wires them). */
    private static final Map<String, Set<String>> MAY_IMPORT = Map.of(
            ROOT, Set.of(),
            "config", Set.of(ROOT),
            "extract", Set.of(ROOT, "config"),
            "transform", Set.of(ROOT, "extract"),
            "load", Set.of(ROOT, "config", "extract", "transform"),
            "pipeline", Set.of(ROOT, "config", "extract", "transform", "load"),
            "report", Set.of(ROOT, "config", "extract", "transform"),
            "sim", Set.of(ROOT),
            "bench", Set.of(ROOT, "config", "extract", "transform", "load", "pipeline", "report", "sim"));
    /** The rooms that may use the database's libraries; the root only for ExitCode's SQLException. */
    private static final Set<String> DATABASE_ROOMS = Set.of("load", "report", "bench");
    private static final List<String> DATABASE_LIBRARIES = List.of("org.jdbi.", "org.flywaydb.", "org.postgresql.", "java.sql.");

    private record Import(Path file, String room, String imported) {
    }

    private static String roomOf(Path file) {
        Path relative = SOURCES.relativize(file);
        return relative.getNameCount() == 1 ? ROOT : relative.getName(0).toString();
    }

    private static String roomOf(String imported) {
        String[] parts = imported.split("\\.");
        return Character.isUpperCase(parts[2].charAt(0)) ? ROOT : parts[2];
    }

    private static List<Import> imports() throws IOException {
        List<Import> imports = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    imports.add(new Import(file, roomOf(file), matcher.group(1)));
                }
            }
        }
        assertThat(imports).as("import lines read from " + SOURCES.toAbsolutePath()).hasSizeGreaterThan(100);
        return imports;
    }

    @Test
    void everyRoomImportsOnlyTheRoomsBelowIt() throws IOException {
        List<String> wrong = imports().stream()
                .filter(i -> i.imported().startsWith("org.osmetrics.") && !i.room().equals("cli"))
                .filter(i -> !roomOf(i.imported()).equals(i.room()))
                .filter(i -> !MAY_IMPORT.getOrDefault(i.room(), Set.of()).contains(roomOf(i.imported())))
                .map(i -> i.file() + " imports " + i.imported())
                .toList();

        assertThat(wrong).as("imports against the direction of the house (docs/ARCHITECTURE.md)").isEmpty();
    }

    @Test
    void nothingImportsTheCommandLine() throws IOException {
        assertThat(imports().stream().filter(i -> i.imported().startsWith("org.osmetrics.cli.") && !i.room().equals("cli"))
                .map(i -> i.file() + " imports " + i.imported())).isEmpty();
    }

    @Test
    void onlyTheLoaderTheReportsAndTheBenchmarkTalkToTheDatabase() throws IOException {
        List<String> wrong = imports().stream()
                .filter(i -> DATABASE_LIBRARIES.stream().anyMatch(i.imported()::startsWith))
                .filter(i -> !DATABASE_ROOMS.contains(i.room()))
                .filter(i -> !(i.room().equals(ROOT) && i.file().endsWith("ExitCode.java")
                        && i.imported().equals("java.sql.SQLException")))
                .map(i -> i.file() + " imports " + i.imported())
                .toList();

        assertThat(wrong).isEmpty();
    }

    @Test
    void everyRoomIsKnown() throws IOException {
        assertThat(imports().stream().map(Import::room).distinct().filter(room -> !room.equals("cli")))
                .allMatch(MAY_IMPORT::containsKey, "a room of MAY_IMPORT (a new room says what it may import)");
    }
}
