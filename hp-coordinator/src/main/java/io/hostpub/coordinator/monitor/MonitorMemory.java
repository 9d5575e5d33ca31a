package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.job.JobAvailability;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.operator.OperatorIntent;
import io.hostpub.coordinator.store.CoordinatorStore;
import io.hostpub.coordinator.store.StoreException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a coordinator remembers from cycle to cycle and hands to its successor in the checkpoint (seed FIG. 11): where
 * each job was placed, the nodes each job failed out of, the jobs' statistics and availability, and what operators
 * asked for (jobs held stopped, nodes drained). Touched only by the coordinator's cycle thread.
 */
final class MonitorMemory {

    private static final System.Logger LOG = System.getLogger(MonitorMemory.class.getName());

    final Map<String, String> placements = new TreeMap<>();
    final Map<String, Set<String>> excluded = new TreeMap<>();
    final Map<String, JobStatistics> jobStatistics = new TreeMap<>();
    final Map<String, JobAvailability> availability = new TreeMap<>();
    final Set<String> held = new TreeSet<>();
    final Set<String> drained = new TreeSet<>();

    /** The operators' intents now. */
    OperatorIntent intent() {
        return new OperatorIntent(List.copyOf(held), List.copyOf(drained));
    }

    MonitorCheckpoint checkpoint(Collection<ChildTrack> children, Instant at) {
        Map<String, List<String>> excludedLists = new TreeMap<>();
        excluded.forEach((job, nodes) -> excludedLists.put(job, List.copyOf(new TreeSet<>(nodes))));
        Map<String, JobStatistics> childStatistics = new TreeMap<>();
        children.forEach(child -> childStatistics.put(child.name, child.statistics));
        return new MonitorCheckpoint(placements, excludedLists, childStatistics, jobStatistics, intent(), at,
                availability);
    }

    /** Takes over the checkpoint of the position's predecessor, if it left one. */
    void recover(CoordinatorStore store, String position, Map<String, ChildTrack> children) throws StoreException {
        MonitorCheckpoint.read(store, position).ifPresent(checkpoint -> {
            restore(checkpoint, children);
            LOG.log(System.Logger.Level.INFO, "monitor {0}: recovered the checkpoint of {1} ({2} placements)",
                    position, checkpoint.at(), placements.size());
        });
    }

    /** Takes over a predecessor's checkpoint; statistics of children no longer in the plan are dropped. */
    void restore(MonitorCheckpoint checkpoint, Map<String, ChildTrack> children) {
        placements.putAll(checkpoint.placements());
        held.addAll(checkpoint.operator().heldJobs());
        drained.addAll(checkpoint.operator().drainedNodes());
        checkpoint.excluded().forEach((job, nodes) -> excluded.put(job, new HashSet<>(nodes)));
        jobStatistics.putAll(checkpoint.jobStatistics());
        availability.putAll(checkpoint.availability());
        checkpoint.childStatistics().forEach((name, stats) -> {
            ChildTrack child = children.get(name);
            if (child != null) {
                child.statistics = stats;
            }
        });
    }
}
