package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LatencyTest {
    private static final Instant START = Instant.parse("2024-10-02T00:00:00Z");
    private static final Instant END = Instant.parse("2024-10-03T00:00:00Z");
    private static final String WINDOW = "start=2024-10-02T00:00:00&end=2024-10-03T00:00:00";
    private static final SimFlavor SMALL = new SimFlavor("m1.small", 1, 2048, 20, 0);
    /** Small figures, so the test waits for milliseconds only; the charged cost is computed, not timed. */
    private static final Latency SMALL_MODEL = new Latency(Duration.ofMillis(3), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofNanos(500_000), Duration.ofMillis(4));

    private SimServer sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private SimClient start(int servers) {
        SimCloud.Builder builder = SimCloud.builder();
        String project = "1" + "0".repeat(31);
        builder.project(project, "p1");
        for (int i = 0; i < servers; i++) {
            builder.instance(new SimInstance(String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", i),
                    "vm-" + i, project, SMALL, START.minus(Duration.ofDays(1)), null, "active"));
        }
        sim = SimServer.start(builder.build(), new SimClock(END.plus(Duration.ofDays(1))));
        return new SimClient(sim);
    }

    @Test
    void aUsageCallCostsItsFixedPartPlusItsServersNotItsWindowLength() {
        assertThat(Latency.nova26().cost("/compute/v2.1/os-simple-tenant-usage", "detailed=1&limit=1000", 1000))
                .as("a 1,000-server page at 2.40").isEqualTo(Duration.ofMillis(500));
        assertThat(Latency.nova26().cost("/compute/v2.1/os-simple-tenant-usage", "detailed=1", 1000))
                .as("1,000 servers unpaged at 2.1").isEqualTo(Duration.ofMillis(1000));
        assertThat(Latency.nova26().cost("/compute/v2.1/servers/abc/os-instance-actions", null, 0))
                .isEqualTo(Duration.ofMillis(15));
        assertThat(Latency.nova26().cost("/compute/v2.1/servers", "changes-since=2024-10-02&limit=1000", 1000))
                .isEqualTo(Duration.ofMillis(450));
    }

    @Test
    void theSimulatorChargesEachCallForTheServersItsAnswerHoldsAndAnswersTheSameBytes() {
        SimClient client = start(250);
        String token = client.adminToken();
        String url = sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&limit=100&" + WINDOW;
        String fast = client.get(url, token, "2.40").body();
        assertThat(sim.latencyCharged()).as("off by default").isZero();

        sim.setLatency(SMALL_MODEL);
        String slow = client.get(url, token, "2.40").body();
        assertThat(slow).isEqualTo(fast);
        assertThat(sim.latencyCharged()).as("3 ms + 100 servers x 1 ms").isEqualTo(Duration.ofMillis(103));

        client.get(sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&" + WINDOW, token, "2.1");
        assertThat(sim.latencyCharged()).as("then 3 ms + 250 servers x 2 ms, unpaged")
                .isEqualTo(Duration.ofMillis(103 + 503));

        sim.setLatency(null);
        client.get(url, token, "2.40");
        assertThat(sim.latencyCharged()).as("off again").isEqualTo(Duration.ofMillis(606));
    }
}
