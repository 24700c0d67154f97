package org.osmetrics.load;

import java.time.Instant;
import java.util.List;
import org.osmetrics.extract.ActionEvent;
import org.osmetrics.extract.InstanceAction;
import org.osmetrics.extract.ServerActions;

/**
 * October 2026 of five servers of issue #15 on a daily grid: usage facts as Nova reports them ({@link #SETUP}) and
 * their actions ({@link #month()}), for the tests of timelines (hand-computed figures in TimelineMonthTest).
 */
public final class TimelineMonth {
    private TimelineMonth() {
    }

    public static final String STOPPED = "00000000-0000-4000-8000-00000000000a";
    public static final String SHELVED = "00000000-0000-4000-8000-00000000000b";
    public static final String CONFIRMED = "00000000-0000-4000-8000-00000000000c";
    public static final String REVERTED = "00000000-0000-4000-8000-00000000000d";
    public static final String UNSHELVED = "00000000-0000-4000-8000-00000000000e";
    public static final Instant AS_OF = Instant.parse("2026-11-01T06:00:00Z");

    /**
     * Facts as regular runs recorded them (Nova counts every hour from launched_at whatever the state, with the
     * flavor of that launch), but for UNSHELVED: recorded on Oct 1-2, then a first backfill after its unshelve on
     * Oct 20 (launched_at reset) got only Oct 20-31: Oct 3-19 are in no fact.
     */
    public static final String SETUP = """
            SELECT metrics.create_usage_fact_partition('2026-10-01');
            INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('keystone.test:5000/RegionOne', 86400);
            INSERT INTO metrics.run (command, arguments, cloud_id, scope, started_at, finished_at, status)
            VALUES ('test', 'timeline month', 1, '*', '2026-11-01 06:00Z', '2026-11-01 06:01Z', 'succeeded');
            INSERT INTO metrics.project (cloud_id, project_id, name) VALUES (1, 'p-1', 'one');
            INSERT INTO metrics.flavor (cloud_id, name, vcpus, memory_mb, local_gb) VALUES
                (1, 'm1.small', 1, 2048, 20), (1, 'm1.large', 4, 8192, 80);
            INSERT INTO metrics.server (cloud_id, instance_id, project_id, name, flavor_id, started_at, ended_at, state,
                                        uptime, first_seen, last_seen)
            SELECT 1, s.id::uuid, 'p-1', s.name, fl.flavor_id, s.launched::timestamptz, NULL, s.state, 0,
                   '2026-10-01 00:00Z', '2026-11-01 00:00Z'
            FROM (VALUES ('%1$s', 'stopped', 'm1.small', '2026-09-09 23:58Z', 'stopped'),
                         ('%2$s', 'shelved', 'm1.small', '2026-09-01 00:00Z', 'shelved_offloaded'),
                         ('%3$s', 'confirmed', 'm1.large', '2026-10-10 00:00Z', 'active'),
                         ('%4$s', 'reverted', 'm1.small', '2026-10-11 12:00Z', 'active'),
                         ('%5$s', 'unshelved', 'm1.small', '2026-10-20 00:00Z', 'active')) AS s(id, name, flavor, launched, state)
            JOIN metrics.flavor fl ON fl.name = s.flavor;
            INSERT INTO metrics.server_flavor_history (cloud_id, instance_id, started_at, flavor_id, first_seen, run_id)
            SELECT 1, h.id::uuid, h.since::timestamptz, fl.flavor_id, '2026-10-01 00:00Z', 1
            FROM (VALUES ('%1$s', '2026-09-09 23:58Z', 'm1.small'),
                         ('%2$s', '2026-09-01 00:00Z', 'm1.small'),
                         ('%3$s', '2026-09-01 00:00Z', 'm1.small'), ('%3$s', '2026-10-10 00:00Z', 'm1.large'),
                         ('%4$s', '2026-09-01 00:00Z', 'm1.small'), ('%4$s', '2026-10-10 00:00Z', 'm1.large'),
                         ('%4$s', '2026-10-11 12:00Z', 'm1.small'),
                         ('%5$s', '2026-09-01 00:00Z', 'm1.small'), ('%5$s', '2026-10-20 00:00Z', 'm1.small'))
                 AS h(id, since, flavor)
            JOIN metrics.flavor fl ON fl.name = h.flavor;
            INSERT INTO metrics.usage_fact (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus,
                                            memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours, state,
                                            provisional, run_id)
            SELECT 1, d, d + interval '1 day', f.id::uuid, 'p-1', fl.flavor_id, fl.vcpus, fl.memory_mb, fl.local_gb,
                   f.hours, f.hours * fl.vcpus, f.hours * fl.memory_mb, f.hours * fl.local_gb, 'active', false, 1
            FROM (VALUES ('%1$s', 'm1.small', '2026-10-01', '2026-10-31', 24.0::float8),
                         ('%2$s', 'm1.small', '2026-10-01', '2026-10-31', 24.0),
                         ('%3$s', 'm1.small', '2026-10-01', '2026-10-09', 24.0),
                         ('%3$s', 'm1.large', '2026-10-10', '2026-10-31', 24.0),
                         ('%4$s', 'm1.small', '2026-10-01', '2026-10-09', 24.0),
                         ('%4$s', 'm1.large', '2026-10-10', '2026-10-10', 24.0),
                         ('%4$s', 'm1.small', '2026-10-11', '2026-10-11', 12.0),
                         ('%4$s', 'm1.small', '2026-10-12', '2026-10-31', 24.0),
                         ('%5$s', 'm1.small', '2026-10-01', '2026-10-02', 24.0),
                         ('%5$s', 'm1.small', '2026-10-20', '2026-10-31', 24.0)) AS f(id, flavor, first_day, last_day, hours)
            JOIN metrics.flavor fl ON fl.name = f.flavor
            CROSS JOIN LATERAL generate_series(f.first_day::timestamp, f.last_day::timestamp, interval '1 day') AS g
            CROSS JOIN LATERAL (SELECT g AT TIME ZONE 'UTC' AS d) AS dd;
            INSERT INTO metrics.extracted_range (cloud_id, scope, range_start, range_end, stop, provisional, microversion,
                                                 server_count, extracted_at, run_id)
            VALUES (1, '*', '2026-10-01 00:00Z', '2026-11-01 00:00Z', '2026-11-01 00:00Z', false, '2.93', 5,
                    '2026-11-01 06:00Z', 1);
            """.formatted(STOPPED, SHELVED, CONFIRMED, REVERTED, UNSHELVED);

