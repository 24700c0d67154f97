package org.osmetrics.config;

import org.osmetrics.Phrases;
import java.time.Duration;
import java.util.Objects;
import org.osmetrics.OsMetricsException;

/**
 * How os-metrics talks to the cloud: page size, the span of one usage call, and the time bounds.
 *
 * @param pageSize       Nova's {@code limit} at microversion 2.40+ (servers per page)
 * @param callSpan       how much of a requested range one usage call covers
 * @param retryFor       the total time spent retrying one request before giving up (exit 4)
 * @param connectTimeout TCP/TLS connect timeout of one attempt
 * @param readTimeout    the time one attempt may take to answer
 */
public record ClientTuning(int pageSize, Duration callSpan, Duration retryFor, Duration connectTimeout,
                           Duration readTimeout) {

    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final Duration DEFAULT_CALL_SPAN = Duration.ofDays(1);
    public static final Duration DEFAULT_RETRY_FOR = Duration.ofMinutes(2);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);

    public ClientTuning {
        Objects.requireNonNull(callSpan, "callSpan");
        Objects.requireNonNull(retryFor, "retryFor");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (pageSize < 1) {
            throw OsMetricsException.usage("--page-size must be at least 1, got " + pageSize);
        }
        requirePositive(callSpan, "--call-span");
        requirePositive(connectTimeout, "--connect-timeout");
        requirePositive(readTimeout, "--read-timeout");
        if (retryFor.isNegative()) {
            throw OsMetricsException.usage("--retry-for must not be negative, got " + Phrases.duration(retryFor));
        }
    }

    public static ClientTuning defaults() {
        return new ClientTuning(DEFAULT_PAGE_SIZE, DEFAULT_CALL_SPAN, DEFAULT_RETRY_FOR, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT);
    }

    private static void requirePositive(Duration value, String option) {
        if (value.isZero() || value.isNegative()) {
            throw OsMetricsException.usage(option + " must be positive, got " + Phrases.duration(value));
        }
    }
}
