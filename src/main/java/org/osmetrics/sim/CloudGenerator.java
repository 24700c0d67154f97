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
    private final Instant from;
    private final Instant to;
    private final long windowMicros;

    CloudGenerator(long seed, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("window start " + from + " must be before its end " + to);
        }
        this.random = new Random(seed);
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
