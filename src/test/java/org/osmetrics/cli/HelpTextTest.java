package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osmetrics.Cancellation;
import picocli.CommandLine;

/** The --help of every command, as a terminal of 80 columns shows it, and --version. */
class HelpTextTest {

    private static List<CommandLine> allCommands(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!all.contains(sub)) {
                all.addAll(allCommands(sub));
            }
        }
        return all;
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.split("\\s+")));
    }

    @Test
    void helpIsWrappedBetweenWordsNeverInsideOne() {
        CommandLine root = new CommandLine(new Main(Map.of(), new Cancellation()));
        List<String> broken = new ArrayList<>();
        for (CommandLine command : allCommands(root)) {
            String narrow = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            command.setUsageHelpWidth(10_000);
            Set<String> whole = words(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
            command.setUsageHelpWidth(80);
            assertThat(narrow.lines()).as(command.getCommandSpec().qualifiedName()).allSatisfy(line ->
                    assertThat(line.length()).isLessThanOrEqualTo(80));
            for (String word : words(narrow)) {
                if (!whole.contains(word)) {
                    broken.add(command.getCommandSpec().qualifiedName() + ": '" + word + "'");
                }
            }
        }
        assertThat(broken).as("pieces of words cut by the wrapping").isEmpty();
    }

    @Test
    void versionIsTheMavenProjectVersionNotADevelopmentBuild() throws java.io.IOException {
        String pom = java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml"));
        java.util.regex.Matcher projectVersion = java.util.regex.Pattern
                .compile("<artifactId>os-metrics</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(projectVersion.find()).isTrue();
        java.io.StringWriter out = new java.io.StringWriter();

        int code = Main.execute(Map.of(), new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter()),
                "--version");

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("os-metrics " + projectVersion.group(1)).doesNotContain("development build");
    }
}
