package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * The showback as people see it: headless Chromium (Debian's {@code chromium}) opens the small cloud's page on a
 * laptop-sized screen and prints it to PDF (A4), poppler ({@code pdftoppm}, {@code pdftotext}) turns each printed page
 * into a PNG and text. Without these tools the test is skipped, saying why; with {@code CI_REQUIRE_TOOLS=1} (as
 * {@code .ci/run} sets it) it fails instead. The screenshots are kept under {@code target/showback/} to be looked at.
 */
class ShowbackBrowserTest {
    /** The first colour of the charts' palette (the project with the most vCPU-hours). */
    private static final int FIRST_COLOUR = 0x4e79a7;
    private static final Path KEEP = Path.of("target", "showback");
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(ShowbackReportTest::loadNamedSmallCloud);
    /** The small cloud's showback of October 2026. */
    private static Path html;

    @TempDir
    Path dir;

    @BeforeAll
    static void render(@TempDir Path shared) {
        html = shared.resolve("showback.html");
        CommandRun run = ShowbackReportTest.report(db.test(), html);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    /** The tool's path; when it is missing, a skip saying why, or under CI_REQUIRE_TOOLS=1 a failure. */
    static Path tool(String why, String... names) {
        for (String name : names) {
            for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (!folder.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String reason = String.join(" or ", names) + " is not installed: " + why;
        if ("1".equals(System.getenv("CI_REQUIRE_TOOLS"))) {
            fail(reason + " (CI_REQUIRE_TOOLS=1: CI must have it; .ci/run installs it)");
        }
        assumeTrue(false, reason);
        return null;
    }

    private static Path chromium() {
        return tool("the showback is not rendered in a browser (Debian package chromium)", "chromium", "chromium-browser");
    }

    /** Runs a program to its end (two minutes at most) and returns its stdout; its stderr goes to {@code err}. */
    private static String run(Path err, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(err.getParent(), "out", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command.get(0) + " did not finish within 2 minutes: " + command);
        }
        assertThat(process.exitValue()).as(command + "\n" + Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private List<String> chromiumCommand(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
                "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** What the page logged to its console (Chromium's {@code CONSOLE} lines): errors, blocked loads, CSP violations. */
    private static List<String> console(Path err) throws IOException {
        return Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> l.contains(":CONSOLE")).toList();
    }

    /** How many pixels of the image are of the colour (within a small tolerance for anti-aliasing). */
    private static long pixelsOf(Path png, int rgb) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs((p >> 16 & 0xff) - (rgb >> 16 & 0xff)) <= 8 && Math.abs((p >> 8 & 0xff) - (rgb >> 8 & 0xff)) <= 8
                        && Math.abs((p & 0xff) - (rgb & 0xff)) <= 8) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void theConsoleCheckSeesWhatThePagePolicyBlocks() throws Exception {
        Path page = dir.resolve("blocked.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\""
                + " content=\"default-src 'none'; style-src 'unsafe-inline'\"/></head><body><p>x</p>"
                + "<script>document.title = 'ran'</script></body></html>");
        Path err = dir.resolve("blocked.err");

        String dom = run(err, chromiumCommand("--dump-dom", page.toUri().toString()));

        assertThat(console(err)).anySatisfy(line -> assertThat(line).contains("Content Security Policy"));
        assertThat(dom).doesNotContain("<title>ran</title>");
    }

    @Test
    void chromiumShowsThePageWithItsChartsOnALaptopScreenAndLogsNothing() throws Exception {
        String file = Files.readString(html);
        Path err = dir.resolve("dom.err");

        String dom = run(err, chromiumCommand("--dump-dom", html.toUri().toString()));

        assertThat(console(err)).as("the page's console").isEmpty();
        long charts = file.split("<svg", -1).length - 1;
        assertThat(charts).isEqualTo(4 + 2 * 3); // the overview's 4, two per project
        assertThat(dom.split("<svg", -1).length - 1).as("charts in the browser's DOM").isEqualTo(charts);
        assertThat(dom).contains("Showback 2026-10").contains(ShowbackReportTest.NASTY.replace("<", "&lt;").replace(">", "&gt;"))
                .doesNotContain("<script");

        Path screen = dir.resolve("laptop.png");
        Path screenErr = dir.resolve("screen.err");
        run(screenErr, chromiumCommand("--window-size=1366,768", "--screenshot=" + screen, html.toUri().toString()));
        assertThat(console(screenErr)).isEmpty();
        BufferedImage image = ImageIO.read(screen.toFile());
        assertThat(image.getWidth()).isEqualTo(1366);
        assertThat(image.getHeight()).isEqualTo(768);
        assertThat(pixelsOf(screen, FIRST_COLOUR)).as("chart bars on the first screen").isGreaterThan(300);
        keep(screen, "laptop.png");
        keep(html, "showback.html");
    }

    @Test
    void printedOnA4EachProjectStartsAPageAndEveryPageSaysTheMonthsCompleteness() throws Exception {
        Path pdf = dir.resolve("showback.pdf");
        Path err = dir.resolve("print.err");

        run(err, chromiumCommand("--no-pdf-header-footer", "--print-to-pdf=" + pdf, html.toUri().toString()));

        assertThat(console(err)).isEmpty();
        Path pdftoppm = tool("the printed showback is not turned into PNGs (Debian package poppler-utils)", "pdftoppm");
        Path pdftotext = tool("the printed showback is not read back (Debian package poppler-utils)", "pdftotext");
        run(dir.resolve("ppm.err"), List.of(pdftoppm.toString(), "-png", "-r", "60", pdf.toString(), dir.resolve("page").toString()));
        List<Path> pages;
        try (Stream<Path> files = Files.list(dir)) {
            pages = files.filter(p -> p.getFileName().toString().matches("page-\\d+\\.png")).sorted().toList();
        }
        assertThat(pages.size()).as("pages: the overview, then one or more per project").isGreaterThanOrEqualTo(1 + 3);
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= pages.size(); i++) {
            String text = run(dir.resolve("text.err"), List.of(pdftotext.toString(), "-f", String.valueOf(i), "-l",
                    String.valueOf(i), pdf.toString(), "-"));
            assertThat(text).as("page " + i).contains("Showback 2026-10 · keystone.example:5000/RegionOne · period incomplete"
                    + " (3 of 3 projects)").contains("page " + i + " of " + pages.size());
            texts.add(text.strip().replaceAll("\\s+", " "));
        }
        // each project from a new page, its name first (markup and non-Latin script printed as text; pdftotext may
        // put the CJK glyphs of the fallback font later on the line, so each word of the name is looked for)
        for (String[] project : List.of(new String[] {"p-beta", "=HYPERLINK(\"http://x\")"},
                new String[] {"p-alpha", "Alpha \"R&D\", Ltd"}, new String[] {"p-gamma", ShowbackReportTest.NASTY})) {
            assertThat(texts).as(project[1]).anySatisfy(text -> {
                assertThat(text).startsWith(project[1].split(" ")[0]).contains("project " + project[0] + " · 2026-10");
                assertThat(text.substring(0, text.indexOf("Period 2026-10"))).contains(project[1].split(" "));
            });
        }
        assertThat(pixelsOf(pages.get(0), FIRST_COLOUR)).as("charts on the first printed page").isGreaterThan(100);
        for (Path page : pages) {
            assertThat(Files.size(page)).isGreaterThan(5_000);
            keep(page, "print-" + page.getFileName());
        }
        keep(pdf, "showback.pdf");
    }

    /** Keeps a file under target/showback/ for a person to look at. */
    private static void keep(Path file, String name) throws IOException {
        Files.createDirectories(KEEP);
        Files.copy(file, KEEP.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
