package org.osmetrics.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowGridTest {

    @Test
    void hourlyGridFloorsAndCeilsToWholeUtcHours() {
        WindowGrid grid = new WindowGrid(Duration.ofHours(1));
        Instant t = Instant.parse("2026-11-24T10:30:00.000001Z");

        assertThat(grid.floor(t)).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(grid.ceil(t)).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
        assertThat(grid.ceil(Instant.parse("2026-11-24T11:00:00Z"))).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
        assertThat(grid.label()).isEqualTo("1h");
    }

    @Test
    void dailyGridStartsAtMidnightUtc() {
        WindowGrid grid = WindowGrid.ofSeconds(86_400);

        assertThat(grid.floor(Instant.parse("2026-11-24T23:59:59Z"))).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(grid.windowStarts(Instant.parse("2026-11-24T00:00:00Z"), Instant.parse("2026-11-27T00:00:00Z")))
                .hasSize(3);
        assertThat(grid.label()).isEqualTo("1d");
    }

    @Test
    void aWindowThatDoesNotDivideADayIsRefused() {
        assertThatThrownBy(() -> new WindowGrid(Duration.ofMinutes(7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not divide a day");
    }
}
