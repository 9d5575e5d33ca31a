package io.hostpub.coordinator.monitor;

import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a job of an application goes: an alive node it may use (the application's nodes, else any of the monitor's),
 * not one it failed out of, serving no other party (per-customer isolation: a node runs the jobs of one customer at a
 * time, shared applications count as one party of their own), with the fewest jobs; ties to the smaller name.
 */
public final class Placement {

    private Placement() {
    }

    /** A node as placement sees it. */
    public record NodeLoad(String node, boolean alive, int jobs, Set<String> parties) {
        public NodeLoad {
            Objects.requireNonNull(node, "node");
            parties = Set.copyOf(parties);
        }
    }

    /** The party of an application for isolation: its customer, or the shared party. */
    public static String party(Application application) {
        return application.customer() == null ? "" : application.customer();
    }

    public static Optional<String> choose(Application application, Collection<NodeLoad> nodes, Set<String> excluded) {
        String party = party(application);
        return nodes.stream().filter(NodeLoad::alive)
                .filter(n -> application.nodes().isEmpty() || application.nodes().contains(n.node()))
                .filter(n -> !excluded.contains(n.node()))
                .filter(n -> n.parties().isEmpty() || n.parties().equals(Set.of(party)))
                .min(Comparator.comparingInt(NodeLoad::jobs).thenComparing(NodeLoad::node)).map(NodeLoad::node);
    }
}
