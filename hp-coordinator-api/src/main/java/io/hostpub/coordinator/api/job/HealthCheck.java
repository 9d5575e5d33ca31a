package io.hostpub.coordinator.api.job;

/**
 * How an agent decides that a job's process is hung rather than merely running: every {@code intervalMs} it looks at
 * the process (a process stopped by a signal, or a zombie, fails at once) and, with a {@code path}, asks it
 * {@code GET http://<node>:<httpPort><path>} (only 200 passes; {@code timeoutMs} to answer). After {@code failures}
 * failed looks in a row the job is hung: the agent keeps evidence, kills it and restarts it with the usual back-off.
 * Failures before the first passed look count only once {@code startGraceMs} has passed since the process started,
 * so a slow start is not taken for a hang. The defaults declare a stopped clone hung within 15 s:
 * 3 looks of at most 2 s, 1 s apart.
 *
 * @param path the HTTP path to ask ({@code /HostPublisher/health} for a clone serving the WAR); null: the process
 *             is looked at, nothing asked
 */
public record HealthCheck(String path, long intervalMs, long timeoutMs, int failures, long startGraceMs) {

    /** No HTTP question; the process looked at every second, hung after 3 failed looks, 60 s to start. */
    public static final HealthCheck DEFAULT = new HealthCheck(null, 1_000, 2_000, 3, 60_000);

    public HealthCheck {
        if (path != null && (!path.startsWith("/") || path.length() > 200 || !path.matches("[\\x21-\\x7e]+"))) {
            throw new IllegalArgumentException("health path '" + path + "' must start with / and be at most 200"
                    + " printable characters without spaces");
        }
        range("intervalMs", intervalMs, 100, 60_000);
        range("timeoutMs", timeoutMs, 100, 60_000);
        range("failures", failures, 1, 100);
        range("startGraceMs", startGraceMs, 0, 3_600_000);
    }

    /** From the plan's JSON: every key may be left out for its default. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static HealthCheck of(@com.fasterxml.jackson.annotation.JsonProperty("path") String path,
            @com.fasterxml.jackson.annotation.JsonProperty("intervalMs") Long intervalMs,
            @com.fasterxml.jackson.annotation.JsonProperty("timeoutMs") Long timeoutMs,
            @com.fasterxml.jackson.annotation.JsonProperty("failures") Integer failures,
            @com.fasterxml.jackson.annotation.JsonProperty("startGraceMs") Long startGraceMs) {
        return new HealthCheck(path, intervalMs == null ? DEFAULT.intervalMs : intervalMs,
                timeoutMs == null ? DEFAULT.timeoutMs : timeoutMs, failures == null ? DEFAULT.failures : failures,
                startGraceMs == null ? DEFAULT.startGraceMs : startGraceMs);
    }

    /** The defaults with an HTTP question at {@code path}. */
    public static HealthCheck http(String path) {
        return new HealthCheck(path, DEFAULT.intervalMs, DEFAULT.timeoutMs, DEFAULT.failures, DEFAULT.startGraceMs);
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("health " + name + " must be " + min + ".." + max + ", not " + value);
        }
    }
}
