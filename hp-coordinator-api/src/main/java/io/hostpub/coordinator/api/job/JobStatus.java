package io.hostpub.coordinator.api.job;

import java.time.Instant;
import java.util.Objects;

/**
 * One job as its agent reports it.
 *
 * @param pid         the process, 0 when none
 * @param startedAt   when the current process started, null when none
 * @param failedOut   the restart intensity was exceeded on this node: the coordinator must place it elsewhere
 * @param lastExit    exit code of the last run, null if it never ended
 */
public record JobStatus(JobSpec spec, String node, JobState state, long pid, Instant startedAt, boolean failedOut,
        Integer lastExit, JobStatistics statistics) {

    public JobStatus {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(statistics, "statistics");
    }

    public String name() {
        return spec.name();
    }
}
