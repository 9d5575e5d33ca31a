package io.hostpub.coordinator.monitor;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.job.JobAvailability;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a monitor writes to the store each cycle so that its successor recovers what it was watching (seed FIG. 11):
 * where each job was placed, the nodes each job failed out of, the statistics of its children and jobs, and what
 * operators asked for.
 */
public record MonitorCheckpoint(Map<String, String> placements, Map<String, List<String>> excluded,
        Map<String, JobStatistics> childStatistics, Map<String, JobStatistics> jobStatistics, OperatorIntent operator,
        Instant at, Map<String, JobAvailability> availability) {

    public MonitorCheckpoint {
        placements = placements == null ? Map.of() : Map.copyOf(placements);
        excluded = excluded == null ? Map.of() : Map.copyOf(excluded);
        childStatistics = childStatistics == null ? Map.of() : Map.copyOf(childStatistics);
        jobStatistics = jobStatistics == null ? Map.of() : Map.copyOf(jobStatistics);
        operator = operator == null ? OperatorIntent.NONE : operator;
        availability = availability == null ? Map.of() : Map.copyOf(availability); // none in older checkpoints
    }

    private static final String KEY = "checkpoint";

    /** The checkpoint last written for {@code position}; an unreadable one is logged and ignored. */
    public static Optional<MonitorCheckpoint> read(CoordinatorStore store, String position) throws StoreException {
        Optional<byte[]> saved = store.get(Monitor.scope(position), KEY);
        try {
            return saved.map(bytes -> Json.read(bytes, MonitorCheckpoint.class));
        } catch (IllegalArgumentException e) {
            System.getLogger(MonitorCheckpoint.class.getName()).log(Level.WARNING,
                    "monitor {0}: unreadable checkpoint ignored: {1}", position, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes this checkpoint under {@code fence} (a stale fence is refused: the writer was superseded). */
    void write(CoordinatorStore store, Fence fence) throws StoreException {
        store.put(fence, KEY, Json.write(this));
    }
}
