package io.hostpub.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static io.hostpub.coordinator.cluster.Clusters.POLL_MS;
import static io.hostpub.coordinator.cluster.Clusters.RECOVERY;
import static io.hostpub.coordinator.cluster.Clusters.awaitSteady;
import static io.hostpub.coordinator.cluster.Clusters.child;
import static io.hostpub.coordinator.cluster.Clusters.childState;
import static io.hostpub.coordinator.cluster.Clusters.jobPids;
import static io.hostpub.coordinator.cluster.Clusters.local;
import static io.hostpub.coordinator.cluster.Clusters.sleepers;
import static io.hostpub.coordinator.cluster.Clusters.threeNodes;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.StoreSettings;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers of the hierarchy stopped by {@code SIGSTOP}, as a long garbage collection or a frozen host would: a stalled agent
 * is slow, not dead, until it is hung; a stalled coordinator is fenced off and exits when it resumes.
 */
class StalledPeersTest {

    @TempDir
    Path home;

    /**
     * An agent that answers slowly is not dead while its death-watch link is open: one stalled by a flood of slow
     * clients was once declared dead after two missed polls, replaced seven times over, and a healthy job was moved.
     * Stalled here by SIGSTOP (its process, and so its link, lives): well past two missed polls it is MISSING, never
     * DOWN, and nothing is started or moved; resumed, it answers as the same process. Stopped for good, it is hung:
     * once its silence outlasts the grace its coordinator starts a new agent, which finds the port held by a
     * predecessor that does not answer, kills it and adopts its jobs (replacements once failed to bind, seven times).
     */
    @Test
    void aStalledAgentIsSlowNotDeadWhileItsLinkIsOpenAndReplacedOnceHung() throws Exception {
        try (ClusterFixture cluster = threeNodes(home)) {
            Map<String, Long> pids = jobPids(cluster);
            ProcessHandle agent = cluster.processes("agent", "n2").get(0);
            ClusterFixture.signal(agent, "STOP");
            // (a status call to the coordinator that times out on a loaded host is asked again, not a failure)
            await().atMost(RECOVERY).ignoreExceptions().until(() -> childState(cluster, "n2") == ChildState.MISSING);
            // the old verdict came after two missed polls (2.5 s at most here); the grace is 5 s of silence
            await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4))
                    .until(() -> childState(cluster, "n2") == ChildState.MISSING
                            && cluster.processes("agent", "n2").size() == 1);
            ClusterFixture.signal(agent, "CONT");
            await().atMost(RECOVERY).ignoreExceptions().until(() -> childState(cluster, "n2") == ChildState.UP);
            assertThat(cluster.agentStatus("n2").orElseThrow().pid()).as("the same agent").isEqualTo(agent.pid());
            assertThat(child(cluster, "n2").statistics().failures()).as("never counted dead").isZero();
            assertThat(jobPids(cluster)).as("nothing moved or restarted").isEqualTo(pids);

            ClusterFixture.signal(agent, "STOP");
            await().atMost(RECOVERY).until(() -> !agent.isAlive());
            awaitSteady(cluster, 3);
            assertThat(cluster.agentStatus("n2").orElseThrow().pid()).isNotEqualTo(agent.pid());
            assertThat(jobPids(cluster)).as("adopted by the new agent, not restarted").isEqualTo(pids);
            assertThat(cluster.log("monitor-local-l1")).contains("its death-watch link is open: slow, not dead");
            assertThat(cluster.log("agent-n2")).contains("(pid " + agent.pid() + ") holds").contains("hung");
        }
    }

    /**
     * On ZooKeeper: a coordinator stopped while it holds the embedded journal's machine lock (a checkpoint every poll,
     * so now and then it does) stops every store call on the machine until it resumes, which the cluster page
     * documents; a new coordinator could then never take the position's fence. Stopping a coordinator at an
     * arbitrary moment is what the ZooKeeper store is for.
     */
    @Test
    void aStalledCoordinatorIsFencedOffAndExitsWhenResumed() throws Exception {
        try (org.apache.curator.test.TestingServer zookeeper = new org.apache.curator.test.TestingServer(true);
                ClusterFixture cluster = new ClusterFixture(home, new ClusterPlan(POLL_MS, FreePorts.next(),
                        FreePorts.next(), new StoreSettings("zookeeper", zookeeper.getConnectString(),
                                "/hostpub-test"), ClusterFixture.nodes(3), List.of(local("l1", "n1", "n2", "n3")),
                        List.of(sleepers("web", 3, "local/l1")), null, null))) {
            cluster.startAgents();
            awaitSteady(cluster, 3);
            ProcessHandle stalled = cluster.processes("monitor", "local/l1").get(0);
            ClusterFixture.signal(stalled, "STOP");
            await().atMost(RECOVERY).until(() -> cluster.processes("monitor", "local/l1").size() == 2);
            await().atMost(RECOVERY).until(() -> cluster.monitorEndpoint("local/l1").orElseThrow().pid()
                    != stalled.pid());
            ClusterFixture.signal(stalled, "CONT");
            await().atMost(RECOVERY).until(() -> !stalled.isAlive());
            awaitSteady(cluster, 3);
            assertThat(cluster.log("monitor-local-l1")).contains("SUICIDE");
        }
    }
}
