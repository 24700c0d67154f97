package org.osmetrics.extract;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.Locale;

/**
 * What Jackson found wrong with a document, as words for one line of a message. Any
 * {@link JsonProcessingException} is described, including those without a location: Jackson's read limits
 * ({@link StreamConstraintsException}: a document nested too deeply, a string, number or field name too long)
 * are thrown with none.
 */
final class JsonProblem {
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.defaults();

    private final JsonProcessingException exception;

    JsonProblem(JsonProcessingException exception) {
        this.exception = exception;
    }

    /** The document ended inside a value (a cut file or body). */
    boolean truncated() {
        String reason = exception.getOriginalMessage();
        return reason != null && reason.startsWith("Unexpected end-of-input");
    }

    /** {@code " at line L, column C"}, or "" when Jackson gives no position. */
    String where() {
        JsonLocation location = exception.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + (location.getColumnNr() < 1 ? "" : ", column " + location.getColumnNr());
    }

    /** The reason in words, its first line only, without Jackson's hints at its own settings. */
    String reason() {
        String reason = exception.getOriginalMessage();
        if (reason == null) {
            return exception.getClass().getSimpleName();
        }
        if (exception instanceof StreamConstraintsException) {
            if (reason.startsWith("Document nesting depth")) {
                return String.format(Locale.ROOT, "nested more than %,d levels deep", LIMITS.getMaxNestingDepth());
            } else if (reason.startsWith("String value length")) {
                return String.format(Locale.ROOT, "a string of more than %,d characters", LIMITS.getMaxStringLength());
            } else if (reason.startsWith("Number value length")) {
                return String.format(Locale.ROOT, "a number of more than %,d digits", LIMITS.getMaxNumberLength());
            } else if (reason.startsWith("Name length")) {
                return String.format(Locale.ROOT, "a field name of more than %,d characters", LIMITS.getMaxNameLength());
            }
        }
        int newline = reason.indexOf('\n');
        String first = newline < 0 ? reason : reason.substring(0, newline);
        int hint = first.indexOf(", from `");
        return hint < 0 ? first : first.substring(0, hint) + ")";
    }
}
