package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobStatistics;
import java.time.Instant;
import java.util.Objects;

/**
 * What an agent writes to the store for each of its jobs, so that its successor (after the agent died) re-adopts the
 * running process instead of starting a second one: the process is identified by pid and start instant together
 * (a pid alone may have been reused).
 */
record JobRecord(JobSpec spec, long pid, Instant processStart, JobStatistics statistics) {

    JobRecord {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(statistics, "statistics");
    }
}
