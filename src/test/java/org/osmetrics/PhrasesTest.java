package org.osmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.osmetrics.cli.TimeArguments;

class PhrasesTest {

    @Test
    void countsAgreeWithTheirNumber() {
        assertThat(Phrases.count(1, "empty file")).isEqualTo("1 empty file");
        assertThat(Phrases.count(0, "empty file")).isEqualTo("0 empty files");
        assertThat(Phrases.count(1, "anomaly")).isEqualTo("1 anomaly");
        assertThat(Phrases.count(3, "anomaly")).isEqualTo("3 anomalies");
        assertThat(Phrases.count(1_207_390, "row")).isEqualTo("1,207,390 rows");
        assertThat(Phrases.count(2, "project range")).isEqualTo("2 project ranges");
        assertThat(Phrases.count(2, "day")).isEqualTo("2 days");
    }

    @Test
    void durationsReadAsTheCommandLineWritesThemNeverIso() {
        assertThat(Phrases.duration(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Phrases.duration(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(Phrases.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Phrases.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Phrases.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(Phrases.duration(Duration.ofSeconds(-1))).isEqualTo("-1s");
        for (Duration d : new Duration[] {Duration.ofMinutes(90), Duration.ofDays(3).plusHours(2), Duration.ofMillis(1500)}) {
            assertThat(TimeArguments.parseDuration(Phrases.duration(d))).as("%s reads back", d).isEqualTo(d);
        }
    }
}
