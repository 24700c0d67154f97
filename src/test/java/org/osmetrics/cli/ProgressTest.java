package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void plainOutputPrintsOneLineEveryFewSecondsWithRateAndEta() {
        StringWriter out = new StringWriter();
        ManualClock clock = new ManualClock();
        try (Progress progress = Progress.start("backfill", "windows", 100, new PrintWriter(out), false, clock)) {
            clock.now = clock.now.plusSeconds(1);
            progress.advance(10);
            assertThat(out.toString()).isEmpty();
            clock.now = clock.now.plusSeconds(4);
            progress.advance(10);
            assertThat(out.toString()).isEqualTo("backfill 20/100 windows, 4.0 windows/s, ETA 0:00:20" + System.lineSeparator());
        }
        assertThat(out.toString().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("backfill 20/100 windows, 4.0 windows/s, 5.0 s");
    }

    @Test
    void terminalOutputRedrawsABarInPlace() {
        StringWriter out = new StringWriter();
        ManualClock clock = new ManualClock();
        Progress progress = Progress.start("import", "files", 4, new PrintWriter(out), true, clock);
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        progress.advance(2);
        progress.close();
        assertThat(out.toString()).startsWith("\rimport [" + "=".repeat(15) + " ".repeat(15) + "] 2/4 files, 2.0 files/s, ETA 0:00:01");
        assertThat(out.toString()).endsWith("2/4 files, 2.0 files/s, 1.0 s" + System.lineSeparator());
    }

    @Test
    void disabledProgressPrintsNothingButCounts() {
        Progress progress = Progress.disabled();
        progress.advance(5);
        progress.close();
        assertThat(progress.done()).isEqualTo(5);
    }
}
