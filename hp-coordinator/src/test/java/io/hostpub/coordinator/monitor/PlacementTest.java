package io.hostpub.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.monitor.Placement.NodeLoad;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {

    static Application app(String customer, List<String> nodes) {
        return new Application("web", 1, List.of("x"), null, 0, null, "local/l1", nodes, customer, null);
    }

    @Test
    void choosesTheAliveNodeWithFewestJobsTiesToTheSmallerName() {
        List<NodeLoad> nodes = List.of(new NodeLoad("n1", true, 2, Set.of("")), new NodeLoad("n2", true, 1,
                Set.of("")), new NodeLoad("n3", false, 0, Set.of()), new NodeLoad("n4", true, 1, Set.of("")));
        assertThat(Placement.choose(app(null, List.of()), nodes, Set.of())).contains("n2");
        assertThat(Placement.choose(app(null, List.of()), nodes, Set.of("n2"))).contains("n4");
    }

    @Test
    void honoursTheApplicationsNodesAndExclusions() {
        List<NodeLoad> nodes = List.of(new NodeLoad("n1", true, 0, Set.of()), new NodeLoad("n2", true, 5,
                Set.of("")));
        assertThat(Placement.choose(app(null, List.of("n2")), nodes, Set.of())).contains("n2");
        assertThat(Placement.choose(app(null, List.of("n2")), nodes, Set.of("n2"))).isEmpty();
    }

    @Test
    void aNodeServesOneCustomerAtATime() {
        List<NodeLoad> nodes = List.of(new NodeLoad("n1", true, 0, Set.of()), new NodeLoad("n2", true, 1,
                Set.of("acme")), new NodeLoad("n3", true, 0, Set.of()));
        assertThat(Placement.choose(app("acme", List.of()), List.of(nodes.get(1)), Set.of())).contains("n2");
        assertThat(Placement.choose(app("globex", List.of()), nodes, Set.of())).contains("n1");
        assertThat(Placement.choose(app("globex", List.of()), List.of(nodes.get(1)), Set.of())).isEmpty();
        assertThat(Placement.choose(app(null, List.of()), List.of(nodes.get(1)), Set.of()))
                .as("shared jobs do not join a customer's node").isEmpty();
    }
}
