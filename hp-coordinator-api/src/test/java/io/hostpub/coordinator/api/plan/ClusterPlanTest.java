package io.hostpub.coordinator.api.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPlanTest {

    @TempDir
    Path home;

    ClusterPlan load(String json) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve(ClusterPlan.FILE), json);
        return ClusterPlan.load(home);
    }

    static final String NODES = "\"nodes\":[{\"name\":\"n1\",\"address\":\"127.0.0.2\"},"
            + "{\"name\":\"n2\",\"address\":\"127.0.0.3\"}]";

    @Test
    void readsAThreeLevelPlanAndDerivesParentsAndCandidateNodes() throws Exception {
        ClusterPlan plan = load("{\"pollIntervalMs\":1000,\"agentPort\":30110,\"monitorPort\":30120," + NODES + ","
                + "\"monitors\":[{\"position\":\"local/l1\",\"children\":[\"n1\"]},"
                + "{\"position\":\"local/l2\",\"children\":[\"n2\"],\"standby\":true},"
                + "{\"position\":\"group/g\",\"children\":[\"local/l1\",\"local/l2\"],\"nodes\":[\"n2\"]}],"
                + "\"applications\":[{\"name\":\"web\",\"count\":2,\"command\":[\"run\",\"{port}\"],"
                + "\"httpPort\":8081,\"monitor\":\"local/l1\"}]}");
        assertThat(plan.parentOf("n1").orElseThrow().position()).isEqualTo("local/l1");
        assertThat(plan.parentOf("local/l2").orElseThrow().position()).isEqualTo("group/g");
        assertThat(plan.parentOf("group/g")).isEmpty();
        assertThat(plan.candidateNodes(plan.monitor("group/g"))).containsExactly("n2");
        assertThat(plan.candidateNodes(plan.monitor("local/l1"))).containsExactly("n1");
        assertThat(plan.store().kind()).isEqualTo("journal");
        assertThat(plan.applications().get(0).httpPort()).isEqualTo(8081);
        // a warm standby only where the plan asks for one
        assertThat(plan.monitor("local/l2").standby()).isTrue();
        assertThat(plan.monitor("local/l1").standby()).isFalse();
    }

    @Test
    void badPlansAreRejectedWithTheFileAndTheReason() {
        assertThatThrownBy(() -> load("{\"pollIntervalMs\":10,\"agentPort\":1,\"monitorPort\":2," + NODES
                + ",\"monitors\":[]}")).isInstanceOf(IOException.class).hasMessageContaining("cluster.json")
                .hasMessageContaining("pollIntervalMs must be 50..60000");
        assertThatThrownBy(() -> load("{\"pollIntervalMs\":100,\"agentPort\":1,\"monitorPort\":2," + NODES
                + ",\"monitors\":[{\"position\":\"local/l1\",\"children\":[\"n9\"]}]}"))
                .hasMessageContaining("child 'n9', which is not a node");
        assertThatThrownBy(() -> load("{\"pollIntervalMs\":100,\"agentPort\":1,\"monitorPort\":2," + NODES
                + ",\"monitors\":[{\"position\":\"local/l1\",\"children\":[\"n1\"]},"
                + "{\"position\":\"local/l2\",\"children\":[\"n1\"]}]}"))
                .hasMessageContaining("n1 is watched by both local/l1 and local/l2");
        assertThatThrownBy(() -> load("{\"pollIntervalMs\":100,\"agentPort\":1,\"monitorPort\":2," + NODES
                + ",\"monitors\":[{\"position\":\"middle/x\",\"children\":[]}]}"))
                .hasMessageContaining("local/NAME, group/NAME or universal/NAME");
        assertThatThrownBy(() -> load("{\"pollIntervalMs\":100,\"agentPort\":1,\"monitorPort\":2," + NODES
                + ",\"monitors\":[],\"store\":{\"kind\":\"zookeeper\"}}")).hasMessageContaining("needs 'connect'");
        assertThatThrownBy(() -> load("not json")).hasMessageContaining("malformed ClusterPlan");
        assertThatThrownBy(() -> ClusterPlan.load(home.resolve("absent"))).hasMessageContaining("no cluster plan");
    }
}
