package io.hostpub.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static io.hostpub.coordinator.cluster.Clusters.POLL_MS;
import static io.hostpub.coordinator.cluster.Clusters.RECOVERY;
import static io.hostpub.coordinator.cluster.Clusters.awaitSteady;
import static io.hostpub.coordinator.cluster.Clusters.checkpoint;
import static io.hostpub.coordinator.cluster.Clusters.killCoordinatorAndAwaitSuccessorKeepingTheJobs;
import static io.hostpub.coordinator.cluster.Clusters.jobPids;
import static io.hostpub.coordinator.cluster.Clusters.keyStore;
import static io.hostpub.coordinator.cluster.Clusters.local;
import static io.hostpub.coordinator.cluster.Clusters.names;
import static io.hostpub.coordinator.cluster.Clusters.plan;
import static io.hostpub.coordinator.cluster.Clusters.printStatusLatency;
import static io.hostpub.coordinator.cluster.Clusters.sleepers;

import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterTls;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest.Operation;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.plan.StoreSettings;
import io.hostpub.coordinator.api.poll.MonitorReply;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.monitor.MonitorEndpoint;
import io.hostpub.coordinator.monitor.StandbyNotice;
import io.hostpub.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hierarchy in the set-ups beyond one local coordinator on the embedded journal: three levels, the ZooKeeper
 * store, the cluster wire over TLS.
 */
class ClusterConfigurationsTest {

    @TempDir
    Path home;

