package io.hostpub.coordinator.cluster;

import static io.hostpub.coordinator.cluster.Clusters.RECOVERY;
import static io.hostpub.coordinator.cluster.Clusters.local;
import static io.hostpub.coordinator.cluster.Clusters.plan;
import static io.hostpub.coordinator.cluster.Clusters.sleepers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.operator.ShutdownOrder;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.operator.ClusterShutdown;
import io.hostpub.coordinator.shutdown.ShutdownOrders;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinated shutdown and start of real agent, coordinator and job processes: the whole installation, then one
 * coordinator's scope beside another that keeps running, with a coordinator killed in the middle of the shutdown.
 */
class ClusterShutdownTest {

    private static final List<String> POSITIONS = List.of("local/l1", "local/l2", "group/g1");

    @TempDir
    Path home;

    /** Then the whole installation: everything stops, nothing comes back until start. */
    private static void wholeInstallation(ClusterFixture cluster, ClusterShutdown shutdown) throws Exception {
        assertThat(shutdown.stillRunning(ShutdownOrder.ALL)).as("before").isNotEmpty();

        long began = System.nanoTime();
        shutdown.order(ShutdownOrder.ALL, "test");
        List<String> left = ClusterShutdown.await(() -> shutdown.stillRunning(ShutdownOrder.ALL), Duration.ofSeconds(60));
        System.out.printf("[shutdown] order -> every agent, coordinator and job gone: %d ms%n",
                (System.nanoTime() - began) / 1_000_000);
        assertThat(left).as("still running").isEmpty();
        // and it stays so: nobody restarts anybody (three poll timeouts and more)
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ClusterFixture.jobProcesses()).as("jobs").isEmpty();
            for (String position : POSITIONS) {
                assertThat(cluster.processes("monitor", position)).as(position).isEmpty();
            }
            for (String node : List.of("n1", "n2", "n3")) {
                assertThat(cluster.processes("agent", node)).as("agent " + node).isEmpty();
            }
        });
        assertThat(cluster.log("agent-n1")).contains("SHUTTING DOWN for the shutdown of the whole installation");

        long starting = System.nanoTime();
        assertThat(shutdown.start(ShutdownOrder.ALL)).as("3 agents, 3 coordinators").hasSize(6);
        assertThat(ClusterShutdown.await(() -> shutdown.notUp(ShutdownOrder.ALL), RECOVERY)).isEmpty();
        awaitAllUp(cluster, 3);
        System.out.printf("[shutdown] start -> every coordinator ACTIVE and 3 jobs running: %d ms%n",
                (System.nanoTime() - starting) / 1_000_000);
        assertThat(ShutdownOrders.read(cluster.store)).isEmpty();
    }

    /**
     * One coordinator's scope first (with the group coordinator killed as the order is placed), then the whole
     * installation: one test, one cluster start-up (the suite's time).
     */
    @Test
    void scopedThenWholeShutdownsStopEverythingUnderThemAndNothingComesBackUntilStart() throws Exception {
        try (ClusterFixture cluster = threeLevels()) {
            ClusterShutdown shutdown = new ClusterShutdown(cluster.plan, home, cluster.store, cluster.client,
                    Clock.systemUTC());
            assertThatThrownBy(() -> shutdown.order("n1", "test")).isInstanceOf(ClusterRefusal.class)
                    .hasMessageContaining("'n1' is a node").hasMessageContaining("drain it");
            assertThatThrownBy(() -> shutdown.order("local/l9", "test")).isInstanceOf(ClusterRefusal.class)
                    .hasMessageContaining("not in the cluster plan");
            assertThat(ShutdownOrders.read(cluster.store)).as("a refused order changes nothing").isEmpty();
            long otherJob = cluster.jobs().stream().filter(j -> j.name().startsWith("b/")).findFirst().orElseThrow()
                    .pid();

            // the group's coordinator dies as the order is placed: its successor must not restart local/l1
            cluster.processes("monitor", "group/g1").forEach(ProcessHandle::destroyForcibly);
            shutdown.order("local/l1", "test");
            assertThat(ClusterShutdown.await(() -> shutdown.stillRunning("local/l1"), Duration.ofSeconds(60))).isEmpty();
            await().atMost(RECOVERY).untilAsserted(() -> assertThat(cluster.monitorStatus("group/g1"))
                    .as("a new group coordinator").hasValueSatisfying(r -> assertThat(r.state().name())
                            .isEqualTo("ACTIVE")));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(cluster.processes("monitor", "local/l1")).as("local/l1 stays down").isEmpty();
                assertThat(cluster.processes("agent", "n1")).as("agent n1").isEmpty();
                assertThat(cluster.processes("agent", "n3")).as("agent n3 outside the scope").hasSize(1);
                assertThat(ClusterFixture.jobProcesses()).as("only b's job").extracting(ProcessHandle::pid)
                        .containsExactly(otherJob);
            });
            assertThat(cluster.log("monitor-group-g1")).contains("child local/l1 stays down for the shutdown of"
                    + " local/l1");
            assertThat(ShutdownOrders.lift(cluster.store, cluster.plan, "local/l2"))
                    .as("nothing ordered for l2: lifting it is a no-op, not an error").isEmpty();

            assertThat(shutdown.start("local/l1")).as("2 agents, 1 coordinator").hasSize(3);
            assertThat(ClusterShutdown.await(() -> shutdown.notUp("local/l1"), RECOVERY)).isEmpty();
            awaitAllUp(cluster, 3);
            wholeInstallation(cluster, shutdown);
        }
    }

    /** Nodes n1, n2 under local/l1, n3 under local/l2, both under group/g1; two jobs of a and one of b, running. */
    private ClusterFixture threeLevels() throws Exception {
        List<MonitorPosition> monitors = List.of(local("l1", "n1", "n2"), local("l2", "n3"),
                new MonitorPosition("group/g1", List.of("local/l1", "local/l2"), null));
        ClusterFixture cluster = new ClusterFixture(home, plan(3, monitors,
                List.of(sleepers("a", 2, "local/l1"), sleepers("b", 1, "local/l2"))));
        try {
            cluster.startAgents();
            awaitAllUp(cluster, 3);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private static void awaitAllUp(ClusterFixture cluster, int jobs) {
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String position : POSITIONS) {
                assertThat(cluster.processes("monitor", position)).as(position).hasSize(1);
            }
            assertThat(cluster.jobs().stream().filter(j -> j.state() == JobState.RUNNING)).hasSize(jobs);
            assertThat(ClusterFixture.jobProcesses()).hasSize(jobs);
        });
    }
}
