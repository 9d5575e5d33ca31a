package io.hostpub.coordinator.job;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.job.JobIncident;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * What an agent writes to the store for each of its jobs (scope {@code agent/<node>}, key {@code jobs/<job>}), so that
 * its successor (after the agent died) re-adopts the running process instead of starting a second one: the process is
 * identified by pid and start instant together (a pid alone may have been reused). {@code token} is the instance's
 * checkpoint token, which an adopted process keeps.
 */
public record JobRecord(JobSpec spec, long pid, Instant processStart, JobStatistics statistics,
        List<JobIncident> incidents, String token) {

    public JobRecord {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(statistics, "statistics");
        incidents = incidents == null ? List.of() : List.copyOf(incidents); // none in records of older agents
    }

    /** The store scope of {@code node}'s job records. */
    public static String scope(String node) {
        return "agent/" + node;
    }

    /** The key of {@code job}'s record. */
    public static String key(String job) {
        return "jobs/" + job;
    }

    /**
     * The records of {@code node}'s jobs; one that cannot be read is skipped and handed to {@code unreadable} (key,
     * reason).
     */
    public static List<JobRecord> read(CoordinatorStore store, String node, BiConsumer<String, String> unreadable)
            throws StoreException {
        List<JobRecord> records = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : store.list(scope(node)).entrySet()) {
            try {
                records.add(Json.read(entry.getValue(), JobRecord.class));
            } catch (IllegalArgumentException e) {
                unreadable.accept(entry.getKey(), e.getMessage());
            }
        }
        return records;
    }

    /** Whether the very process recorded (the same pid and start instant) still runs on this machine. */
    public boolean runsHere() {
        return pid != 0 && ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(p -> p.info().startInstant())
                .map(start -> start.equals(processStart)).orElse(false);
    }
}