    public static InstanceAction action(String id, String name, String start, String finish, String result) {
        return withEvent(id, name, "compute_" + name, start, finish, result);
    }

    public static InstanceAction withEvent(String id, String name, String event, String start, String finish, String result) {
        Instant asked = Instant.parse(start);
        return new InstanceAction(id, "req-" + name + "-" + start, name, "p-1", "u-1", asked, null,
                "Error".equals(result) ? "Error" : null,
                List.of(new ActionEvent(event, asked, Instant.parse(finish), result)), true);
    }

    public static List<ServerActions> month() {
        return List.of(
                new ServerActions(STOPPED, List.of(
                        action(STOPPED, "create", "2026-09-09T23:57:00Z", "2026-09-09T23:58:00Z", "Success"),
                        action(STOPPED, "stop", "2026-09-20T11:59:00Z", "2026-09-20T12:00:00Z", "Success"),
                        action(STOPPED, "start", "2026-10-03T07:59:00Z", "2026-10-03T08:00:00Z", "Success"),
                        action(STOPPED, "start", "2026-10-08T08:59:00Z", "2026-10-08T09:00:00Z", "Error"),
                        action(STOPPED, "stop", "2026-10-09T23:59:00Z", "2026-10-10T00:00:00Z", "Success")), false),
                new ServerActions(SHELVED, List.of(
                        action(SHELVED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(SHELVED, "shelve", "2026-10-09T23:58:00Z", "2026-10-10T00:00:00Z", "Success"),
                        action(SHELVED, "shelveOffload", "2026-10-12T11:59:00Z", "2026-10-12T12:00:00Z", "Success")), false),
                new ServerActions(CONFIRMED, List.of(
                        action(CONFIRMED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(CONFIRMED, "resize", "2026-10-09T23:55:00Z", "2026-10-10T00:00:00Z", "Success"),
                        action(CONFIRMED, "confirmResize", "2026-10-10T23:59:00Z", "2026-10-11T00:00:00Z", "Success")), false),
                new ServerActions(REVERTED, List.of(
                        action(REVERTED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(REVERTED, "resize", "2026-10-09T23:55:00Z", "2026-10-10T00:00:00Z", "Success"),
                        action(REVERTED, "revertResize", "2026-10-11T11:58:00Z", "2026-10-11T12:00:00Z", "Success")), false),
                new ServerActions(UNSHELVED, List.of(
                        action(UNSHELVED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(UNSHELVED, "shelve", "2026-10-04T23:58:00Z", "2026-10-05T00:00:00Z", "Success"),
                        withEvent(UNSHELVED, "unshelve", "compute_unshelve_instance", "2026-10-19T23:57:00Z",
                                "2026-10-20T00:00:00Z", "Success")), false));
    }

}
