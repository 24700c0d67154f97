package org.osmetrics.extract;

import java.time.Instant;
import java.util.List;

/**
 * Where instance actions come from: Nova's {@code /servers?changes-since} and
 * {@code /servers/{id}/os-instance-actions[/{request_id}]} over an authenticated connection. A 403 (the credentials
 * may not read them) throws {@link NoTimelineRight}; other failures throw {@link org.osmetrics.OsMetricsException}
 * with exit code 3 or 4.
 */
public interface ActionSource {

    /** The actions whose events are read: those that can change a server's state or flavor. */
    java.util.Set<String> STATE_ACTIONS = java.util.Set.of("create", "delete", "restore", "stop", "start", "reboot",
            "rebuild", "evacuate", "resize", "confirmResize", "revertResize", "migrate", "pause", "unpause",
            "suspend", "resume", "rescue", "unrescue", "shelve", "shelveOffload", "unshelve", "resetState");

    /** The servers of the scope whose {@code updated_at} is at or after {@code since}, deleted ones included. */
    List<ChangedServer> changedServers(Scope scope, Instant since);

    /**
     * One server's actions, oldest first: all of them ({@code since} null), or those updated at or after
     * {@code since} (from microversion 2.58; below it the whole list, which is unpaged). Events are read for the
     * actions of {@link #STATE_ACTIONS} except those {@code known} says are already read and finished.
     * A server Nova does not know (404) comes back {@link ServerActions#unknownToNova()}.
     */
    ServerActions serverActions(String instanceId, Instant since, KnownActions known);

    /** The microversion of the action calls, e.g. "2.58". */
    String actionMicroversion();

    /** Whether action lists are paged and filtered by {@code changes-since} (2.58+). */
    boolean pagedActions();

    /** What is already stored of a server's actions: those whose events need not be read again. */
    @FunctionalInterface
    interface KnownActions {
        /** True when the action's events were read and all had finished. */
        boolean finished(String requestId);

        KnownActions NONE = requestId -> false;
    }
}
