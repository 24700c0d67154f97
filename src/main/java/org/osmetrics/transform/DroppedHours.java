package org.osmetrics.transform;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The hours Nova no longer reports (issue #15 item 4): a resize, unshelve, rebuild or rescue moves launched_at, and
 * every later usage answer counts from there. Where a timeline shows the server before its launched_at, its time in
 * the states Nova counts (all but building and deleted) is cut on the window grid; the caller keeps only the windows
 * that hold no fact of the server and that were extracted. Pure.
 */
public final class DroppedHours {
    /** Nova counts a server from launched_at to terminated_at whatever it does: all but these. */
    static final Set<String> NOT_COUNTED = Set.of("building", "deleted");
    private static final BigDecimal MICROS_PER_HOUR = BigDecimal.valueOf(3_600_000_000L);

    private DroppedHours() {
    }

    /**
     * Hours of one window in one state and flavor before launched_at.
     *
     * @param flavorName null when the timeline does not know it (then the hours are reported, not recovered)
     * @param hours      exact to 20 significant digits
     */
    public record Piece(Instant windowStart, Instant windowEnd, String vmState, String flavorName, BigDecimal hours) {
    }

    /** The pieces of the timeline before launchedAt, per window of the grid, state and flavor, in time order. */
    public static List<Piece> before(ServerTimeline timeline, Instant launchedAt, WindowGrid grid) {
        if (launchedAt == null) {
            return List.of();
        }
        Map<String, Piece> pieces = new TreeMap<>();
        for (StateInterval interval : timeline.intervals()) {
            if (NOT_COUNTED.contains(interval.vmState()) || !interval.from().isBefore(launchedAt)) {
                continue;
            }
            Instant end = interval.to() == null || interval.to().isAfter(launchedAt) ? launchedAt : interval.to();
            for (Instant window = grid.floor(interval.from()); window.isBefore(end); window = window.plus(grid.size())) {
                Instant windowEnd = window.plus(grid.size());
                Instant a = interval.from().isAfter(window) ? interval.from() : window;
                Instant b = end.isBefore(windowEnd) ? end : windowEnd;
                if (!b.isAfter(a)) {
                    continue;
                }
                BigDecimal hours = hours(Duration.between(a, b));
                String key = window + " " + interval.vmState() + " " + interval.flavorName();
                pieces.merge(key, new Piece(window, windowEnd, interval.vmState(), interval.flavorName(), hours),
                        (x, y) -> new Piece(x.windowStart(), x.windowEnd(), x.vmState(), x.flavorName(), x.hours().add(y.hours())));
            }
        }
        return new ArrayList<>(pieces.values());
    }

    static BigDecimal hours(Duration duration) {
        long micros = duration.getSeconds() * 1_000_000L + duration.getNano() / 1_000;
        return BigDecimal.valueOf(micros).divide(MICROS_PER_HOUR, MathContext.DECIMAL128).stripTrailingZeros();
    }
}
