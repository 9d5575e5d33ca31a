package io.hostpub.coordinator.cluster;

import static io.hostpub.coordinator.cluster.Clusters.RECOVERY;
import static io.hostpub.coordinator.cluster.Clusters.local;
import static io.hostpub.coordinator.cluster.Clusters.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.checkpoint.Checkpoint;
import io.hostpub.coordinator.api.operator.NodeName;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.monitor.MonitorEndpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's checkpoints across {@code kill -9} and a move to another node, with real agent, coordinator and job
 * processes (the job is {@link CheckpointCounterJob}, a JVM using the {@code Checkpoints} API): every instance resumes
 * from the latest checkpoint, so the counter never falls behind its checkpoints' sequence.
 */
class CheckpointMoveTest {

    @TempDir
    Path home;

    @Test
    void aRestartedOrMovedJobResumesFromItsLatestCheckpoint() throws Exception {
        Application counter = new Application("counter", 1, ClusterFixture.javaJob(home, CheckpointCounterJob.class),
                Map.of("HOSTPUB_HOME",
                home.toAbsolutePath().toString()), 0, null, "local/l1", null, null, "job");
        try (ClusterFixture cluster = new ClusterFixture(home, plan(2, List.of(local("l1", "n1", "n2")),
                List.of(counter)))) {
            cluster.startAgents();
            Checkpoint first = await().atMost(RECOVERY).until(() -> latest(cluster), c -> c != null
                    && c.sequence() >= 3);
            assertContinuous(first);

            // kill -9: the agent restarts it; the new instance resumes at the latest checkpoint
            ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
            Checkpoint restarted = await().atMost(RECOVERY).until(() -> latest(cluster), c -> c != null
                    && c.pid() != first.pid() && c.sequence() > first.sequence() + 2);
            assertContinuous(restarted);
            assertThat(restarted.node()).isEqualTo(first.node());

            // a move: its node is drained, the job starts on the other node and resumes there
            MonitorEndpoint coordinator = cluster.monitorEndpoint("local/l1").orElseThrow();
            cluster.client.call(coordinator.socketAddress(), ClusterRoutes.OPERATOR_DRAIN,
                    new NodeName(restarted.node()), Duration.ofSeconds(10));
            Checkpoint moved = await().atMost(RECOVERY).until(() -> latest(cluster), c -> c != null
                    && !c.node().equals(restarted.node()) && c.sequence() > restarted.sequence() + 2);
            assertContinuous(moved);
            System.out.printf("[checkpoint] %d checkpoints, one kill -9 and one move, no count lost%n",
                    moved.sequence());
        }
    }

    private static Checkpoint latest(ClusterFixture cluster) throws Exception {
        return cluster.store.get("checkpoint/counter/job-1", "latest").map(b -> Json.read(b, Checkpoint.class))
                .orElse(null);
    }

    /** The count saved equals the checkpoint's sequence: every instance started from the latest checkpoint. */
    private static void assertContinuous(Checkpoint checkpoint) {
        assertThat(Long.parseLong(new String(checkpoint.data(), StandardCharsets.UTF_8))).as(checkpoint.toString())
                .isEqualTo(checkpoint.sequence());
    }
}
