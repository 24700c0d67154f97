package org.osmetrics.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.osmetrics.OsMetricsException;

/**
 * Writes a UTF-8 file all at once or not at all: into a temporary file next to it, renamed over the target
 * only when the content is complete, so a reader (or a failed export) never sees half a file.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Content<T> {
        T writeTo(Writer writer) throws IOException;
    }

    public static <T> T write(Path target, Content<T> content) {
        Path absolute = target.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
            T result;
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temporary),
                    StandardCharsets.UTF_8), 1 << 16)) {
                result = content.writeTo(writer);
            }
            move(temporary, absolute);
            return result;
        } catch (IOException e) {
            throw OsMetricsException.usage("cannot write " + target + ": " + e.getMessage()
                    + " (check the folder exists and is writable)");
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // a leftover hidden .tmp file is harmless; the error that matters is already on its way
        }
    }
}
