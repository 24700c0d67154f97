package org.osmetrics.sim;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of a simulated instance action, as Nova's compute service records it ({@code compute_<method>}).
 *
 * @param finish null while the event runs (the action is in progress)
 * @param result {@code Success}, {@code Error}, or null while in progress
 * @param host   the compute host that ran it (shown from microversion 2.62, to admins)
 */
public record SimEvent(String name, Instant start, Instant finish, String result, String host) {

    public SimEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(host, "host");
        start = NovaTime.truncate(start);
        finish = finish == null ? null : NovaTime.truncate(finish);
    }

    /** A finished, successful event. */
    public static SimEvent success(String name, Instant start, Instant finish, String host) {
        return new SimEvent(name, start, finish, "Success", host);
    }

    /** The finish time as seen at {@code now}: null while it has not finished by then. */
    Instant finishAsOf(Instant now) {
        return finish == null || finish.isAfter(now) ? null : finish;
    }
}
