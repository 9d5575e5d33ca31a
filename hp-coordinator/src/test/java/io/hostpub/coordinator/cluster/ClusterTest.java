package io.hostpub.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.json.Json;
import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.ClusterRoutes;
import io.hostpub.coordinator.api.ClusterTls;
import io.hostpub.coordinator.api.ClusterWire;
import io.hostpub.coordinator.api.RequestSigner;
import io.hostpub.coordinator.api.NoBody;
import io.hostpub.coordinator.api.job.JobName;
import io.hostpub.coordinator.api.job.JobState;
import io.hostpub.coordinator.api.job.JobStatus;
import io.hostpub.coordinator.api.operator.NodeName;
import io.hostpub.coordinator.api.operator.OperatorReceipt;
import io.hostpub.coordinator.api.operator.OperatorRequest.Operation;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.coordinator.api.poll.ChildStatus.ChildState;
import io.hostpub.coordinator.api.poll.ChildStatus;
import io.hostpub.coordinator.api.report.ClusterReport;
import io.hostpub.coordinator.monitor.MonitorCheckpoint;
import io.hostpub.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hierarchy as real processes: agents on 127.0.0.2.., coordinators they start, jobs they keep; failures by
 * {@code kill -9} and {@code SIGSTOP}.
 */
class ClusterTest {

    static final long POLL_MS = 250;
    static final Duration RECOVERY = Duration.ofSeconds(60);

    @TempDir
    Path home;

    static ClusterPlan plan(int nodes, List<MonitorPosition> monitors, List<Application> apps) throws Exception {
        return new ClusterPlan(POLL_MS, FreePorts.next(), FreePorts.next(), null,
                ClusterFixture.nodes(nodes), monitors, apps, null, null);
    }

    static MonitorPosition local(String name, String... nodes) {
        return new MonitorPosition("local/" + name, List.of(nodes), null);
    }

    static Application sleepers(String name, int count, String monitor) {
        return new Application(name, count, ClusterFixture.sleeper(), null, 0, null, monitor, null, null, "clone");
    }

    /** The cluster of most tests: 3 nodes, one local coordinator, 3 jobs. */
    ClusterFixture threeNodes() throws Exception {
        ClusterFixture cluster = new ClusterFixture(home, plan(3, List.of(local("l1", "n1", "n2", "n3")),
                List.of(sleepers("web", 3, "local/l1"))));
        try {
            cluster.startAgents();
            awaitSteady(cluster, 3);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** Exactly one coordinator, every agent up, {@code jobs} jobs running, one process each. */
    static void awaitSteady(ClusterFixture cluster, int jobs) {
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(cluster.processes("monitor", "local/l1")).as("coordinators").hasSize(1);
            for (ClusterPlan.Node node : cluster.plan.nodes()) {
                assertThat(cluster.agentStatus(node.name())).as("agent " + node.name()).isPresent();
            }
            List<JobStatus> running = cluster.jobs().stream().filter(j -> j.state() == JobState.RUNNING).toList();
            assertThat(running).as("running jobs").hasSize(jobs);
            assertThat(ClusterFixture.jobProcesses()).as("job processes").hasSize(jobs);
        });
    }

    @Test
    void agentsStartOneCoordinatorWhichSpreadsTheJobsOverTheLeastLoadedNodes() throws Exception {
        try (ClusterFixture cluster = threeNodes()) {
            Map<String, Long> perNode = cluster.jobs().stream().collect(Collectors.groupingBy(JobStatus::node,
                    Collectors.counting()));
            assertThat(perNode).containsOnlyKeys("n1", "n2", "n3").allSatisfy((node, count) -> assertThat(count)
                    .isEqualTo(1));
            assertThat(cluster.monitorStatus("local/l1").orElseThrow().children()).hasSize(3);
            printStatusLatency(cluster, "plain HTTP");
        }
    }

