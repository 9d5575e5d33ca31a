package io.hostpub.coordinator.job;

import java.time.Duration;
import java.util.Objects;

/**
 * How a host agent restarts a job that died on its node: at once after a single failure, then after an
 * exponentially growing back-off ({@code initialBackoff}, doubled per further consecutive failure, capped at
 * {@code maxBackoff}; a run longer than {@code stableAfter} resets it), and at most {@code intensity} restarts within {@code period}; one more failure in
 * that window and the job is reported failed upward so the coordinator can place it on another node (the restart
 * intensity of Erlang/OTP supervisors).
 */
public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, int intensity, Duration period,
        Duration stableAfter) {

    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(10), 5,
            Duration.ofSeconds(60), Duration.ofSeconds(30));

    public RestartPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(stableAfter, "stableAfter");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("restart back-off must satisfy 0 <= initial <= max, got "
                    + initialBackoff + " / " + maxBackoff);
        }
        if (intensity < 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("restart intensity must be >= 0 restarts in a positive period, got "
                    + intensity + " in " + period);
        }
    }

    /**
     * The back-off before restart number {@code consecutiveFailures} (1 = first failure after a stable run): none
     * for the first (a single crash costs only the restart), then {@code initialBackoff}, doubled per further
     * failure up to {@code maxBackoff}.
     */
    public Duration backoff(int consecutiveFailures) {
        if (consecutiveFailures <= 1) {
            return Duration.ZERO;
        }
        if (consecutiveFailures == 2) {
            return initialBackoff;
        }
        int shift = Math.min(consecutiveFailures - 2, 30);
        long millis = initialBackoff.toMillis() << shift;
        return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }
}
