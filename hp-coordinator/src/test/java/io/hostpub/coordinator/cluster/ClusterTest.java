package io.hostpub.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static io.hostpub.coordinator.cluster.Clusters.RECOVERY;
import static io.hostpub.coordinator.cluster.Clusters.awaitSteady;
import static io.hostpub.coordinator.cluster.Clusters.checkpoint;
import static io.hostpub.coordinator.cluster.Clusters.jobPids;
import static io.hostpub.coordinator.cluster.Clusters.killCoordinatorAndAwaitSuccessorKeepingTheJobs;
import static io.hostpub.coordinator.cluster.Clusters.local;
import static io.hostpub.coordinator.cluster.Clusters.names;
import static io.hostpub.coordinator.cluster.Clusters.plan;
import static io.hostpub.coordinator.cluster.Clusters.printStatusLatency;
import static io.hostpub.coordinator.cluster.Clusters.threeNodes;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.job.JobName;
import io.hostpub.coordinator.api.job.JobAvailability;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.NodeName;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest.Operation;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.monitor.MonitorCheckpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hierarchy as real processes: agents on 127.0.0.2.., coordinators they start, jobs they keep; failures by
 * {@code kill -9}, operators' intents. (Stalls are in {@link StalledPeersTest}, other set-ups in
 * {@link ClusterConfigurationsTest}: separate classes, so the module's two test JVMs share the minutes.)
 */
class ClusterTest {

    @TempDir
    Path home;