    /** A figure for the site: a signed status call to an agent process, one connection each (as every poll). */
    private static void printStatusLatency(ClusterFixture cluster, String wire) {
        long[] micros = new long[40];
        for (int i = 0; i < micros.length; i++) {
            long start = System.nanoTime();
            assertThat(cluster.agentStatus("n1")).isPresent();
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        java.util.Arrays.sort(micros);
        System.out.printf("[wire] %s: signed status call to an agent p50 %.1f ms, p99 %.1f ms (%d calls)%n", wire,
                micros[micros.length / 2] / 1000.0, micros[micros.length * 99 / 100] / 1000.0, micros.length);
    }

    @Test
    void aKilledCoordinatorIsReplacedByAnAgentAndNoJobRunsTwice() throws Exception {
        try (ClusterFixture cluster = threeNodes()) {
            Map<String, Long> pids = jobPids(cluster);
            ProcessHandle coordinator = cluster.processes("monitor", "local/l1").get(0);
            coordinator.destroyForcibly();
            await().atMost(RECOVERY).until(() -> cluster.processes("monitor", "local/l1").stream()
                    .anyMatch(p -> p.pid() != coordinator.pid()));
            awaitSteady(cluster, 3);
            assertThat(jobPids(cluster)).as("the jobs were not restarted").isEqualTo(pids);
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

    @Test
    void ofThreeCoordinatorsStartedAtOnceExactlyOneSurvives() throws Exception {
        try (ClusterFixture cluster = threeNodes()) {
            cluster.launcher.launchMonitor("local/l1", "n2");
            cluster.launcher.launchMonitor("local/l1", "n3");
            await().atMost(RECOVERY).until(() -> cluster.processes("monitor", "local/l1").size() > 1);
            awaitSteady(cluster, 3);
        }
    }

    @Test
    void aKilledAgentIsRestartedAndReAdoptsItsJob() throws Exception {
        try (ClusterFixture cluster = threeNodes()) {
            Map<String, Long> pids = jobPids(cluster);
            ProcessHandle agent = cluster.processes("agent", "n2").get(0);
            agent.destroyForcibly();
            await().atMost(RECOVERY).until(() -> cluster.processes("agent", "n2").stream()
                    .anyMatch(p -> p.pid() != agent.pid()));
            awaitSteady(cluster, 3);
            assertThat(jobPids(cluster)).as("adopted, not restarted").isEqualTo(pids);
        }
    }

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
        try (ClusterFixture cluster = threeNodes()) {
            Map<String, Long> pids = jobPids(cluster);
            ProcessHandle agent = cluster.processes("agent", "n2").get(0);
            ClusterFixture.signal(agent, "STOP");
            await().atMost(RECOVERY).until(() -> childState(cluster, "n2") == ChildState.MISSING);
            // the old verdict came after two missed polls (2.5 s at most here); the grace is 5 s of silence
            await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4))
                    .until(() -> childState(cluster, "n2") == ChildState.MISSING
                            && cluster.processes("agent", "n2").size() == 1);
            ClusterFixture.signal(agent, "CONT");
            await().atMost(RECOVERY).until(() -> childState(cluster, "n2") == ChildState.UP);
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

    /** A PKCS#12 key store with one self-signed EC key for {@code names}, and its password file (0600), by keytool. */
    private static void keyStore(Path store, Path passwordFile, String names) throws Exception {
        String password = "test-" + ProcessHandle.current().pid();
        java.nio.file.Files.writeString(passwordFile, password + "\n");
        java.nio.file.Files.setPosixFilePermissions(passwordFile,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "cluster", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=hostpub-cluster", "-ext", "SAN=" + names, "-validity", "2", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", password).redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(said).isZero();
    }

    private static ChildStatus child(ClusterFixture cluster, String node) throws Exception {
        return cluster.monitorStatus("local/l1").orElseThrow().children().stream()
                .filter(c -> c.name().equals(node)).findFirst().orElseThrow();
    }

    private static ChildState childState(ClusterFixture cluster, String node) throws Exception {
        return child(cluster, node).state();
    }

    @Test
    void aVerticalFailureOfANodeRecovers() throws Exception {
        try (ClusterFixture cluster = threeNodes()) {
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
        try (ClusterFixture cluster = threeNodes()) {
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
                        FreePorts.next(), new ClusterPlan.StoreSettings("zookeeper", zookeeper.getConnectString(),
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
    void operatorsStopAndStartAJobAndDrainANode() throws Exception {
        try (ClusterFixture cluster = threeNodes()) {
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

    @Test
    void theHierarchyRunsOnZooKeeperToo() throws Exception {
        try (org.apache.curator.test.TestingServer zookeeper = new org.apache.curator.test.TestingServer(true)) {
            ClusterPlan plan = new ClusterPlan(POLL_MS, FreePorts.next(), FreePorts.next(),
                    new ClusterPlan.StoreSettings("zookeeper", zookeeper.getConnectString(), "/hostpub-test"),
                    ClusterFixture.nodes(2), List.of(local("l1", "n1", "n2")), List.of(sleepers("web", 2, "local/l1")),
                    null, null);
            try (ClusterFixture cluster = new ClusterFixture(home, plan)) {
                cluster.startAgents();
                awaitSteady(cluster, 2);
                assertThat(cluster.store.describe()).startsWith("zookeeper ");
                Map<String, Long> pids = jobPids(cluster);
                ProcessHandle coordinator = cluster.processes("monitor", "local/l1").get(0);
                coordinator.destroyForcibly();
                await().atMost(RECOVERY).until(() -> cluster.processes("monitor", "local/l1").stream()
                        .anyMatch(p -> p.pid() != coordinator.pid()));
                awaitSteady(cluster, 2);
                assertThat(jobPids(cluster)).isEqualTo(pids);
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

    private static MonitorCheckpoint checkpoint(ClusterFixture cluster) throws Exception {
        return cluster.store.get("monitor/local/l1", "checkpoint").map(b -> Json.read(b, MonitorCheckpoint.class))
                .orElse(null);
    }

    /** node:job -> pid of the running jobs. */
    private static Map<String, Long> jobPids(ClusterFixture cluster) {
        return cluster.jobs().stream().filter(j -> j.pid() != 0).collect(Collectors.toMap(j -> j.node() + ":"
                + j.name(), JobStatus::pid));
    }

    static Set<String> names(List<JobStatus> jobs) {
        return jobs.stream().map(JobStatus::name).collect(Collectors.toSet());
    }
}
