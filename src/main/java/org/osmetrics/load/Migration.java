package org.osmetrics.load;

import java.time.Instant;

/**
 * One migration of the schema, applied or pending, as {@code db info} shows it.
 *
 * @param version     the version; {@code R} for a repeatable migration (a report view, re-applied whenever its file
 *                    changes); {@code -} for Flyway's own rows (such as the creation of the schemas)
 * @param script      the file, or Flyway's description of its own row
 * @param checksum    Flyway's checksum of the file (null for its own rows)
 * @param state       applied, pending, ... in Flyway's words
 * @param applied     whether it has been applied
 * @param installedOn when it was applied, or null
 */
public record Migration(String version, String description, String script, Integer checksum, String state,
        boolean applied, Instant installedOn) {

    /** Whether this is a versioned migration (history: never edited once landed). */
    public boolean versioned() {
        return !version.equals("R") && !version.equals("-");
    }
}
