package org.osmetrics.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.osmetrics.cli.Main;

/**
 * One os-metrics command line run in-process through {@link Main#execute}, as a user runs it, with what it
 * printed on stdout and stderr.
 */
public record CommandRun(int exitCode, String out, String err) {

    public static CommandRun of(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(environment, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    public List<String> errLines() {
        return err.lines().toList();
    }
}
