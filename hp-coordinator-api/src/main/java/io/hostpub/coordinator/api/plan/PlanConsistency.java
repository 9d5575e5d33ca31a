package io.hostpub.coordinator.api.plan;

import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.Level;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan.Node;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What makes a plan's parts fit together: unique node and position names, each child under one monitor of the level
 * above (nodes under local monitors), dedicated monitor nodes known, every application under a local monitor and on
 * nodes that monitor watches. The parts check themselves; this checks them against each other.
 */
final class PlanConsistency {

    private PlanConsistency() {
    }

    static void check(List<Node> nodes, List<MonitorPosition> monitors, List<Application> applications) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the plan has no nodes");
        }
        Set<String> nodeNames = new HashSet<>();
        for (Node node : nodes) {
            if (!nodeNames.add(node.name())) {
                throw new IllegalArgumentException("node " + node.name() + " is listed twice");
            }
        }
        Map<String, MonitorPosition> positions = new HashMap<>();
        for (MonitorPosition monitor : monitors) {
            if (positions.put(monitor.position(), monitor) != null) {
                throw new IllegalArgumentException("monitor position " + monitor.position() + " is listed twice");
            }
        }
        Map<String, String> parents = new HashMap<>();
        for (MonitorPosition monitor : monitors) {
            for (String child : monitor.children()) {
                boolean known = monitor.level() == Level.LOCAL ? nodeNames.contains(child)
                        : positions.containsKey(child) && positions.get(child).level().ordinal()
                                == monitor.level().ordinal() - 1;
                if (!known) {
                    throw new IllegalArgumentException("monitor " + monitor.position() + " has child '" + child
                            + "', which is not " + (monitor.level() == Level.LOCAL ? "a node"
                                    : "a monitor of the level below"));
                }
                String previous = parents.put(child, monitor.position());
                if (previous != null) {
                    throw new IllegalArgumentException(child + " is watched by both " + previous + " and "
                            + monitor.position());
                }
            }
            for (String node : monitor.nodes()) {
                if (!nodeNames.contains(node)) {
                    throw new IllegalArgumentException("monitor " + monitor.position() + " may run on unknown node "
                            + node);
                }
            }
        }
        for (Application application : applications) {
            MonitorPosition owner = positions.get(application.monitor());
            if (owner == null || owner.level() != Level.LOCAL) {
                throw new IllegalArgumentException("application " + application.name() + " names monitor '"
                        + application.monitor() + "', which is not a local monitor of the plan");
            }
            for (String node : application.nodes()) {
                if (!owner.children().contains(node)) {
                    throw new IllegalArgumentException("application " + application.name() + " may run on node "
                            + node + ", which " + owner.position() + " does not watch");
                }
            }
        }
    }
}
