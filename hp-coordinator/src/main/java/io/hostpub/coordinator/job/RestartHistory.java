package io.hostpub.coordinator.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The failures of one job on one node, judged against its {@link RestartPolicy}: {@link #onFailure} says how long to
 * wait before the next restart, or that the intensity is exceeded and the job must leave the node. Not thread-safe:
 * owned by the job's supervisor.
 */
public final class RestartHistory {

    private final RestartPolicy policy;
    private final Deque<Instant> restarts = new ArrayDeque<>();
    private int consecutiveFailures;

    public RestartHistory(RestartPolicy policy) {
        this.policy = policy;
    }

    /**
     * A failure of a run that lasted {@code ran}: the back-off before restarting, or empty if the restart intensity is
     * exceeded (more than {@code intensity} restarts within {@code period}).
     */
    public Optional<Duration> onFailure(Instant now, Duration ran) {
        consecutiveFailures = ran.compareTo(policy.stableAfter()) >= 0 ? 1 : consecutiveFailures + 1;
        Instant windowStart = now.minus(policy.period());
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(windowStart)) {
            restarts.removeFirst();
        }
        if (restarts.size() >= policy.intensity()) {
            return Optional.empty();
        }
        restarts.addLast(now);
        return Optional.of(policy.backoff(consecutiveFailures));
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Forget the failures (the job was moved or restarted by an operator). */
    public void reset() {
        restarts.clear();
        consecutiveFailures = 0;
    }
}
