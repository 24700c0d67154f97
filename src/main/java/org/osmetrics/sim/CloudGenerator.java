package org.osmetrics.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Builds a deterministic, realistic {@link SimCloud} around a window {@code [from, to)}. Per instance
 * it draws one lifetime shape: running since before the window, deleted inside it, deleted before it
 * (not counted), launched inside it (running or deleted again), launched after it, living across it,
 * resized inside it ({@code launched_at} reset to the resize and the new flavor for the whole window,
 * as Nova does), or never launched. About one in five launch times carries microseconds; about one in
 * twelve names is odd (quotes, commas, newlines, non-ASCII, spreadsheet formula prefixes, empty).
 * Projects get instance counts of uneven size.
 */
final class CloudGenerator {
    static final List<SimFlavor> FLAVORS = List.of(
            new SimFlavor("m1.tiny", 1, 512, 1, 0),
            new SimFlavor("m1.small", 1, 2048, 20, 0),
            new SimFlavor("m1.medium", 2, 4096, 40, 0),
            new SimFlavor("m1.large", 4, 8192, 80, 0),
            new SimFlavor("m1.xlarge", 8, 16384, 160, 0),
            new SimFlavor("e1.ephemeral", 2, 4096, 20, 30),
            new SimFlavor("v1.volume-boot", 4, 8192, 0, 0),
            new SimFlavor("g1.gpu-64", 16, 65536, 50, 100));
    private static final List<String> ODD_NAMES = List.of(
            "", "quote \"inside\"", "comma, separated, name", "line one\nline two", "tab\tname",
            "=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@import", "naïve-café-ñandú", "名前-サーバー",
            "emoji-\uD83D\uDE80", "back\\slash", "semi;colon", "  padded  ");
    private static final List<String> LIVE_STATES = List.of(
            "active", "active", "active", "active", "active", "active", "active", "active", "active",
            "active", "active", "active", "shelved_offloaded", "shelved_offloaded", "stopped", "stopped",
            "soft-delete", "rescued", "error", "suspended", "paused");
    private static final Duration YEAR = Duration.ofDays(365);

    private final Random random;
    /** Draws for the action histories only, so the usage of a seed stays what it was before histories. */
    private final Random history;
    private final java.util.Map<String, String> userByProject = new java.util.HashMap<>();
    private final Instant from;
    private final Instant to;
    private final long windowMicros;

