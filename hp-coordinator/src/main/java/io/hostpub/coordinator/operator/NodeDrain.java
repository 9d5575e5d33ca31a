package io.hostpub.coordinator.operator;

import io.hostpub.coordinator.api.ClusterClient;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.operator.OperatorRequest.Operation;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.store.CoordinatorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties nodes before they leave the plan: asks each node's local coordinator to drain it (its jobs are started on
 * the other nodes, then stopped on it) and waits until the node's job records in the store are gone, which is what
 * {@link io.hostpub.coordinator.plan.LivePlan#apply} checks before it removes a node.
 */
public final class NodeDrain {

    private final CoordinatorStore store;
    private final OperatorRelay relay;

    /** @param inForce the plan in force, which knows each node's coordinator */
    public NodeDrain(ClusterPlan inForce, CoordinatorStore store, ClusterClient client) {
        this.store = store;
        this.relay = new OperatorRelay(inForce, store, client);
    }

    /**
     * Drains {@code nodes} and waits up to {@code within} until they hold no job.
     *
     * @return what still holds jobs then, or why a node could not be drained (empty: every node is empty)
     */
    public List<String> emptyNodes(List<String> nodes, Duration within) throws Exception {
        List<String> refused = new ArrayList<>();
        for (String node : nodes) {
            if (!jobs(node).isEmpty()) {
                try {
                    relay.relay(new OperatorRequest(Operation.DRAIN, node, "plan apply"));
                } catch (ClusterRefusal e) {
                    refused.add("node " + node + " could not be drained: " + e.getMessage());
                }
            }
        }
        if (!refused.isEmpty()) {
            return refused;
        }
        return ClusterShutdown.await(() -> {
            List<String> held = new ArrayList<>();
            for (String node : nodes) {
                List<String> jobs = jobs(node);
                if (!jobs.isEmpty()) {
                    held.add("node " + node + " still holds " + jobs);
                }
            }
            return held;
        }, within);
    }

    private List<String> jobs(String node) throws Exception {
        return JobRecord.read(store, node, (key, why) -> { }).stream().map(r -> r.spec().name()).toList();
    }
}
