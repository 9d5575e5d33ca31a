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
 * @param healthy     whether the current process passed its last health look; null before its first (starting)
 * @param incidents   what the agent did to the job on its own judgement (hangs), newest last, at most a few
 */
public record JobStatus(JobSpec spec, String node, JobState state, long pid, Instant startedAt, boolean failedOut,
        Integer lastExit, JobStatistics statistics, Boolean healthy, java.util.List<JobIncident> incidents) {

    public JobStatus {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(statistics, "statistics");
        incidents = incidents == null ? java.util.List.of() : java.util.List.copyOf(incidents);
    }

    /** A status without health looks or incidents. */
    public JobStatus(JobSpec spec, String node, JobState state, long pid, Instant startedAt, boolean failedOut,
            Integer lastExit, JobStatistics statistics) {
        this(spec, node, state, pid, startedAt, failedOut, lastExit, statistics, null, null);
    }

    public String name() {
        return spec.name();
    }
}
