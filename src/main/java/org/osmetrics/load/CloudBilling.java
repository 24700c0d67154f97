package org.osmetrics.load;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import org.osmetrics.OsMetricsException;
import org.osmetrics.transform.WindowGrid;

/**
 * A cloud's billing settings and what it holds, as {@code clouds list} shows them: its window grid, billing
 * start (null: not set), billing time zone, and the first and last loaded windows (null: nothing loaded).
 */
public record CloudBilling(int cloudId, String key, WindowGrid grid, Instant billingStart, ZoneId timeZone,
                           Instant firstWindow, Instant loadedUntil) {

    /**
     * Refuses a zone whose days would not start on a window boundary: every UTC offset the zone has from
     * {@code from} on (null: from 1970) must be a multiple of the grid's window. A 1d grid allows UTC only.
     *
     * @throws OsMetricsException exit 2, saying which offset does not fit and which grid would
     */
    public static void requireZoneFitsGrid(ZoneId zone, WindowGrid grid, Instant from) {
        Instant since = from == null ? Instant.EPOCH : from;
        ZoneRules rules = zone.getRules();
        List<Integer> offsets = new ArrayList<>();
        offsets.add(rules.getOffset(since).getTotalSeconds());
        for (ZoneOffsetTransition transition : rules.getTransitions()) {
            if (transition.getInstant().isAfter(since)) {
                offsets.add(transition.getOffsetAfter().getTotalSeconds());
            }
        }
        for (ZoneOffsetTransitionRule rule : rules.getTransitionRules()) {
            offsets.add(rule.getOffsetAfter().getTotalSeconds());
            offsets.add(rule.getStandardOffset().getTotalSeconds());
        }
        for (int offset : offsets) {
            if (offset % grid.seconds() != 0) {
                String fits = offset % 3600 == 0 ? "1h" : offset % 1800 == 0 ? "30m" : offset % 900 == 0 ? "15m" : "a finer";
                throw OsMetricsException.usage("time zone " + zone + " cannot be used with the cloud's "
                        + grid.label() + " window grid: its days start at UTC offset " + offsetLabel(offset)
                        + (from == null ? "" : " (since " + from + ")")
                        + ", which falls inside a " + grid.label() + " window (windows are cut on the UTC grid)"
                        + (grid.seconds() == 86_400 ? "; a 1d grid allows UTC only" : "")
                        + "; a cloud loaded on " + fits + " windows can bill in that zone");
            }
        }
    }

    private static String offsetLabel(int seconds) {
        int abs = Math.abs(seconds);
        return (seconds < 0 ? "-" : "+") + String.format("%02d:%02d", abs / 3600, abs % 3600 / 60);
    }
}
