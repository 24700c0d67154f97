package org.osmetrics.cli;

import java.nio.file.Path;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.load.Database;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The database options shared by every command that touches the database. */
public final class DatabaseOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Mixin
    DatabaseUrlOption url;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder of the embedded PostgreSQL's data, created if missing (default: the folder data"
                    + " in the working directory).")
    Path dataDir;

    public DatabaseSettings settings() {
        return url.settings(dataDir, Main.environmentOf(mixee));
    }

    /** Opens the database and applies pending migrations: every command that touches data starts here. */
    public Database openMigrated() {
        Database database = Database.open(settings());
        try {
            database.migrate();
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }
}