    @Test
    void agentsStartOneCoordinatorWhichSpreadsTheJobsOverTheLeastLoadedNodes() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            Map<String, Long> perNode = cluster.jobs().stream().collect(Collectors.groupingBy(JobStatus::node,
                    Collectors.counting()));
            assertThat(perNode).containsOnlyKeys("n1", "n2", "n3").allSatisfy((node, count) -> assertThat(count)
                    .isEqualTo(1));
            assertThat(cluster.monitorStatus("local/l1").orElseThrow().children()).hasSize(3);
            printStatusLatency(cluster, "plain HTTP");
        }
    }

    @Test
    void aKilledCoordinatorIsReplacedByAnAgentAndNoJobRunsTwice() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            // a job killed first: an outage and a restart in its availability, which the successor keeps
            long job = jobPids(cluster).values().iterator().next();
            String name = cluster.jobs().stream().filter(j -> j.pid() == job).findFirst().orElseThrow().name();
            await().atMost(RECOVERY).until(() -> availability(cluster, name), a -> a != null && a.pid() == job
                    && a.up()); // its coordinator has seen the process serve
            ProcessHandle.of(job).orElseThrow().destroyForcibly();
            JobAvailability before = await().atMost(RECOVERY).until(() -> availability(cluster, name),
                    a -> a != null && a.outages() == 1 && a.restarts() == 1 && a.up());
            // (its down time may be too short for a 250 ms poll to see: the restart takes ~100 ms)
            assertThat(before.mttrMillis()).isNotNull();
            assertThat(before.mtbfMillis()).isEqualTo(before.upMillis());
            killCoordinatorAndAwaitSuccessorKeepingTheJobs(cluster, 3);
            JobAvailability after = await().atMost(RECOVERY).until(() -> availability(cluster, name),
                    a -> a != null && a.accountedAt().isAfter(before.accountedAt()));
            assertThat(after.since()).as("counted since the first coordinator began").isEqualTo(before.since());
            assertThat(after.outages()).isEqualTo(1);
            assertThat(after.restarts()).isEqualTo(1);
            assertThat(after.upMillis()).isGreaterThan(before.upMillis());
            assertThat(after.downMillis()).isGreaterThanOrEqualTo(before.downMillis());
            // the successor was passive until it had heard from every agent, then active after its first cycle
            // (awaited: the jobs are steady as soon as it is up, its first cycle ends one poll interval later)
            await().atMost(RECOVERY).untilAsserted(() -> {
                String log = cluster.log("monitor-local-l1");
                int passive = log.lastIndexOf("PASSIVE on node");
                assertThat(passive).isPositive();
                assertThat(log.indexOf("ACTIVE after 1 poll cycle", passive)).isGreaterThan(passive);
            });
        }
    }

    private static JobAvailability availability(ClusterFixture cluster, String job) throws Exception {
        return cluster.monitorStatus("local/l1").map(r -> r.jobs().get(job)).orElse(null);
    }

    /**
     * Two more coordinators started for a position that a live one holds (as a child does that found its parent slow
     * to start): they find the holder answering and stand down; the healthy one is not superseded for nothing.
     */
    @Test
    void coordinatorsStartedForAPositionALiveOneHoldsStandDown() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            long holder = cluster.processes("monitor", "local/l1").get(0).pid();
            cluster.launcher.launchMonitor("local/l1", "n2");
            cluster.launcher.launchMonitor("local/l1", "n3");
            await().atMost(RECOVERY).untilAsserted(() -> assertThat(cluster.log("monitor-local-l1"))
                    .contains("not started on node n2", "not started on node n3"));
            awaitSteady(cluster, 3);
            assertThat(cluster.processes("monitor", "local/l1")).extracting(ProcessHandle::pid).containsExactly(holder);
        }
    }

    @Test
    void aKilledAgentIsRestartedAndReAdoptsItsJob() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            Map<String, Long> pids = jobPids(cluster);
            ProcessHandle agent = cluster.processes("agent", "n2").get(0);
            agent.destroyForcibly();
            await().atMost(RECOVERY).until(() -> cluster.processes("agent", "n2").stream()
                    .anyMatch(p -> p.pid() != agent.pid()));
            awaitSteady(cluster, 3);
            assertThat(jobPids(cluster)).as("adopted, not restarted").isEqualTo(pids);
        }
    }

    @Test
    void aVerticalFailureOfANodeRecovers() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            String node = cluster.monitorEndpoint("local/l1").orElseThrow().node();
            Map<String, Long> pids = jobPids(cluster);
            long job = pids.entrySet().stream().filter(e -> e.getKey().startsWith(node + ":")).findFirst()
                    .orElseThrow().getValue();
            // the node's whole subtree dies at once: its agent, the coordinator running there, its job
            cluster.processes("agent", node).forEach(ProcessHandle::destroyForcibly);
            cluster.processes("monitor", "local/l1").forEach(ProcessHandle::destroyForcibly);
            ProcessHandle.of(job).ifPresent(ProcessHandle::destroyForcibly);
            awaitSteady(cluster, 3);
            Map<String, Long> after = jobPids(cluster);
            assertThat(after.keySet()).isEqualTo(pids.keySet());
            pids.forEach((key, pid) -> {
                if (key.startsWith(node + ":")) {
                    assertThat(after.get(key)).as("the dead job was restarted on its node").isNotEqualTo(pid);
                } else {
                    assertThat(after.get(key)).as("the other jobs were untouched").isEqualTo(pid);
                }
            });
        }
    }

    @Test
    void aHorizontalFailureOfAllAgentsRecoversWithTheJobsAdopted() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            Map<String, Long> pids = jobPids(cluster);
            cluster.processes("agent", "--node").forEach(ProcessHandle::destroyForcibly);
            await().atMost(RECOVERY).until(() -> cluster.plan.nodes().stream()
                    .noneMatch(n -> cluster.agentStatus(n.name()).isPresent()));
            awaitSteady(cluster, 3);
            assertThat(jobPids(cluster)).isEqualTo(pids);
        }
    }

    @Test
    void aCrashLoopingJobIsMovedToAnotherNode() throws Exception {
        Application crasher = new Application("crash", 1, List.of("sh", "-c", "exit 3"), null, 0, null, "local/l1", null,
                null, "job");
        try (ClusterFixture cluster = new ClusterFixture(home, plan(2, List.of(local("l1", "n1", "n2")),
                List.of(crasher)))) {
            cluster.startAgents();
            MonitorCheckpoint moved = await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200))
                    .until(() -> checkpoint(cluster), c -> c != null && !c.excluded().getOrDefault("crash/job-1",
                            List.of()).isEmpty() && c.placements().containsKey("crash/job-1")
                            && !c.excluded().get("crash/job-1").contains(c.placements().get("crash/job-1")));
            assertThat(moved.jobStatistics().get("crash/job-1").failures()).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void operatorsStopAndStartAJobAndDrainANode() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            java.net.InetSocketAddress coordinator = cluster.monitorEndpoint("local/l1").map(e ->
                    new java.net.InetSocketAddress(e.address(), e.port())).orElseThrow();
            // through any agent, as the WAR and hpctl do: n3's agent relays to local/l1
            OperatorReceipt receipt = cluster.client.call(cluster.plan.agentEndpoint("n3"),
                    ClusterRoutes.CLUSTER_OPERATOR, new OperatorRequest(Operation.STOP_JOB, "web/clone-1"),
                    Duration.ofSeconds(10));
            assertThat(receipt.position()).isEqualTo("local/l1");
            assertThat(receipt.intent().heldJobs()).containsExactly("web/clone-1");
            await().atMost(RECOVERY).until(() -> !names(cluster.jobs()).contains("web/clone-1")
                    && ClusterFixture.jobProcesses().size() == 2);
            assertThat(cluster.monitorStatus("local/l1").orElseThrow().operator().heldJobs())
                    .containsExactly("web/clone-1");
            cluster.client.call(coordinator, ClusterRoutes.OPERATOR_START_JOB, new JobName("web/clone-1"),
                    Duration.ofSeconds(10));
            awaitSteady(cluster, 3);

            cluster.client.call(coordinator, ClusterRoutes.OPERATOR_DRAIN, new NodeName("n1"),
                    Duration.ofSeconds(10));
            await().atMost(RECOVERY).untilAsserted(() -> {
                List<JobStatus> running = cluster.jobs().stream().filter(j -> j.state() == JobState.RUNNING).toList();
                assertThat(running).hasSize(3).noneMatch(j -> j.node().equals("n1"));
                assertThat(ClusterFixture.jobProcesses()).hasSize(3);
            });
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.client.call(coordinator,
                    ClusterRoutes.OPERATOR_STOP_JOB, new JobName("web/clone-9"), Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(ClusterRefusal.class, e -> assertThat(e.status()).isEqualTo(404))
                    .hasMessageContaining("no job web/clone-9");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.client.call(
                    cluster.plan.agentEndpoint("n2"), ClusterRoutes.CLUSTER_OPERATOR,
                    new OperatorRequest(Operation.DRAIN, "n9"), Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(ClusterRefusal.class, e -> assertThat(e.status()).isEqualTo(404))
                    .hasMessageContaining("no node n9 in the cluster plan");
            ClusterReport report = cluster.client.call(cluster.plan.agentEndpoint("n2"),
                    ClusterRoutes.CLUSTER_REPORT, NoBody.INSTANCE, Duration.ofSeconds(20));
            assertThat(report.monitors()).anySatisfy(m -> {
                assertThat(m.position()).isEqualTo("local/l1");
                assertThat(m.state()).isEqualTo("ACTIVE");
                assertThat(m.operator().drainedNodes()).containsExactly("n1");
            });
        }
    }
}
