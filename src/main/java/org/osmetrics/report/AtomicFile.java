package org.osmetrics.report;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import org.osmetrics.OsMetricsException;

/**
 * Writes a UTF-8 file all at once or not at all: into a temporary file next to it, renamed over the target
 * only when the content is complete, so a reader (or a failed export) never sees half a file. The file gets
 * the permissions of any new file (0666 less the umask: 0644 with the usual 022), so that node_exporter or a
 * colleague can read it, as with a shell redirection; {@code Files.createTempFile} would make it 0600.
 */
public final class AtomicFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Content<T> {
        T writeTo(Writer writer) throws IOException;
    }

    /** What writes the content as bytes (UTF-8 text: the caller encodes it). */
    @FunctionalInterface
    public interface ByteContent<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    public static <T> T write(Path target, Content<T> content) {
        return writeBytes(target, stream -> {
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
                return content.writeTo(writer);
            }
        });
    }

    public static <T> T writeBytes(Path target, ByteContent<T> content) {
        Path absolute = target.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            OutputStream stream = null;
            while (stream == null) {
                temporary = directory.resolve("." + absolute.getFileName() + "."
                        + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
                try {
                    // created by open(2) with mode 0666: the umask applies, as for any new file
                    stream = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    temporary = null;
                }
            }
            T result;
            try (OutputStream out = new BufferedOutputStream(stream, 1 << 16)) {
                result = content.writeTo(out);
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
