package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a monitor writes to the store each cycle so that its successor recovers what it was watching (seed FIG. 11):
 * where each job was placed, the nodes each job failed out of, the statistics of its children and jobs, and what
 * operators asked for.
 */
public record MonitorCheckpoint(Map<String, String> placements, Map<String, List<String>> excluded,
        Map<String, JobStatistics> childStatistics, Map<String, JobStatistics> jobStatistics, OperatorIntent operator,
        Instant at) {

    public MonitorCheckpoint {
        placements = placements == null ? Map.of() : Map.copyOf(placements);
        excluded = excluded == null ? Map.of() : Map.copyOf(excluded);
        childStatistics = childStatistics == null ? Map.of() : Map.copyOf(childStatistics);
        jobStatistics = jobStatistics == null ? Map.of() : Map.copyOf(jobStatistics);
        operator = operator == null ? OperatorIntent.NONE : operator;
    }
}
