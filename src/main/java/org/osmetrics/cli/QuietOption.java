package org.osmetrics.cli;

import picocli.CommandLine.Option;

/**
 * {@code --quiet}, the same for every command that prints progress or a summary: on success nothing at all
 * is printed, so cron (which mails any output) stays silent; warnings and errors are still printed.
 */
final class QuietOption {
    @Option(names = "--quiet", description = "Print only warnings and errors: no progress, no summary (for cron,"
            + " which mails any output).")
    boolean quiet;

    boolean on() {
        return quiet;
    }
}