    /**
     * The cluster wire over TLS with the installation's certificates (one key store made with keytool, the nodes'
     * addresses as IP names): the hierarchy runs as usual; a plain HTTP caller, or a TLS caller that does not trust the
     * installation, gets nothing; a connection that never completes its TLS handshake is cut like a slow request head.
     */
    @Test
    void theClusterWireRunsOverTlsWithTheInstallationsCertificates() throws Exception {
        java.nio.file.Files.createDirectories(home.resolve("conf"));
        keyStore(home.resolve("conf").resolve("cluster-tls.p12"), home.resolve("conf").resolve("cluster-tls.password"),
                "ip:127.0.0.2,ip:127.0.0.3,ip:127.0.0.4");
        ClusterPlan plan = new ClusterPlan(POLL_MS, FreePorts.next(), FreePorts.next(), null, ClusterFixture.nodes(3),
                List.of(local("l1", "n1", "n2", "n3")), List.of(sleepers("web", 3, "local/l1")), null,
                new io.hostpub.coordinator.api.plan.TlsSettings(null, null));
        try (ClusterFixture cluster = new ClusterFixture(home, plan)) {
            cluster.startAgents();
            awaitSteady(cluster, 3);
            java.net.InetSocketAddress agent = cluster.plan.agentEndpoint("n1");

            RequestSigner signer = new RequestSigner(io.hostpub.admin.api.wire.InstallationSecret.load(
                    home.resolve("conf").resolve("secret")), java.time.Clock.systemUTC());
            assertThatThrownBy(() -> ClusterWire.plain(signer).client(Duration.ofSeconds(1))
                    .call(agent, ClusterRoutes.AGENT_STATUS, NoBody.INSTANCE, Duration.ofSeconds(2)))
                    .as("plain HTTP to a TLS agent").isInstanceOf(java.io.IOException.class);
            Path foreign = java.nio.file.Files.createDirectories(home.resolve("foreign"));
            keyStore(foreign.resolve("tls.p12"), foreign.resolve("tls.password"), "ip:127.0.0.2");
            ClusterWire stranger = new ClusterWire(signer, java.util.Optional.of(ClusterTls.load(
                    foreign.resolve("tls.p12"), foreign.resolve("tls.password"))));
            assertThatThrownBy(() -> stranger.client(Duration.ofSeconds(1)).call(agent, ClusterRoutes.AGENT_STATUS,
                    NoBody.INSTANCE, Duration.ofSeconds(2))).as("a certificate this installation does not trust")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);

            try (java.net.Socket silent = new java.net.Socket(agent.getAddress(), agent.getPort())) {
                silent.setSoTimeout(20_000);
                long opened = System.nanoTime();
                int first;
                try {
                    first = silent.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    first = -1;
                }
                assertThat(first).as("no handshake, no bytes: cut").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(15));
            }
            assertThat(cluster.agentStatus("n1")).as("the installation itself still gets through").isPresent();
            printStatusLatency(cluster, "TLS");
        }
    }

    @Test
    void aThreeLevelHierarchyRecoversWhenTheWholeLocalLevelDies() throws Exception {
        List<MonitorPosition> monitors = List.of(local("l1", "n1", "n2"), local("l2", "n3"),
                new MonitorPosition("group/g1", List.of("local/l1", "local/l2"), null),
                new MonitorPosition("universal/u", List.of("group/g1"), null));
        try (ClusterFixture cluster = new ClusterFixture(home, plan(3, monitors,
                List.of(sleepers("a", 2, "local/l1"), sleepers("b", 1, "local/l2"))))) {
            cluster.startAgents();
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (String position : List.of("local/l1", "local/l2", "group/g1", "universal/u")) {
                    assertThat(cluster.processes("monitor", position)).as(position).hasSize(1);
                }
                assertThat(ClusterFixture.jobProcesses()).hasSize(3);
            });
            // horizontal failure: every local coordinator at once
            cluster.processes("monitor", "local/l1").forEach(ProcessHandle::destroyForcibly);
            cluster.processes("monitor", "local/l2").forEach(ProcessHandle::destroyForcibly);
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (String position : List.of("local/l1", "local/l2", "group/g1", "universal/u")) {
                    assertThat(cluster.processes("monitor", position)).as(position).hasSize(1);
                    assertThat(cluster.monitorStatus(position)).as(position + " answers").isPresent();
                }
                assertThat(ClusterFixture.jobProcesses()).hasSize(3);
            });
        }
    }

    @Test
    void aWarmStandbyTakesOverAtOnceWhenTheCoordinatorIsKilledAndIsReplacedInTurn() throws Exception {
        MonitorPosition withStandby = new MonitorPosition("local/l1", List.of("n1", "n2", "n3"), null, true);
        try (ClusterFixture cluster = new ClusterFixture(home, plan(3, List.of(withStandby),
                List.of(sleepers("web", 3, "local/l1"))))) {
            cluster.startAgents();
            awaitSteady(cluster, 3);
            // the active coordinator launches a standby on another node (one that finds itself beside the active one,
            // launched by a coordinator since superseded, leaves); once it links, the store says so
            StandbyNotice standby = await().atMost(RECOVERY).ignoreExceptions().until(() -> {
                String activeNode = cluster.monitorEndpoint("local/l1").orElseThrow().node();
                return StandbyNotice.read(cluster.store, "local/l1")
                        .filter(n -> n.linked() && !n.node().equals(activeNode));
            }, java.util.Optional::isPresent).orElseThrow();
            MonitorEndpoint active = cluster.monitorEndpoint("local/l1").orElseThrow();
            await().atMost(RECOVERY).untilAsserted(() -> assertThat(cluster.standbys("local/l1"))
                    .extracting(ProcessHandle::pid).containsExactly(standby.pid()));
            // what operators read (hpctl cluster, the cluster page and API): the position's linked standby
            ClusterReport report = cluster.client.call(cluster.plan.agentEndpoint("n1"), ClusterRoutes.CLUSTER_REPORT,
                    NoBody.INSTANCE, Duration.ofSeconds(20));
            assertThat(report.monitors()).singleElement().satisfies(m -> assertThat(m.standby())
                    .isEqualTo(new ClusterReport.Standby(standby.node(), standby.pid())));
            assertThat(io.hostpub.coordinator.view.ClusterView.render(report))
                    .contains("standby pid " + standby.pid() + " on " + standby.node());
            Map<String, Long> pids = jobPids(cluster);

            ProcessHandle.of(active.pid()).orElseThrow().destroyForcibly();
            // the standby's own process becomes the coordinator: no JVM launched for it, nobody starts another
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> cluster
                    .monitorStatus("local/l1").filter(s -> s.pid() == standby.pid()
                            && s.state() == MonitorReply.MonitorState.ACTIVE).isPresent());
            awaitSteady(cluster, 3);
            assertThat(jobPids(cluster)).as("the jobs were adopted, not restarted").isEqualTo(pids);
            assertThat(cluster.processes("monitor", "local/l1")).extracting(ProcessHandle::pid)
                    .containsExactly(standby.pid());
            // and it keeps a standby of its own
            await().atMost(RECOVERY).until(() -> StandbyNotice.read(cluster.store, "local/l1")
                    .filter(n -> n.linked() && n.pid() != standby.pid()).isPresent());
        }
    }

    @Test
    void theHierarchyRunsOnZooKeeperToo() throws Exception {
        try (org.apache.curator.test.TestingServer zookeeper = new org.apache.curator.test.TestingServer(true)) {
            ClusterPlan plan = new ClusterPlan(POLL_MS, FreePorts.next(), FreePorts.next(),
                    new StoreSettings("zookeeper", zookeeper.getConnectString(), "/hostpub-test"),
                    ClusterFixture.nodes(2), List.of(local("l1", "n1", "n2")), List.of(sleepers("web", 2, "local/l1")),
                    null, null);
            try (ClusterFixture cluster = new ClusterFixture(home, plan)) {
                cluster.startAgents();
                awaitSteady(cluster, 2);
                assertThat(cluster.store.describe()).startsWith("zookeeper ");
                killCoordinatorAndAwaitSuccessorKeepingTheJobs(cluster, 2);
                // the successor's checkpoint (written every cycle) records both placements: the predecessor's may
                // not have been written yet when it was killed right after placing the jobs
                await().atMost(RECOVERY).untilAsserted(() -> assertThat(checkpoint(cluster)).isNotNull()
                        .satisfies(c -> assertThat(c.placements()).containsOnlyKeys("web/clone-1", "web/clone-2")));
                // what the WAR and hpctl ask an agent, answered from the agent's ZooKeeper session (the new
                // coordinator records its endpoint a moment after it took the position's fence)
                await().atMost(RECOVERY).untilAsserted(() -> {
                    ClusterReport report = cluster.client.call(cluster.plan.agentEndpoint("n2"),
                            ClusterRoutes.CLUSTER_REPORT, NoBody.INSTANCE, Duration.ofSeconds(20));
                    assertThat(report.store()).startsWith("zookeeper ");
                    assertThat(report.monitors()).singleElement()
                            .satisfies(m -> assertThat(m.state()).isEqualTo("ACTIVE"));
                });
                OperatorReceipt held = cluster.client.call(cluster.plan.agentEndpoint("n1"),
                        ClusterRoutes.CLUSTER_OPERATOR, new OperatorRequest(Operation.STOP_JOB, "web/clone-2"),
                        Duration.ofSeconds(15));
                assertThat(held.intent().heldJobs()).containsExactly("web/clone-2");
            }
        }
    }
}