    CloudGenerator(long seed, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("window start " + from + " must be before its end " + to);
        }
        this.random = new Random(seed);
        this.history = new Random(seed * 0x9E3779B97F4A7C15L + 0x15);
        this.from = from;
        this.to = to;
        this.windowMicros = Duration.between(from, to).toNanos() / 1000;
    }

    SimCloud generate(int projectCount, int instanceCount) {
        if (projectCount < 1 || instanceCount < 0) {
            throw new IllegalArgumentException("need at least one project and no negative instance count, got "
                    + projectCount + " projects and " + instanceCount + " instances");
        }
        SimCloud.Builder builder = SimCloud.builder();
        String[] projectIds = new String[projectCount];
        double[] weights = new double[projectCount];
        double totalWeight = 0;
        for (int p = 0; p < projectCount; p++) {
            projectIds[p] = hex32();
            String name = p % 10 == 7 ? ODD_NAMES.get(1 + random.nextInt(ODD_NAMES.size() - 1)) + " " + p
                    : String.format(Locale.ROOT, "project-%03d", p);
            builder.project(projectIds[p], name);
            weights[p] = 0.2 + random.nextDouble() * random.nextDouble() * 4;
            totalWeight += weights[p];
        }
        for (int i = 0; i < instanceCount; i++) {
            String projectId = projectIds[pick(weights, totalWeight)];
            instance(builder, i, projectId);
        }
        return builder.build();
    }

    private void instance(SimCloud.Builder builder, int index, String projectId) {
        String uuid = uuid();
        String name = random.nextInt(12) == 0 ? ODD_NAMES.get(random.nextInt(ODD_NAMES.size()))
                : String.format(Locale.ROOT, "vm-%05d", index);
        SimFlavor flavor = FLAVORS.get(random.nextInt(FLAVORS.size()));
        String liveState = LIVE_STATES.get(random.nextInt(LIVE_STATES.size()));
        Instant launched;
        Instant terminated = null;
        Instant firstLaunch = null;
        SimFlavor flavorBefore = null;
        String state = liveState;
        int shape = random.nextInt(100);
        if (shape < 30) {                       // running since before the window
            launched = beforeWindow();
        } else if (shape < 42) {                // deleted inside the window
            launched = beforeWindow();
            terminated = insideWindow(from);
        } else if (shape < 50) {                // deleted before the window: never counted
            launched = from.minus(YEAR).plus(micros((long) (random.nextDouble() * 300L * 86_400_000_000L)));
            terminated = launched.plus(micros(1 + (long) (random.nextDouble() * Duration.between(launched, from)
                    .toNanos() / 1000)));
            if (!terminated.isBefore(from)) {
                terminated = from.minusSeconds(1);
            }
        } else if (shape < 62) {                // launched inside, running
            launched = insideWindow(from);
        } else if (shape < 70) {                // launched inside, deleted inside
            launched = insideWindow(from);
            terminated = insideWindow(launched);
        } else if (shape < 76) {                // launched after the window
            launched = to.plus(micros(1 + (long) (random.nextDouble() * windowMicros)));
        } else if (shape < 84) {                // across the window, deleted after it
            launched = beforeWindow();
            terminated = to.plus(micros(1 + (long) (random.nextDouble() * windowMicros)));
        } else if (shape < 94) {                // resized inside the window: launched_at reset, new flavor
            firstLaunch = beforeWindow();
            flavorBefore = flavor;
            flavor = FLAVORS.get(random.nextInt(FLAVORS.size()));
            Instant resizedAt = insideWindow(from);
            launched = resizedAt;
            if (random.nextInt(4) == 0) {
                terminated = insideWindow(resizedAt);
            }
        } else if (shape < 97) {                // never launched (a failed build)
            launched = null;
            state = random.nextBoolean() ? "error" : "building";
        } else {                                // long gone, deleted at the very window start
            launched = beforeWindow();
            terminated = from;
        }
        if (launched != null && random.nextInt(5) != 0) {
            launched = launched.truncatedTo(ChronoUnit.SECONDS);
        }
        if (terminated != null) {
            state = "deleted";
            if (random.nextInt(5) != 0) {
                terminated = terminated.truncatedTo(ChronoUnit.SECONDS);
            }
            if (launched != null && terminated.isBefore(launched)) {
                terminated = launched;
            }
        }
        if (flavorBefore != null) {
            builder.resize(new SimResize(uuid, launched, firstLaunch, flavorBefore, flavor));
        }
        builder.instance(new SimInstance(uuid, name, projectId, flavor, launched, terminated, state));
        new History(builder, uuid, projectId).write(launched, terminated, state, firstLaunch, shape);
    }

    /**
     * One server's instance actions, consistent with its usage: a create that ends at its first launch, the
     * action that last reset {@code launched_at} ending exactly at Nova's {@code launched_at} (a resize of the
     * resized shape, else now and then an unshelve, a reverted resize or a rescue), actions that lead to its
     * current {@code vm_state} (stop, pause, suspend, shelve with its offload, soft delete, a failed reboot for
     * {@code error}), stop/start pairs with now and then a failed start, in-progress and non-state actions, and
     * a delete ending at {@code terminated_at}. Drawn from its own random sequence.
     */
    private final class History {
        private final SimCloud.Builder builder;
        private final String uuid;
        private final String projectId;
        private final String userId;
        private final String host;

        History(SimCloud.Builder builder, String uuid, String projectId) {
            this.builder = builder;
            this.uuid = uuid;
            this.projectId = projectId;
            this.userId = userByProject.computeIfAbsent(projectId, p -> String.format(Locale.ROOT, "%016x%016x",
                    history.nextLong(), history.nextLong()));
            this.host = String.format(Locale.ROOT, "compute-%02d", 1 + history.nextInt(40));
        }

        void write(Instant launched, Instant terminated, String state, Instant firstLaunch, int shape) {
            if (launched == null) {             // a failed or still running build
                Instant asked = from.minus(Duration.ofMinutes(1 + history.nextInt(30 * 24 * 60)))
                        .truncatedTo(ChronoUnit.SECONDS);
                add("create", asked, "error".equals(state)
                        ? List.of(new SimEvent("compute__do_build_and_run_instance", asked.plusSeconds(2),
                                asked.plusSeconds(9), "Error", host))
                        : List.of(new SimEvent("compute__do_build_and_run_instance", asked.plusSeconds(2), null,
                                null, host)));
                return;
            }
            Instant end = terminated != null ? terminated
                    : (launched.isBefore(to) ? to : launched.plus(Duration.ofDays(7)));
            if (firstLaunch != null) {          // created, then resized: the resize's finish is launched_at
                created(firstLaunch);
                finishingAt("resize", launched, "compute_prep_resize", "compute_resize_instance",
                        "compute_finish_resize");
                Instant confirm = between(launched, end);
                if (confirm != null) {
                    timed("confirmResize", confirm, "compute_confirm_resize");
                    launched = confirm;
                }
            } else if ("rescued".equals(state)) {  // rescue resets launched_at
                created(launched.minus(days(1 + history.nextInt(60))));
                finishingAt("rescue", launched, "compute_rescue_instance");
                return; // still rescued
            } else if (shape >= 50 && shape < 62 && "active".equals(state) && history.nextInt(3) == 0) {
                Instant created = launched.minus(days(2 + history.nextInt(40)));
                created(created);
                Instant middle = between(created, launched);
                if (history.nextBoolean()) {    // shelved (offloaded at once), then unshelved
                    timed("shelve", middle, "compute_shelve_instance", "compute_shelve_offload_instance");
                    finishingAt("unshelve", launched, "compute_unshelve_instance");
                } else {                        // resized, then reverted: the revert's finish is launched_at
                    timed("resize", middle, "compute_prep_resize", "compute_resize_instance",
                            "compute_finish_resize");
                    finishingAt("revertResize", launched, "compute_revert_resize", "compute_finish_revert_resize");
                }
            } else {
                created(launched);
            }
            Instant cursor = launched;
            if (history.nextInt(6) == 0) {      // a change that is no change of state
                Instant at = between(cursor, end);
                if (at != null) {
                    timed(history.nextBoolean() ? "attach_volume" : "lock", at, "compute_attach_volume");
                    cursor = at;
                }
            }
            if ("active".equals(state) && history.nextInt(5) == 0) {
                Instant stop = between(cursor, end);
                Instant start = stop == null ? null : between(stop, end);
                if (start != null) {
                    timed("stop", stop, "compute_stop_instance");
                    if (history.nextInt(4) == 0) {
                        Instant failed = between(stop, start);
                        if (failed != null) {
                            add("start", failed, List.of(new SimEvent("compute_start_instance",
                                    failed.plusSeconds(1), failed.plusSeconds(2), "Error", host)));
                        }
                    }
                    timed("start", start, "compute_start_instance");
                    cursor = start;
                }
            }
            String last = switch (state) {
                case "stopped" -> "stop";
                case "paused" -> "pause";
                case "suspended" -> "suspend";
                case "shelved_offloaded" -> "shelve";
                case "soft-delete" -> "delete";
                case "error" -> "reboot";
                default -> null;
            };
            if (last != null) {
                Instant at = between(cursor, end);
                if (at != null) {
                    switch (last) {
                        case "stop" -> timed("stop", at, "compute_stop_instance");
                        case "pause" -> timed("pause", at, "compute_pause_instance");
                        case "suspend" -> timed("suspend", at, "compute_suspend_instance");
                        case "shelve" -> timed("shelve", at, "compute_shelve_instance",
                                "compute_shelve_offload_instance");
                        case "delete" -> timed("delete", at, "compute_soft_delete_instance");
                        default -> add("reboot", at, List.of(new SimEvent("compute_reboot_instance",
                                at.plusSeconds(1), at.plusSeconds(30), "Error", host)));
                    }
                    cursor = at;
                }
            } else if ("active".equals(state) && terminated == null && history.nextInt(50) == 0) {
                Instant at = between(cursor, end);
                if (at != null) {               // a reboot that never finishes
                    add("reboot", at, List.of(new SimEvent("compute_reboot_instance", at.plusSeconds(1), null,
                            null, host)));
                    cursor = at;
                }
            }
            if (terminated != null && terminated.isAfter(cursor.plusSeconds(10))) {
                finishingAt("delete", terminated, "compute_terminate_instance");
            }
        }

        private void created(Instant launchedAt) {
            finishingAt("create", launchedAt, "compute__do_build_and_run_instance");
        }

        /** An action whose last event finishes exactly at {@code finish} (a reset of launched_at). */
        private void finishingAt(String action, Instant finish, String... events) {
            Instant asked = finish.minusSeconds(10L * events.length + 5).truncatedTo(ChronoUnit.SECONDS);
            List<SimEvent> recorded = new java.util.ArrayList<>();
            for (int i = 0; i < events.length; i++) {
                Instant start = asked.plusSeconds(1 + 10L * i);
                Instant end = i == events.length - 1 ? finish : start.plusSeconds(8);
                recorded.add(SimEvent.success(events[i], start, end, host));
            }
            add(action, asked, recorded);
        }

        /** An action asked at {@code asked} whose events take a few seconds each. */
        private void timed(String action, Instant asked, String... events) {
            List<SimEvent> recorded = new java.util.ArrayList<>();
            for (int i = 0; i < events.length; i++) {
                Instant start = asked.plusSeconds(1 + 10L * i);
                recorded.add(SimEvent.success(events[i], start, start.plusSeconds(2 + history.nextInt(7)), host));
            }
            add(action, asked, recorded);
        }

        private void add(String action, Instant asked, List<SimEvent> events) {
            builder.action(new SimAction(uuid, "req-" + new UUID(history.nextLong(), history.nextLong()), action,
                    userId, projectId, asked, events));
        }

        /** A whole second well inside {@code (after, before)}, or null when they are too close. */
        private Instant between(Instant after, Instant before) {
            long seconds = Duration.between(after, before).getSeconds() - 240;
            if (seconds < 60) {
                return null;
            }
            return after.plusSeconds(60 + (long) (history.nextDouble() * (seconds - 60)))
                    .truncatedTo(ChronoUnit.SECONDS);
        }

        private static Duration days(int days) {
            return Duration.ofDays(days);
        }
    }

    private Instant beforeWindow() {
        return from.minus(micros(1 + (long) (random.nextDouble() * 400L * 86_400_000_000L)));
    }

    /** A moment in {@code (after, to)}, where {@code after} is inside the window. */
    private Instant insideWindow(Instant after) {
        long span = Duration.between(after, to).toNanos() / 1000;
        return after.plus(micros(1 + (long) (random.nextDouble() * Math.max(1, span - 1))));
    }

    private static Duration micros(long micros) {
        return Duration.ofNanos(micros * 1000);
    }

    private int pick(double[] weights, double total) {
        double target = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            target -= weights[i];
            if (target < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private String hex32() {
        return String.format(Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong());
    }

    private String uuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
