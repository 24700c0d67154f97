package org.osmetrics.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    @Test
    void splitCutsOnTheUtcGridOfTheSpanAndClipsBothEnds() {
        List<TimeRange> ranges = TimeRange.split(Instant.parse("2026-10-01T06:00:00Z"),
                Instant.parse("2026-10-03T12:00:00Z"), Duration.ofDays(1));
        assertThat(ranges).containsExactly(
                new TimeRange(Instant.parse("2026-10-01T06:00:00Z"), Instant.parse("2026-10-02T00:00:00Z")),
                new TimeRange(Instant.parse("2026-10-02T00:00:00Z"), Instant.parse("2026-10-03T00:00:00Z")),
                new TimeRange(Instant.parse("2026-10-03T00:00:00Z"), Instant.parse("2026-10-03T12:00:00Z")));
    }

    @Test
    void splitOfAnEmptyRangeIsEmpty() {
        Instant at = Instant.parse("2026-10-01T00:00:00Z");
        assertThat(TimeRange.split(at, at, Duration.ofHours(1))).isEmpty();
    }

    @Test
    void splitBeforeNowNeverYieldsARangeStartingAtOrAfterNow() {
        Instant now = Instant.parse("2026-10-02T00:00:00Z");
        List<TimeRange> ranges = TimeRange.splitBefore(Instant.parse("2026-10-01T00:00:00Z"),
                Instant.parse("2026-10-04T00:00:00Z"), Duration.ofDays(1), now);
        assertThat(ranges).containsExactly(
                new TimeRange(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z")));
        assertThat(TimeRange.splitBefore(now, now.plus(Duration.ofDays(1)), Duration.ofDays(1), now.plusSeconds(1)))
                .containsExactly(new TimeRange(now, now.plus(Duration.ofDays(1))));
    }

    @Test
    void novaTimeRoundTripsMicrosecondsInUtcWithoutZone() {
        Instant instant = Instant.parse("2021-10-05T23:59:59.999999Z");
        assertThat(NovaTime.format(instant)).isEqualTo("2021-10-05T23:59:59.999999");
        assertThat(NovaTime.parse("2021-10-05T23:59:59.999999")).isEqualTo(instant);
        assertThat(NovaTime.parse("2021-10-05T23:59:59")).isEqualTo(Instant.parse("2021-10-05T23:59:59Z"));
    }

    @Test
    void novaTimeReadsEveryFormTheGeneralParserReadsAndRejectsImpossibleDates() {
        assertThat(NovaTime.parse("2021-10-05 23:59:59.000001")).isEqualTo(Instant.parse("2021-10-05T23:59:59.000001Z"));
        assertThat(NovaTime.parse(" 2021-10-05T23:59:59.5 ")).isEqualTo(Instant.parse("2021-10-05T23:59:59.500Z"));
        assertThat(NovaTime.parse("2021-10-05T23:59")).isEqualTo(Instant.parse("2021-10-05T23:59:00Z"));
        assertThat(NovaTime.parse("2024-02-29T00:00:00.000000")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        for (String impossible : List.of("2021-02-29T00:00:00.000000", "2021-10-05T24:00:00.000000",
                "2021-13-05T00:00:00", "2021-10-05T23:59:60.000000", "2021-1O-05T00:00:00.000000",
                "2021-10-05T23:59:59.00000Z")) {
            assertThatThrownBy(() -> NovaTime.parse(impossible)).as(impossible)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }
}
