package io.hostpub.coordinator.api.job;

/**
 * Availability figures of one job (or monitor): time up and down since it was first wanted, failures and restarts.
 * Immutable; the owner replaces it at each change and checkpoints it, so figures survive restarts and moves.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(value = {"availabilityPercent"}, allowGetters = true)
public record JobStatistics(long upMillis, long downMillis, int failures, int restarts) {

    public static final JobStatistics NONE = new JobStatistics(0, 0, 0, 0);

    public JobStatistics {
        if (upMillis < 0 || downMillis < 0 || failures < 0 || restarts < 0) {
            throw new IllegalArgumentException("statistics cannot be negative");
        }
    }

    /** Up time over wanted time in percent, 100 before any time was counted (in the JSON too, read-only). */
    @com.fasterxml.jackson.annotation.JsonProperty("availabilityPercent")
    public double availabilityPercent() {
        long total = upMillis + downMillis;
        return total == 0 ? 100.0 : 100.0 * upMillis / total;
    }

    public JobStatistics plusUp(long millis) {
        return new JobStatistics(upMillis + Math.max(0, millis), downMillis, failures, restarts);
    }

    public JobStatistics plusDown(long millis) {
        return new JobStatistics(upMillis, downMillis + Math.max(0, millis), failures, restarts);
    }

    public JobStatistics plusFailure() {
        return new JobStatistics(upMillis, downMillis, failures + 1, restarts);
    }

    public JobStatistics plusRestart() {
        return new JobStatistics(upMillis, downMillis, failures, restarts + 1);
    }

    public JobStatistics plus(JobStatistics other) {
        return new JobStatistics(upMillis + other.upMillis, downMillis + other.downMillis, failures + other.failures,
                restarts + other.restarts);
    }
}
