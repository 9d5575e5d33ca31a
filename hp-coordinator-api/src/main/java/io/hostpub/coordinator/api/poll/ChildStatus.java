package io.hostpub.coordinator.api.poll;

import io.hostpub.coordinator.api.job.JobStatistics;
import java.time.Instant;
import java.util.Objects;

/** One watched child (an agent or a lower monitor) as its monitor sees it. */
public record ChildStatus(String name, String level, ChildState state, String endpoint, long pid, String instanceId,
        Instant lastSeen, JobStatistics statistics) {

    /** UP: answered the last poll; MISSING: missed polls, not yet declared dead; DOWN: dead, being restarted. */
    public enum ChildState { UNKNOWN, UP, MISSING, DOWN }

    public ChildStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(statistics, "statistics");
    }
}
