package org.osmetrics.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time before Nova's launched_at, cut on the window grid per state and flavor, in hours. */
class DroppedHoursTest {

    private static StateInterval interval(String from, String to, String state, String flavor) {
        return new StateInterval(Instant.parse(from), to == null ? null : Instant.parse(to), state, flavor, null);
    }

    @Test
    void theHoursBeforeLaunchedAtAreCutOnTheGridLeavingOutBuildingAndWhatFollows() {
        ServerTimeline timeline = new ServerTimeline("s", List.of(
                interval("2026-10-01T09:50:00Z", "2026-10-01T10:00:00Z", "building", "m1.small"),
                interval("2026-10-01T10:00:00Z", "2026-10-02T06:30:00Z", "active", "m1.small"),
                interval("2026-10-02T06:30:00Z", "2026-10-03T12:00:00Z", "shelved_offloaded", null),
                interval("2026-10-03T12:00:00Z", null, "active", "m1.small")), List.of(), false);

        List<DroppedHours.Piece> pieces = DroppedHours.before(timeline, Instant.parse("2026-10-03T12:00:00Z"),
                WindowGrid.ofSeconds(86400));

        // Oct 1: 14 h active; Oct 2: 6.5 h active, 17.5 h offloaded (flavor unknown); Oct 3: 12 h offloaded
        assertThat(pieces).extracting(p -> p.windowStart().toString().substring(0, 10) + " " + p.vmState() + " "
                        + p.flavorName() + " " + p.hours().toPlainString())
                .containsExactly("2026-10-01 active m1.small 14", "2026-10-02 active m1.small 6.5",
                        "2026-10-02 shelved_offloaded null 17.5", "2026-10-03 shelved_offloaded null 12");
    }

    @Test
    void withoutLaunchedAtOrBeforeTheTimelineNothingIsDropped() {
        ServerTimeline timeline = new ServerTimeline("s", List.of(
                interval("2026-10-01T10:00:00Z", null, "active", "m1.small")), List.of(), false);

        assertThat(DroppedHours.before(timeline, null, WindowGrid.ofSeconds(3600))).isEmpty();
        assertThat(DroppedHours.before(timeline, Instant.parse("2026-10-01T09:00:00Z"), WindowGrid.ofSeconds(3600))).isEmpty();
        assertThat(DroppedHours.before(timeline, Instant.parse("2026-10-01T10:20:00Z"), WindowGrid.ofSeconds(3600)))
                .singleElement().satisfies(p -> assertThat(p.hours()).isEqualByComparingTo("0.3333333333333333333333333333333333"));
    }
}
