package io.hostpub.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.job.JobSpec;
import io.hostpub.coordinator.api.job.JobStatistics;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan.Node;
import io.hostpub.coordinator.job.JobRecord;
import io.hostpub.coordinator.store.Fence;
import io.hostpub.coordinator.store.JournalStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What changes live and what does not: nodes under local coordinators are added and removed (a node that still holds
 * jobs only once drained), the rest is refused with what changed; the plan in force is the file's with the revision.
 */
class PlanChangeTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path dir;

    private static ClusterPlan plan(List<String> nodes, int count) {
        List<Node> all = nodes.stream().map(n -> new Node(n, "127.0.0." + (1 + Integer.parseInt(n.substring(1)))))
                .toList();
        return new ClusterPlan(250, 30100, 30200, null, all, List.of(new MonitorPosition("local/l1", nodes, null),
                new MonitorPosition("group/g1", List.of("local/l1"), null)), List.of(new Application("web", count,
                        List.of("sleep", "1000"), null, 0, null, "local/l1", null, null, "clone")), null, null);
    }

    @Test
    void nodesUnderLocalCoordinatorsChangeLiveAndTheRestIsRefusedWithWhatChanged() {
        ClusterPlan two = plan(List.of("n1", "n2"), 2);
        ClusterPlan three = plan(List.of("n1", "n2", "n3"), 3);
        assertThat(PlanChange.notLive(two, three)).isEmpty();
        assertThat(PlanChange.diff(two, three)).containsExactly(
                "+ node n3 (127.0.0.4) under local/l1: its agent is started and jobs may be placed on it",
                "~ local/l1: nodes [n1, n2] -> [n1, n2, n3]", "~ application web: count 2 -> 3");
        assertThat(PlanChange.removedNodes(three, two)).containsExactly("n3");
        assertThat(PlanChange.diff(three, two)).contains("- node n3 (127.0.0.4): drained first (its jobs move), then"
                + " its agent stops");

        ClusterPlan moved = new ClusterPlan(500, 30100, 30200, null, List.of(new Node("n1", "127.0.0.9"),
                new Node("n2", "127.0.0.3")), List.of(new MonitorPosition("local/l1", List.of("n1", "n2"), null),
                new MonitorPosition("group/g1", List.of("local/l1"), List.of("n2"))), two.applications(), null, null);
        assertThat(PlanChange.notLive(two, moved)).get().asString().contains("pollIntervalMs",
                "monitor group/g1", "the address of node n1").contains("hpctl cluster shutdown");
    }

    @Test
    void aNodeThatHoldsJobsIsRemovedOnlyOnceEmptyAndTheRevisionIsThePlanInForce() throws Exception {
        ClusterPlan file = plan(List.of("n1", "n2"), 2);
        try (JournalStore store = JournalStore.open(dir)) {
            PlanRevision added = LivePlan.apply(store, file, plan(List.of("n1", "n2", "n3"), 3), 0L, "op", NOW);
            assertThat(added.version()).isEqualTo(1);
            assertThat(LivePlan.inForce(store, file).nodes()).extracting(Node::name).containsExactly("n1", "n2",
                    "n3");
            assertThat(new LivePlan(file, store).current().monitor("local/l1").children()).contains("n3");

            Fence agent = store.acquire(JobRecord.scope("n2"), "agent n2");
            store.put(agent, JobRecord.key("web/clone-2"), Json.write(new JobRecord(new JobSpec("web/clone-2",
                    List.of("sleep", "1000"), java.util.Map.of(), 0, null), 42, NOW, JobStatistics.NONE, null,
                    null)));
            ClusterPlan withoutN2 = plan(List.of("n1", "n3"), 3);
            assertThatThrownBy(() -> LivePlan.apply(store, file, withoutN2, 1L, "op", NOW))
                    .isInstanceOf(ClusterRefusal.class).hasMessageContaining("node n2 still holds job(s)"
                            + " [web/clone-2]: drain it first");
            assertThat(LivePlan.revision(store).orElseThrow().version()).as("nothing changed").isEqualTo(1);

            store.delete(agent, JobRecord.key("web/clone-2"));
            assertThat(LivePlan.apply(store, file, withoutN2, 1L, "op", NOW).version()).isEqualTo(2);
            assertThat(LivePlan.inForce(store, file).nodes()).extracting(Node::name).containsExactly("n1", "n3");
        }
    }
}
