package org.osmetrics.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.osmetrics.OsMetricsException;

/** A UTF-8 file the user names on the command line (a rate card, a customers mapping), read by its parser. */
final class InputFile {

    /** A parser of the file's text; {@code fileName} is for its messages ("rates.csv line 7: ..."). */
    @FunctionalInterface
    interface Parser<T> {
        T read(Reader reader, String fileName) throws IOException;
    }

    private InputFile() {
    }

    /**
     * @param what the file in words, e.g. "rate card file"
     * @throws OsMetricsException exit 2 when the file is missing or unreadable
     */
    static <T> T read(Path file, String what, Parser<T> parser) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parser.read(reader, file.getFileName().toString());
        } catch (NoSuchFileException e) {
            throw OsMetricsException.usage(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw OsMetricsException.usage("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }
}
