package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a local coordinator's children (its nodes' agents) those of the plan in force, which change live
 * ({@code hpctl cluster apply}): a node added is tracked (polled, its agent started when it does not answer, jobs
 * placed on it); a node removed is no longer tracked nor remembered as drained. Touched only by the cycle thread.
 */
final class ChildSync {

    private static final System.Logger LOG = System.getLogger(ChildSync.class.getName());

    private ChildSync() {
    }

    /**
     * Makes {@code children} those of {@code position} in {@code inForce}.
     *
     * @param node the node this monitor runs on
     * @return why this monitor must leave: its own node is no longer in the plan (empty: it stays)
     */
    static Optional<String> sync(Map<String, ChildTrack> children, ClusterPlan inForce, String position, String node,
            MonitorMemory memory, Instant now) {
        if (inForce.nodes().stream().noneMatch(n -> n.name().equals(node))) {
            return Optional.of("its node " + node + " was removed from the plan");
        }
        MonitorPosition mine = inForce.monitors().stream().filter(m -> m.position().equals(position)).findFirst()
                .orElse(null);
        if (mine == null || mine.level() != ClusterPlan.Level.LOCAL) {
            return Optional.empty(); // only the nodes under local coordinators change live
        }
        List<String> wanted = mine.children();
        for (String child : wanted) {
            if (!children.containsKey(child)) {
                children.put(child, new ChildTrack(child, true, now));
                LOG.log(Level.INFO, "monitor {0}: node {1} added to the plan: watching its agent", position, child);
            }
        }
        for (String child : List.copyOf(children.keySet())) {
            if (!wanted.contains(child)) {
                children.remove(child);
                memory.drained.remove(child);
                LOG.log(Level.INFO, "monitor {0}: node {1} removed from the plan: no longer watching its agent",
                        position, child);
            }
        }
        return Optional.empty();
    }
}
